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
		expect(p.cells).toEqual({ schools: [[7, 2, -1]] });
		expect(applyPatch(a, p)).toEqual(b);
		// the value before is untouched
		expect(a.schools[7][2]).toBe(7);
		expect(JSON.stringify(p).length).toBeLessThan(JSON.stringify(b).length / 10);
	});

	it('sends the cells of tuples that changed in a few cells, also when every tuple did', () => {
		// the wall's tuples: id, status, attendance, uptime, library, completeness; a minute moves uptime
		const wall = (up: (i: number) => number) =>
			Array.from({ length: 100 }, (_, i) => [`gx-916-${i}`, 'good', 0.9531, up(i), 1.02, 0.8712]);
		const a = { at: 't1', schools: wall((i) => i / 100) };
		const b = { at: 't2', schools: wall((i) => i / 100 + 0.0005) };
		const p = diffValues(a, b)!;
		expect(p.set).toEqual({ at: 't2' });
		expect(p.rows).toBeUndefined();
		expect(p.cells?.schools).toHaveLength(100);
		expect(p.cells?.schools[3]).toEqual([3, 3, 0.0305]);
		expect(applyPatch(a, p)).toEqual(b);
		// the value before and its tuples are untouched
		expect(a.schools[3]).toEqual(['gx-916-3', 'good', 0.9531, 0.03, 1.02, 0.8712]);
		expect(JSON.stringify(p).length).toBeLessThan(JSON.stringify(b).length / 2);
		// rows and cells together: a tuple changed in most of its cells is sent whole
		const c: { at: string; schools: unknown[][] } = {
			at: 't2',
			schools: schools(100).map((s, i) =>
				i === 5 ? ['s5', 'alert', 0, 1] : i === 9 ? ['s9', 'good', -9, null] : s
			)
		};
		const q = diffValues({ at: 't1', schools: schools(100) }, c)!;
		expect(q.rows).toEqual({ schools: [[5, ['s5', 'alert', 0, 1]]] });
		expect(q.cells).toEqual({ schools: [[9, 2, -9]] });
		expect(applyPatch({ at: 't1', schools: schools(100) }, q)).toEqual(c);
	});

	it('replaces an array most of which changed, or whose length changed, and removes keys gone', () => {
		const a: Record<string, unknown> = { x: 1, gone: true, schools: schools(10) };
		const b = { x: 1, schools: schools(10, (i) => i + 1).map(([id]) => [id, 'alert', 0, 1]) };
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
