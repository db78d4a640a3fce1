/**
 * The demo clock. A realistic school day is silent at night, on Sundays and in the holidays, so a
 * demo started then would show nothing moving. In `demo` clock mode the simulator's calendar runs
 * behind the wall clock by a whole number of hours, chosen at start so that "now" falls in the
 * school hours of a full school day; events are still stamped with wall-clock time, so freshness
 * on the wall is real. `real` mode (shift 0) plays the true calendar.
 */
import { DAY_MS, isSchoolDay, localDay, localMinute, hm } from '#shared/calendar';

const HOUR_MS = 3600_000;

/**
 * The hours a demo plays: class time, when every classroom device heartbeats and roll calls come
 * in. Not the midday break (11:15–13:30), when only full-day schools teach and a wall shows little
 * moving, nor the first and last hour (roll calls not yet in, devices being switched off).
 */
export const DEMO_HOURS: readonly (readonly [number, number])[] = [
	[hm(8), hm(11)],
	[hm(14), hm(15)]
];

/** Smallest whole-hour shift putting `now - shift` in DEMO_HOURS (local) on a weekday school day. */
export function demoShiftMs(now: number): number {
	for (let h = 0; h <= 24 * 120; h++) {
		const sim = now - h * HOUR_MS;
		const minute = localMinute(sim);
		const day = localDay(sim);
		const weekday = new Date(day * DAY_MS).getUTCDay();
		if (
			DEMO_HOURS.some(([a, b]) => minute >= a && minute < b) &&
			weekday >= 1 &&
			weekday <= 5 &&
			isSchoolDay({ day }, 'primary')
		)
			return h * HOUR_MS;
	}
	return 0;
}
