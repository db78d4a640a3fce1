/**
 * The day plan of one school: hours, outages, broken devices, and the sparse events by minute.
 */
import type { EduEventInput, TelemetryKind } from '#shared/contract';
import type { StaticInfo } from './school';
import type { SchoolTraits } from './traits';
import type { Weather } from './weather';

/** An event planned for a minute: its second, its kind, and how to build it when asked. */
export interface Sparse {
	sec: number;
	kind: TelemetryKind;
	build: () => EduEventInput | null;
}

export interface SchoolDay {
	inHours: Uint8Array | null;
	/** 1 where the school is cut off (power or internet): no device traffic */
	offline: Uint8Array | null;
	/** per device: minute from which it is broken (0 = all day), -1 if it works */
	brokenFrom: Int16Array | null;
	sparse: Map<number, Sparse[]>;
}

/** The plans of every school for one day, and the minutes in which any of them has events. */
export interface DayPlans {
	days: SchoolDay[];
	active: Uint8Array;
}

/** Plan `s` in `minute` and mark the minute active. */
export function addSparse(
	map: Map<number, Sparse[]>,
	active: Uint8Array,
	minute: number,
	s: Sparse
): void {
	let list = map.get(minute);
	if (!list) map.set(minute, (list = []));
	list.push(s);
	active[minute] = 1;
}

/** A school day being planned: what each planner (completeness, devices, attendance, library) takes. */
export interface Planning {
	seedH: number;
	st: StaticInfo;
	tr: SchoolTraits;
	day: number;
	/** dateKey(day), for event ids */
	key: string;
	/** the school's hours that day (empty when it holds no school) */
	hours: [number, number][];
	weather: Weather;
	plan: SchoolDay;
	/** minutes of the day in which any school has events */
	active: Uint8Array;
}
