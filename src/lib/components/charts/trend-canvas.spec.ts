import { describe, expect, it } from 'vitest';
import { valueAxis, type TrendSpec } from './trend-canvas';

const ratio = (values: (number | null)[], extra: Partial<TrendSpec> = {}): TrendSpec => ({
	labels: values.map((_, i) => String(i)),
	series: [{ name: 'city', values, color: '#fff' }],
	unit: 'percent',
	max: 1,
	...extra
});
const round = (xs: number[]) => xs.map((x) => Math.round(x * 1e6) / 1e6);

describe('valueAxis', () => {
	it('keeps a target in view, a whole percent below the lowest point, up to a fixed top of 100 %', () => {
		const a = valueAxis(ratio([0.947, null, 0.949], { target: { value: 0.95, label: '95%' } }));
		expect(a.lo).toBeCloseTo(0.94, 9);
		expect(a.hi).toBe(1);
		expect(round(a.ticks)).toEqual([0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1]);
	});

	it('ticks a ratio axis with a fixed top at least 1 % apart', () => {
		const a = valueAxis(ratio([0.995, 0.996], { min: 0.99 }));
		expect(round(a.ticks)).toEqual([0.99, 1]);
	});

	it('ticks counts on whole numbers, rounding free ends out to a tick', () => {
		const a = valueAxis({
			labels: ['a', 'b', 'c'],
			series: [{ name: 'n', values: [2, 3, 4], color: '#fff' }],
			unit: 'count'
		});
		expect(a.ticks.every((t) => Number.isInteger(t))).toBe(true);
		expect(a.lo).toBeLessThanOrEqual(2);
		expect(a.hi).toBeGreaterThanOrEqual(4);
		expect(a.ticks[0]).toBe(a.lo);
		expect(a.ticks.at(-1)).toBe(a.hi);
	});

	it('gives a flat or empty series a span to draw in', () => {
		const flat = valueAxis({
			labels: ['a'],
			series: [{ name: 'n', values: [5], color: '#fff' }],
			unit: 'count'
		});
		expect(flat.hi).toBeGreaterThan(flat.lo);
		const empty = valueAxis(ratio([null, null]));
		expect(empty.hi).toBe(1);
		expect(empty.lo).toBeLessThan(1);
	});
});
