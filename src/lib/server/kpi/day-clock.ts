/**
 * "Today" for the wall. With the real clock it is the local (Vietnam) calendar day. With the demo
 * clock (FEED_CLOCK=demo, see ingest/feed/demo-clock.ts) the feed plays an earlier school day
 * shifted by whole hours, so the wall's day starts at that day's local midnight plus the same
 * shift: the numbers and the school hours the wall measures against are those of the day being
 * played, and every timestamp stays a real wall-clock time.
 */
import {
	DAY_MS,
	MINUTE_MS,
	dateKey,
	dayStartMs,
	localDay,
	localMinute,
	schoolHours
} from '../../shared/calendar';
import type { SchoolLevel } from '../../shared/registry';

export class DayClock {
	constructor(readonly shiftMs = 0) {}

	/** The local day number being measured at `now`. */
	day(now: number): number {
		return localDay(now - this.shiftMs);
	}

	/** Wall-clock moment the measured day began. */
	dayStart(now: number): number {
		return this.startOf(this.day(now));
	}

	/** Wall-clock moment measured day `day` (a day number) begins. */
	startOf(day: number): number {
		return dayStartMs(day) + this.shiftMs;
	}

	/** `yyyy-mm-dd` of the measured day. */
	dayLabel(now: number): string {
		const k = dateKey(this.day(now));
		return `${k.slice(0, 4)}-${k.slice(4, 6)}-${k.slice(6, 8)}`;
	}

	/** Local day number a stored timestamp belongs to, in SQL: `intDiv(toUnixTimestamp(t) + offset, 86400)`. */
	get sqlDayOffsetSeconds(): number {
		return 7 * 3600 - this.shiftMs / 1000;
	}

	/** Scheduled minutes of a school with these levels in [fromMs, toMs), across midnights. */
	scheduledMinutes(levels: readonly SchoolLevel[], fromMs: number, toMs: number): number {
		let minutes = 0;
		let t = fromMs;
		while (t < toMs) {
			const day = localDay(t - this.shiftMs);
			const dayEnd = dayStartMs(day + 1) + this.shiftMs;
			const end = Math.min(toMs, dayEnd);
			const a = localMinute(t - this.shiftMs);
			const b = end === dayEnd ? 1440 : localMinute(end - this.shiftMs);
			for (const [s, e] of schoolHours({ day }, levels))
				minutes += Math.max(0, Math.min(e, b) - Math.max(s, a));
			t = end;
		}
		return minutes;
	}

	/**
	 * `scheduledMinutes`, remembered per (levels, range): schools share a handful of level sets.
	 * Keyed without building a string per call: the wall asks twice for each of 5,000 schools.
	 */
	scheduledMinutesMemo(): (levels: readonly SchoolLevel[], fromMs: number, toMs: number) => number {
		const memo = new Map<string, Map<number, Map<number, number>>>();
		return (levels, fromMs, toMs) => {
			const k = levelsKey(levels);
			let byFrom = memo.get(k);
			if (!byFrom) memo.set(k, (byFrom = new Map()));
			let byTo = byFrom.get(fromMs);
			if (!byTo) byFrom.set(fromMs, (byTo = new Map()));
			let v = byTo.get(toMs);
			if (v === undefined) byTo.set(toMs, (v = this.scheduledMinutes(levels, fromMs, toMs)));
			return v;
		};
	}
}

/** A set of levels as one string, made once per array (a school's `levels` lives as long as its record). */
const joined = new WeakMap<readonly SchoolLevel[], string>();
export function levelsKey(levels: readonly SchoolLevel[]): string {
	let k = joined.get(levels);
	if (k === undefined) joined.set(levels, (k = levels.join(',')));
	return k;
}

export const floorMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
export { DAY_MS, MINUTE_MS };
