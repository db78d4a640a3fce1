import { describe, expect, it } from 'vitest';
import { isSchoolDay, localDay, localMs } from '#shared/calendar';
import { SCHOOL_LEVELS } from '#shared/registry';
import { parseDay } from '#shared/range';
import { fixtureDates } from './fixture-dates';

const kinds = (d: number) => SCHOOL_LEVELS.map((l) => isSchoolDay({ day: d }, l));

describe('fixtureDates', () => {
	it('moves a span by whole weeks to end at least `gap` days before today, each day keeping its kind', () => {
		const now = localMs(2026, 12, 7, 9); // a Monday
		const f = fixtureDates('2026-10-27', '2026-11-03', 2, now);
		expect(f.days % 7).toBe(0);
		expect(f.days).toBe(28);
		// the span's last day (a Tuesday) is now Tuesday 1 Dec: 6 days before today, at least 2
		expect(f.day('2026-11-03')).toBe('2026-12-01');
		expect(localDay(now) - parseDay(f.day('2026-11-03'))!).toBeGreaterThanOrEqual(2);
		expect(f.at(2026, 11, 3, 7, 45)).toBe(localMs(2026, 12, 1, 7, 45));
		for (let d = parseDay('2026-10-27')!; d <= parseDay('2026-11-03')!; d++)
			expect(kinds(d + f.days)).toEqual(kinds(d));
	});

	it('goes back past weeks whose days differ (the summer holiday), and never forward', () => {
		// a fixture span after today stays as written
		expect(fixtureDates('2026-10-27', '2026-11-03', 2, localMs(2026, 9, 10, 9)).days).toBe(0);
		// a week of school days (Mon 21 – Fri 25 Sep 2026), today early in September 2027: the
		// weeks before it are summer holiday, so the week lands in the last weeks of term, in May
		const now = localMs(2027, 9, 8, 9);
		const g = fixtureDates('2026-09-21', '2026-09-25', 2, now);
		expect(g.days % 7).toBe(0);
		for (let d = parseDay('2026-09-21')!; d <= parseDay('2026-09-25')!; d++)
			expect(kinds(d + g.days)).toEqual(kinds(d));
		expect(g.day('2026-09-25') < '2027-05-25').toBe(true);
		expect(g.day('2026-09-25') > '2027-04-30').toBe(true);
	});
});
