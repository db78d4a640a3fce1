/**
 * Fixture dates that stay recent. A test's hand-made events are written on fixed days (a Tuesday
 * 3 Nov 2026, …), but the store forgets by the real clock: the minute rollups keep 35 days, and
 * the readers leave them after 34. So a fixture's days are moved by whole weeks to the latest span
 * that ends before today and keeps each day what it was (weekday, school day or not, the same
 * for every level): `at(2026, 11, 3, 7, 45)` is then a Tuesday's 07:45 a few days ago, and
 * `day('2026-11-02')` that span's Monday. The expectations, written with the same two helpers,
 * hold on any date.
 */
import { DAY_MS, isSchoolDay, localDay, localMs } from '#shared/calendar';
import { SCHOOL_LEVELS } from '#shared/registry';
import { formatDay, parseDay } from '#shared/range';

const kind = (d: number) => SCHOOL_LEVELS.map((l) => (isSchoolDay({ day: d }, l) ? 1 : 0)).join('');

export interface FixtureDates {
	/** the shift, in whole days (a multiple of 7) */
	days: number;
	/** a Vietnam local time of a fixture day, moved (ms) */
	at(y: number, mo: number, d: number, h?: number, mi?: number): number;
	/** a fixture day 'YYYY-MM-DD', moved */
	day(s: string): string;
}

/**
 * The shift for fixtures written on days `first`..`last` ('YYYY-MM-DD'): the latest whole-week
 * shift that ends the span at least `gap` days before today (real clock), keeping every day's kind.
 */
export function fixtureDates(first: string, last: string, gap = 2, now = Date.now()): FixtureDates {
	const d0 = parseDay(first)!;
	const d1 = parseDay(last)!;
	let weeks = Math.floor((localDay(now) - gap - d1) / 7);
	const same = (w: number) => {
		for (let d = d0; d <= d1; d++) if (kind(d) !== kind(d + 7 * w)) return false;
		return true;
	};
	while (weeks > 0 && !same(weeks)) weeks--;
	const days = Math.max(0, weeks) * 7;
	return {
		days,
		at: (y, mo, d, h = 0, mi = 0) => localMs(y, mo, d, h, mi) + days * DAY_MS,
		day: (s) => formatDay(parseDay(s)! + days)
	};
}
