import { describe, expect, it } from 'vitest';
import { dayOf } from '../../shared/calendar';
import { formatDay } from '../../shared/range';
import { monthSpans } from './figures';

const spans = (a: [number, number, number], b: [number, number, number]) =>
	monthSpans(dayOf(...a), dayOf(...b)).map(([d0, d1, m]) => [formatDay(d0), formatDay(d1), m]);

describe('monthSpans', () => {
	it('cuts a range at each month boundary, the first and last months cut to the range', () => {
		expect(spans([2026, 10, 30], [2026, 11, 2])).toEqual([
			['2026-10-30', '2026-10-31', '2026-10'],
			['2026-11-01', '2026-11-02', '2026-11']
		]);
		expect(spans([2026, 12, 20], [2027, 2, 3])).toEqual([
			['2026-12-20', '2026-12-31', '2026-12'],
			['2027-01-01', '2027-01-31', '2027-01'],
			['2027-02-01', '2027-02-03', '2027-02']
		]);
	});

	it('gives one month for a range inside it, one day for a one-day range, none for an empty one', () => {
		expect(spans([2026, 11, 23], [2026, 11, 27])).toEqual([
			['2026-11-23', '2026-11-27', '2026-11']
		]);
		expect(spans([2028, 2, 29], [2028, 2, 29])).toEqual([['2028-02-29', '2028-02-29', '2028-02']]);
		expect(spans([2026, 11, 3], [2026, 11, 2])).toEqual([]);
	});
});
