import { describe, expect, it } from 'vitest';
import { IdSet } from './id-set';
import { RecentIds, idHash } from './recent-ids';

const MIN = 60_000;
const T = Date.UTC(2026, 11, 7, 3, 0);

describe('RecentIds', () => {
	it('says "maybe" only for ids it holds, per kind, at times it covers', () => {
		const r = new RecentIds(90 * MIN, T);
		r.add('device', 'ev-00000001', T - 5 * MIN);
		expect(r.mayHave('device', 'ev-00000001', T - 5 * MIN)).toBe(true);
		expect(r.mayHave('device', 'ev-00000002', T - 5 * MIN)).toBe(false);
		// another kind's table does not hold it
		expect(r.mayHave('library', 'ev-00000001', T - 5 * MIN)).toBe(false);
		// a time before the window is not covered: it may be stored, so it is looked up
		expect(r.mayHave('device', 'ev-00000003', T - 2 * 60 * MIN)).toBe(true);
		expect(r.size).toBe(1);
	});

	it('lets go of what the window passes, and then no longer vouches for those times', () => {
		const r = new RecentIds(30 * MIN, T);
		r.add('attendance', 'a-00000001', T - 20 * MIN);
		r.add('attendance', 'a-00000002', T + 30 * MIN);
		r.advance(T + 40 * MIN);
		expect(r.size).toBe(1);
		expect(r.mayHave('attendance', 'a-00000001', T - 20 * MIN)).toBe(true);
		expect(r.mayHave('attendance', 'a-00000003', T - 20 * MIN)).toBe(true);
		expect(r.mayHave('attendance', 'a-00000002', T + 30 * MIN)).toBe(true);
		expect(r.mayHave('attendance', 'a-00000004', T + 30 * MIN)).toBe(false);
		// an id older than the window is not held at all
		r.add('attendance', 'a-00000005', T - 20 * MIN);
		expect(r.size).toBe(1);
	});

	it('hashes to 64 bits without collisions over a city-day of ids', () => {
		const seen = new IdSet();
		let added = 0;
		for (let i = 0; i < 200_000; i++) {
			const [hi, lo] = idHash('device', `hb-ct-916-${String(i).padStart(7, '0')}`);
			if (seen.add(hi, lo)) added++;
		}
		expect(added).toBe(200_000);
		expect(seen.size).toBe(200_000);
	});
});

describe('IdSet', () => {
	it('holds what was added, through its growth, and nothing else; (0, 0) too', () => {
		const s = new IdSet(4);
		const keys: [number, number][] = [];
		for (let i = 1; i <= 5000; i++) keys.push([Math.imul(i, 2654435761) >>> 0, (i * 7919) >>> 0]);
		keys.push([0, 0], [0xffffffff, 0xffffffff]);
		for (const [h, l] of keys) expect(s.add(h, l)).toBe(true);
		for (const [h, l] of keys) expect(s.add(h, l)).toBe(false);
		expect(s.size).toBe(keys.length);
		for (const [h, l] of keys) expect(s.has(h, l)).toBe(true);
		let absent = 0;
		for (let i = 5001; i <= 10000; i++)
			if (!s.has(Math.imul(i, 2654435761) >>> 0, (i * 7919) >>> 0)) absent++;
		expect(absent).toBe(5000);
	});
});
