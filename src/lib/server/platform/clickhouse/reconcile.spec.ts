import { describe, expect, it } from 'vitest';
import { localMs } from '../../../shared/calendar';
import { parseDay } from '../../../shared/range';
import { comparableDays } from './reconcile';

const day = (s: string) => parseDay(s)!;

describe('comparableDays', () => {
	// 6 December 2026, 01:00 in Cần Thơ (5 December 18:00 UTC)
	const now = localMs(2026, 12, 6, 1);

	it('keeps the range when both tables hold it', () => {
		expect(
			comparableDays(day('2026-11-01'), day('2026-11-30'), now, [
				{ table: 'attendance_raw', keepDays: 400 },
				{ table: 'attendance_1d', keepDays: null }
			])
		).toEqual({ d0: day('2026-11-01'), d1: day('2026-11-30'), note: undefined });
	});

	it('starts the day after the shorter TTL cuts, and says which table cut it', () => {
		// 90 days before is 7 September 01:00: that day is partly gone, 8 September is whole
		expect(
			comparableDays(day('2026-01-01'), day('2026-12-05'), now, [
				{ table: 'device_raw', keepDays: 90 },
				{ table: 'device_1m', keepDays: 35 }
			])
		).toEqual({
			d0: day('2026-11-02'),
			d1: day('2026-12-05'),
			note: 'device_1m keeps 35 days: compared from 2026-11-02'
		});
		expect(
			comparableDays(day('2026-01-01'), day('2026-12-05'), now, [
				{ table: 'device_raw', keepDays: 90 }
			])
		).toMatchObject({ d0: day('2026-09-08') });
	});

	it('leaves nothing when the whole range is past a TTL', () => {
		const w = comparableDays(day('2026-01-01'), day('2026-01-31'), now, [
			{ table: 'device_raw', keepDays: 90 }
		]);
		expect(w.d0).toBeGreaterThan(w.d1);
	});
});
