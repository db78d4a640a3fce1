/**
 * The events of a window: the day plans played minute by minute, heartbeats filled in.
 */
import { TELEMETRY_KINDS, type EduEventInput, type TelemetryKind } from '#shared/contract';
import { MINUTE_MS } from '#shared/calendar';
import { u01 } from '../random';
import { contextFor } from './context';
import type { DayPlans } from './day';
import { deviceEvent } from './devices';
import { plansFor } from './plan';
import { DEFAULT_SEED, LOCAL_MINUTE_OFFSET, MINUTES_PER_DAY, S } from './seed';
import type { SimEvent, SimOptions, SimRegistry } from './types';
/**
 * Every simulated event with `ts` in [fromMs, toMs), in time order (to the second), as
 * `{ subject, event }`. Deterministic in (registry, seed): regenerate any window and get the same
 * events with the same ids.
 */
export function* eventsBetween(
	registry: SimRegistry,
	fromMs: number,
	toMs: number,
	opts: SimOptions = {}
): Generator<SimEvent> {
	if (!(toMs > fromMs) || registry.schools.length === 0) return;
	const ctx = contextFor(registry, opts.seed ?? DEFAULT_SEED);
	const want = new Set<TelemetryKind>(opts.kinds ?? TELEMETRY_KINDS);
	const wantDevices = want.has('device');
	const bins: SimEvent[][] = Array.from({ length: 60 }, () => []);
	const first = Math.floor(fromMs / MINUTE_MS);
	const last = Math.ceil(toMs / MINUTE_MS);
	let day = NaN;
	let plans: DayPlans | null = null;
	for (let em = first; em < last; em++) {
		const local = em + LOCAL_MINUTE_OFFSET;
		const d = Math.floor(local / MINUTES_PER_DAY);
		const m = local - d * MINUTES_PER_DAY;
		if (d !== day) {
			day = d;
			plans = plansFor(ctx, d);
		}
		if (!plans!.active[m]) continue;
		const minuteMs = em * MINUTE_MS;
		const edge = minuteMs < fromMs || minuteMs + MINUTE_MS > toMs;
		const inWindow = (sec: number) =>
			!edge || (minuteMs + sec * 1000 >= fromMs && minuteMs + sec * 1000 < toMs);
		const days = plans!.days;
		for (let i = 0; i < days.length; i++) {
			const p = days[i];
			const st = ctx.statics[i];
			const sp = p.sparse.get(m);
			if (sp)
				for (const s of sp) {
					if (!want.has(s.kind) || !inWindow(s.sec)) continue;
					const event = s.build();
					if (event) bins[s.sec].push({ subject: st.subjects[s.kind], event });
				}
			if (!wantDevices || !p.inHours || !p.inHours[m] || (p.offline && p.offline[m])) continue;
			const tr = ctx.traits[i];
			const subject = st.subjects.device;
			for (let k = 0; k < st.devices.length; k++) {
				const dev = st.devices[k];
				if (!inWindow(dev.sec)) continue;
				if (u01(ctx.seedH, dev.h, S.miss, em) < tr.missRate) continue;
				const broken = p.brokenFrom !== null && p.brokenFrom[k] >= 0 && m >= p.brokenFrom[k];
				bins[dev.sec].push({
					subject,
					event: deviceEvent(
						st,
						dev,
						m,
						d,
						'heartbeat',
						broken ? 'down' : 'up',
						broken ? 'hardware' : undefined
					)
				});
			}
		}
		for (const bin of bins) {
			for (const e of bin) yield e;
			bin.length = 0;
		}
	}
}

/** Milliseconds of an event's ts (the simulator always writes `…+07:00`). */
export function tsMs(event: EduEventInput): number {
	return Date.parse(event.ts);
}
