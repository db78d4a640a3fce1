import { describe, expect, it } from 'vitest';
import { logger, setLogLevel } from '../platform/log';
import { applyPatch } from '../../shared/live-patch';
import { LiveHub } from './hub';
import { sseResponse } from './sse';

setLogLevel('error');

/** A topic of numbers per district; a scope is a district id and sees its own number only. */
function hubWith(values: { v: Record<string, number> }) {
	let t = 0;
	const hub = new LiveHub(logger('test'), 1000, () => (t += 1000));
	let narrowed = 0;
	hub.add<Record<string, number>>({
		name: 'wall.kpis',
		intervalMs: 1000,
		compute: async () => ({ ...values.v }),
		narrow: (v, scope) => {
			narrowed++;
			return { [scope]: v[scope] ?? null };
		}
	});
	return { hub, narrowed: () => narrowed };
}

const dec = new TextDecoder();
const dataOf = (frame: string) => JSON.parse(frame.split('\ndata: ')[1]);

describe('live hub: scoped subscribers', () => {
	it('narrows once per scope and value, whatever the number of its subscribers', async () => {
		const values = { v: { 'co-do': 1, 'ninh-kieu': 2 } };
		const { hub, narrowed } = hubWith(values);
		await hub.tick();
		const city: string[] = [];
		const coDo: string[][] = Array.from({ length: 50 }, () => []);
		const nk: string[] = [];
		hub.subscribe(['wall.kpis'], (c) => (city.push(dec.decode(c)), true));
		coDo.forEach((f) =>
			hub.subscribe(['wall.kpis'], (c) => (f.push(dec.decode(c)), true), undefined, 'co-do')
		);
		hub.subscribe(['wall.kpis'], (c) => (nk.push(dec.decode(c)), true), undefined, 'ninh-kieu');
		// 51 joiners: two narrowings (one per scope), the city's frame as it is
		expect(narrowed()).toBe(2);
		expect(dataOf(city[0])).toEqual({ 'co-do': 1, 'ninh-kieu': 2 });
		expect(coDo.every((f) => f.length === 1 && f[0] === coDo[0][0])).toBe(true);
		expect(dataOf(coDo[0][0])).toEqual({ 'co-do': 1 });
		expect(dataOf(nk[0])).toEqual({ 'ninh-kieu': 2 });
		expect(hub.narrowings()['wall.kpis']).toBe(2);

		// Ninh Kiều changes: everyone's topic value changed, but Cờ Đỏ's narrowed value did not
		values.v = { 'co-do': 1, 'ninh-kieu': 3 };
		await hub.tick();
		expect(narrowed()).toBe(4);
		expect(city).toHaveLength(2);
		expect(nk).toHaveLength(2);
		expect(dataOf(nk[1])).toEqual({ 'ninh-kieu': 3 });
		expect(coDo.every((f) => f.length === 1)).toBe(true);

		// Cờ Đỏ changes: its 50 subscribers get one new frame, narrowed once
		values.v = { 'co-do': 5, 'ninh-kieu': 3 };
		await hub.tick();
		expect(narrowed()).toBe(6);
		expect(coDo.every((f) => f.length === 2 && dataOf(f[1])['co-do'] === 5)).toBe(true);
		expect(nk).toHaveLength(2);

		// a reader of the current value (the JSON API) shares the cache: no narrowing more
		expect(hub.currentFor('wall.kpis', 'co-do')).toEqual({ 'co-do': 5 });
		expect(hub.currentFor('wall.kpis', '')).toEqual({ 'co-do': 5, 'ninh-kieu': 3 });
		expect(narrowed()).toBe(6);
		hub.stop();
	});

	it('a scope whose narrowing fails gets nothing of the topic, never the unnarrowed value', async () => {
		let t = 0;
		const hub = new LiveHub(logger('test'), 1000, () => (t += 1000));
		hub.add<{ secret: number }>({
			name: 'wall.kpis',
			intervalMs: 1000,
			compute: async () => ({ secret: t }),
			narrow: () => {
				throw new Error('no inputs');
			}
		});
		await hub.tick();
		const got: string[] = [];
		hub.subscribe(['wall.kpis'], (c) => (got.push(dec.decode(c)), true), undefined, 'co-do');
		await hub.tick();
		expect(got).toEqual([]);
		hub.stop();
	});
});

describe('live hub: stop (the process shuts down)', () => {
	/** Read a response to its end; resolves with what it sent. */
	async function readToEnd(r: Response): Promise<string> {
		let out = '';
		for await (const chunk of r.body!) out += dec.decode(chunk as Uint8Array);
		return out;
	}

	it('ends every open stream at once, and a stream opened after it as soon as it opens', async () => {
		const { hub } = hubWith({ v: { 'co-do': 1 } });
		await hub.tick();
		const open = Array.from({ length: 100 }, () =>
			readToEnd(sseResponse(hub, ['wall.kpis'], new AbortController().signal))
		);
		await new Promise((r) => setTimeout(r, 10));
		expect(hub.clients).toBe(100);
		hub.stop();
		const sent = await Promise.all(open);
		expect(sent.every((s) => s.startsWith('retry: ') && s.includes('event: wall.kpis'))).toBe(true);
		expect(hub.clients).toBe(0);
		// a request that got in while the server closes is not left open either
		const late = await readToEnd(sseResponse(hub, ['wall.kpis'], new AbortController().signal));
		expect(late).toMatch(/^retry: \d+\n\n$/);
		expect(hub.clients).toBe(0);
	});
});

describe('live hub: patches', () => {
	it('sends a new subscriber the whole value, then patches that rebuild each value', async () => {
		const big = (n: number, hot: number) => ({
			seq: n,
			schools: Array.from({ length: 200 }, (_, i) => [`s${i}`, i === hot ? n : 0])
		});
		let value = big(1, 3);
		let t = 0;
		const hub = new LiveHub(logger('test'), 1000, () => (t += 1000));
		hub.add({ name: 'wall.kpis', intervalMs: 1000, patch: true, compute: async () => value });
		await hub.tick();
		const got: string[] = [];
		hub.subscribe(['wall.kpis'], (c) => (got.push(dec.decode(c)), true));
		let held = dataOf(got[0]);
		expect(held).toEqual(value);
		for (let n = 2; n <= 5; n++) {
			value = big(n, n);
			await hub.tick();
			const frame = dataOf(got.at(-1)!);
			expect(frame.$patch).toBe(1);
			expect(got.at(-1)!.length).toBeLessThan(JSON.stringify(value).length / 5);
			held = applyPatch(held, frame);
			expect(held).toEqual(value);
		}
		expect(hub.stats().topics['wall.kpis'].patches_sent).toBe(4);
		// a late joiner gets the whole value, not a patch
		const late: string[] = [];
		hub.subscribe(['wall.kpis'], (c) => (late.push(dec.decode(c)), true));
		expect(dataOf(late[0])).toEqual(value);
	});
});
