import { describe, expect, it } from 'vitest';
import { age, dayMonthOf, pct, points } from './format';

describe('format', () => {
	it('writes percentages and points the Vietnamese way and the English way', () => {
		expect(pct(0.9351, 'vi')).toMatch(/^93,5\s?%$/);
		expect(pct(0.9351, 'en')).toBe('93.5%');
		expect(pct(null, 'vi')).toBe('—');
		expect(points(-0.0123, 'vi')).toBe('-1,2 điểm');
		expect(points(0.004, 'en')).toBe('+0.4 pts');
	});
	it('says how old data is', () => {
		expect(age(12_400, 'vi')).toBe('12 giây');
		expect(age(3 * 60_000 + 5_000, 'en')).toBe('3 min');
		expect(age(2 * 3600_000, 'vi')).toBe('2 giờ');
	});
	it('dates a day on the measured calendar, with or without the demo shift', () => {
		// real clock: Thursday 26 Nov began at 25 Nov 17:00 UTC
		expect(dayMonthOf('2026-11-25T17:00:00.000Z', '2026-11-26T17:00:00.000Z', '2026-11-27')).toBe(
			'26/11'
		);
		// demo clock, shift 36 h: the played Friday 27 Nov began at 28 Nov 05:00 UTC; Thursday a day before
		expect(dayMonthOf('2026-11-27T05:00:00.000Z', '2026-11-28T05:00:00.000Z', '2026-11-27')).toBe(
			'26/11'
		);
		expect(dayMonthOf('2026-11-03T05:00:00.000Z', '2026-11-28T05:00:00.000Z', '2026-11-27')).toBe(
			'02/11'
		);
	});
});
