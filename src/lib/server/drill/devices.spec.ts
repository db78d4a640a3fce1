import { describe, expect, it } from 'vitest';
import { dayStartMs, localDay, localMs } from '../../shared/calendar';
import { splitDays } from './devices';

const day = (y: number, m: number, d: number) => localDay(localMs(y, m, d, 12, 0));

describe('splitDays', () => {
	it('reads whole Vietnam days from the day rollup and only the part days from the raw table', () => {
		// 1 Nov 00:00 to 3 Nov 08:30 (Vietnam): 1 and 2 Nov whole, 3 Nov to 08:30 a part day
		const s = splitDays(localMs(2026, 11, 1, 0, 0), localMs(2026, 11, 3, 8, 30));
		expect([s.d0, s.d1]).toEqual([day(2026, 11, 1), day(2026, 11, 3)]);
		expect(s.head[1] - s.head[0]).toBe(0);
		expect(s.tail).toEqual([localMs(2026, 11, 3, 0, 0), localMs(2026, 11, 3, 8, 30)]);
	});

	it('reads nothing raw for whole days, and everything raw inside one day', () => {
		const whole = splitDays(dayStartMs(day(2026, 11, 1)), dayStartMs(day(2026, 11, 4)));
		expect([
			whole.d1 - whole.d0,
			whole.head[1] - whole.head[0],
			whole.tail[1] - whole.tail[0]
		]).toEqual([3, 0, 0]);
		const inside = splitDays(localMs(2026, 11, 3, 7, 10), localMs(2026, 11, 3, 7, 50));
		expect(inside.d1 - inside.d0).toBe(0);
		expect(inside.head).toEqual([localMs(2026, 11, 3, 7, 10), localMs(2026, 11, 3, 7, 50)]);
	});

	it('splits part days on both sides of whole ones', () => {
		const s = splitDays(localMs(2026, 11, 2, 7, 30), localMs(2026, 11, 4, 7, 20));
		expect([s.d0, s.d1]).toEqual([day(2026, 11, 3), day(2026, 11, 4)]);
		expect(s.head).toEqual([localMs(2026, 11, 2, 7, 30), localMs(2026, 11, 3, 0, 0)]);
		expect(s.tail).toEqual([localMs(2026, 11, 4, 0, 0), localMs(2026, 11, 4, 7, 20)]);
	});
});
