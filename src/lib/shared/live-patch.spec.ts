import { describe, expect, it } from 'vitest';
import { applyPatch, diffValues, isPatch } from './live-patch';

const schools = (n: number, f = (i: number) => i) =>
	Array.from({ length: n }, (_, i) => [`s${i}`, 'good', f(i), null]);

describe('live patches', () => {
	it('sends only the counters and the schools that changed', () => {
		const a = { at: 't1', seq: 10, city: { v: 1 }, schools: schools(100) };
		const b = {
			at: 't2',
			seq: 12,
			city: { v: 1 },
			schools: schools(100, (i) => (i === 7 ? -1 : i))
		};
		const p = diffValues(a, b)!;
		expect(isPatch(p)).toBe(true);
		expect(p.set).toEqual({ at: 't2', seq: 12 });
		expect(p.rows).toEqual({ schools: [[7, ['s7', 'good', -1, null]]] });
		expect(applyPatch(a, p)).toEqual(b);
		// the value before is untouched
		expect(a.schools[7][2]).toBe(7);
		expect(JSON.stringify(p).length).toBeLessThan(JSON.stringify(b).length / 10);
	});

	it('replaces an array most of which changed, or whose length changed, and removes keys gone', () => {
		const a: Record<string, unknown> = { x: 1, gone: true, schools: schools(10) };
		const b = { x: 1, schools: schools(10, (i) => i + 1) };
		const p = diffValues(a, b)!;
		expect(p.set).toEqual({ schools: b.schools });
		expect(p.del).toEqual(['gone']);
		expect(applyPatch(a, p)).toEqual(b);
		const c = { x: 1, schools: [...schools(10), ['s10', 'alert', 1, 2]] };
		const q = diffValues(b, c)!;
		expect(applyPatch(b, q)).toEqual(c);
		const d = { x: 1, schools: schools(4) };
		expect(applyPatch(c, diffValues(c, d)!)).toEqual(d);
	});

	it('is empty for equal values and null for non-objects', () => {
		expect(diffValues({ a: [1, 2], b: { c: 1 } }, { a: [1, 2], b: { c: 1 } })).toEqual({
			$patch: 1
		});
		expect(diffValues([1], [2])).toBeNull();
		expect(isPatch({ seq: 1 })).toBe(false);
	});
});
