import { describe, expect, it } from 'vitest';
import {
	dateKey,
	isPublicHoliday,
	isSchoolDay,
	isTetBreak,
	localDay,
	localMinute,
	localMs,
	schoolHours,
	sessionsOn,
	TET_DATES,
	hm
} from './calendar';

const at = (y: number, m: number, d: number, h = 9) => localMs(y, m, d, h);

describe('calendar', () => {
	it('works in Vietnam time whatever the machine zone', () => {
		// 17:30 UTC is 00:30 the next day in Cần Thơ
		const ms = Date.UTC(2026, 9, 14, 17, 30);
		expect(dateKey(localDay(ms))).toBe('20261015');
		expect(localMinute(ms)).toBe(30);
		expect(localMs(2026, 10, 15, 7, 0)).toBe(Date.parse('2026-10-15T07:00:00+07:00'));
	});

	it('holds school Monday to Friday in term, Saturday mornings for secondary only', () => {
		expect(isSchoolDay(at(2026, 10, 15), 'primary')).toBe(true); // Thursday
		expect(isSchoolDay(at(2026, 10, 17), 'lower_secondary')).toBe(true); // Saturday
		expect(isSchoolDay(at(2026, 10, 17), 'primary')).toBe(false);
		expect(isSchoolDay(at(2026, 10, 17), 'preschool')).toBe(false);
		for (const level of ['preschool', 'primary', 'lower_secondary', 'upper_secondary'] as const)
			expect(isSchoolDay(at(2026, 10, 18), level)).toBe(false); // Sunday
		expect(sessionsOn(at(2026, 10, 17), 'upper_secondary').map((s) => s.session)).toEqual([
			'morning'
		]);
		expect(sessionsOn(at(2026, 10, 16), 'primary').map((s) => s.session)).toEqual([
			'morning',
			'afternoon'
		]);
		expect(sessionsOn(at(2026, 10, 16), 'preschool').map((s) => s.session)).toEqual(['full_day']);
	});

	it('follows the school year: opens 5 September, closes 25 May', () => {
		expect(isSchoolDay(at(2026, 9, 4), 'primary')).toBe(false);
		expect(isSchoolDay(at(2026, 9, 7), 'primary')).toBe(true);
		expect(isSchoolDay(at(2027, 5, 25), 'primary')).toBe(true);
		expect(isSchoolDay(at(2027, 5, 26), 'primary')).toBe(false);
		expect(isSchoolDay(at(2026, 7, 15), 'upper_secondary')).toBe(false);
	});

	it('breaks for Tết and public holidays', () => {
		expect(Object.keys(TET_DATES).map(Number)).toEqual([2024, 2025, 2026, 2027, 2028, 2029, 2030]);
		expect(isTetBreak(at(2026, 2, 17))).toBe(true);
		expect(isTetBreak(at(2026, 2, 11))).toBe(true);
		expect(isTetBreak(at(2026, 2, 24))).toBe(true);
		expect(isTetBreak(at(2026, 2, 26))).toBe(false);
		expect(isSchoolDay(at(2026, 2, 19), 'primary')).toBe(false);
		expect(isSchoolDay(at(2026, 2, 26), 'primary')).toBe(true);
		expect(isPublicHoliday(at(2026, 4, 30))).toBe(true);
		expect(isSchoolDay(at(2027, 4, 30), 'primary')).toBe(false); // a Friday
		expect(isSchoolDay(at(2027, 1, 1), 'primary')).toBe(false);
		expect(isSchoolDay(at(2026, 4, 27), 'primary')).toBe(true);
		expect(isSchoolDay(at(2027, 4, 16), 'primary')).toBe(false); // Hùng Kings
	});

	it('merges the hours of a school with several levels', () => {
		expect(schoolHours(at(2026, 10, 15), ['primary', 'lower_secondary'])).toEqual([
			[hm(7), hm(11, 15)],
			[hm(13, 30), hm(17)]
		]);
		expect(schoolHours(at(2026, 10, 15), ['preschool', 'primary'])).toEqual([[hm(7), hm(17)]]);
		expect(schoolHours(at(2026, 10, 17), ['primary', 'lower_secondary'])).toEqual([
			[hm(7), hm(11, 15)]
		]);
		expect(schoolHours(at(2026, 10, 18), ['primary'])).toEqual([]);
	});
});
