/**
 * Devices: a heartbeat per device per minute of school hours; ~5 % of schools are flaky and lose
 * power or internet for 10–60 minutes (no messages at all then); rural districts lose power in
 * afternoon downpours; a broken device reports `down` / `hardware`.
 */
import type { EduEventInput } from '#shared/contract';
import { minuteIntoHours } from '#shared/calendar';
import { between, mix, mulberry32, u01, type Rng } from '../random';
import { addSparse, type Planning } from './day';
import type { DeviceSim, StaticInfo } from './school';
import { LOCAL_MINUTE_OFFSET, MINUTES_PER_DAY, S } from './seed';
import { isoAt } from './time';
import type { SchoolTraits } from './traits';
import type { Weather } from './weather';

export interface Outage {
	start: number;
	end: number;
	reason: 'power' | 'network';
	/** the session ends before power/internet is back: no "up" change */
	clipped: boolean;
}

/**
 * A school day's outages (power or internet): flaky schools most days, others rarely (rural 2 %,
 * city 0.8 % of days), and afternoon downpours cut rural schools in the rainy season. Every draw
 * comes from `rng`, in a fixed order.
 */
export function outagesOn(
	hours: [number, number][],
	tr: SchoolTraits,
	weather: Weather,
	rng: Rng
): Outage[] {
	const inHours = (m: number) => hours.some(([a, b]) => m >= a && m < b);
	const hoursTotal = hours.reduce((n, [a, b]) => n + b - a, 0);
	const minuteAt = (offset: number): number => minuteIntoHours(hours, offset);
	const outages: Outage[] = [];
	const addOutage = (start: number, minutes: number, reason: Outage['reason']) => {
		const span = hours.find(([a, b]) => start >= a && start < b);
		if (!span) return;
		const end = span[1];
		const stop = Math.min(start + minutes, end);
		outages.push({ start, end: stop, reason, clipped: stop === end });
	};
	if (tr.flaky) {
		const r = rng();
		const n = r < 0.3 ? 0 : r < 0.75 ? 1 : 2;
		for (let k = 0; k < n; k++)
			addOutage(
				minuteAt(Math.floor(rng() * hoursTotal)),
				between(rng(), 10, 60),
				rng() < 0.65 ? 'network' : 'power'
			);
	} else if (rng() < (tr.rural ? 0.02 : 0.008)) {
		addOutage(
			minuteAt(Math.floor(rng() * hoursTotal)),
			between(rng(), 10, 45),
			rng() < 0.6 ? 'network' : 'power'
		);
	}
	if (weather.rainy && inHours(weather.stormStart)) {
		const p = tr.rural
			? (0.12 + 0.3 * weather.intensity) * (tr.flaky ? 1.5 : 1)
			: 0.02 * weather.intensity;
		if (rng() < p)
			addOutage(
				weather.stormStart + Math.floor(rng() * 30),
				between(rng(), 15, 60),
				rng() < 0.7 ? 'power' : 'network'
			);
	}
	return outages;
}

/**
 * Plan a school's devices for a school day: the minutes of its hours, its outages (no traffic),
 * the devices that break, and the change events around them.
 */
export function planDevices(p: Planning): void {
	const { seedH, st, tr, day, hours, weather, plan, active } = p;
	const { sparse } = plan;
	const inHours = new Uint8Array(MINUTES_PER_DAY);
	for (const [a, b] of hours) inHours.fill(1, a, b);
	if (st.devices.length) for (const [a, b] of hours) active.fill(1, a, b);
	plan.inHours = inHours;
	const hoursTotal = hours.reduce((n, [a, b]) => n + b - a, 0);
	const minuteAt = (offset: number): number => minuteIntoHours(hours, offset);

	// --- outages
	const outages = outagesOn(hours, tr, weather, mulberry32(mix(seedH, st.h, S.outage, day)));
	if (outages.length) {
		const offline = new Uint8Array(MINUTES_PER_DAY);
		for (const o of outages) offline.fill(1, o.start, o.end);
		plan.offline = offline;
	}

	// --- broken devices
	let brokenFrom: Int16Array | null = null;
	for (let i = 0; i < st.devices.length; i++) {
		const r = u01(seedH, st.devices[i].h, S.broken, day);
		const allDay = 0.004;
		const today = tr.rural ? 0.003 : 0.002;
		if (r >= allDay + today) continue;
		brokenFrom ??= new Int16Array(st.devices.length).fill(-1);
		if (r < allDay) brokenFrom[i] = 0;
		else {
			const m = minuteAt(
				Math.floor(u01(seedH, st.devices[i].h, S.broken, day ^ 0x55) * hoursTotal)
			);
			brokenFrom[i] = m;
			const d = st.devices[i];
			addSparse(sparse, active, m, {
				sec: d.sec,
				kind: 'device',
				build: () => deviceEvent(st, d, m, day, 'change', 'down', 'hardware')
			});
		}
	}
	plan.brokenFrom = brokenFrom;
	const isBroken = (i: number, m: number) =>
		brokenFrom !== null && brokenFrom[i] >= 0 && m >= brokenFrom[i];

	// --- change events around outages: a "dying gasp" when power goes, "up" when it comes back
	for (const o of outages) {
		st.devices.forEach((d, i) => {
			if (o.reason === 'power' && !isBroken(i, o.start) && !plan.offline![o.start - 1])
				addSparse(sparse, active, o.start, {
					sec: d.sec,
					kind: 'device',
					build: () => deviceEvent(st, d, o.start, day, 'change', 'down', 'power')
				});
			if (!o.clipped && !isBroken(i, o.end) && !plan.offline![o.end])
				addSparse(sparse, active, o.end, {
					sec: d.sec,
					kind: 'device',
					build: () => deviceEvent(st, d, o.end, day, 'change', 'up', o.reason)
				});
		});
	}
}

/** A device's heartbeat or change event in a minute of a local day. */
export function deviceEvent(
	st: StaticInfo,
	d: DeviceSim,
	minuteOfDay: number,
	day: number,
	event: 'heartbeat' | 'change',
	status: 'up' | 'down',
	reason?: 'power' | 'network' | 'hardware'
): EduEventInput {
	const epochMinute = day * MINUTES_PER_DAY + minuteOfDay - LOCAL_MINUTE_OFFSET;
	const payload: Extract<EduEventInput, { kind: 'device' }>['payload'] = {
		device_id: d.device_id,
		room: d.room,
		device_kind: d.device_kind,
		status,
		event,
		interval_s: 60
	};
	if (reason) payload.reason = reason;
	return {
		kind: 'device',
		event_id: (event === 'heartbeat' ? d.hbPrefix : d.chgPrefix) + epochMinute,
		schema: 1,
		school_id: st.school.school_id,
		ts: isoAt(day, minuteOfDay, d.sec),
		source: d.source,
		payload
	};
}
