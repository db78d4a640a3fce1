import { describe, expect, it } from 'vitest';
import { IN_ENGINE, Lane, PROMOTE_MS, inBackground, inForeground, isBackground } from './lane';

/** A call that finishes when `finish()` is called, recording when it started. */
function gate(log: string[], name: string) {
	let finish!: () => void;
	let fail!: (e: Error) => void;
	const done = new Promise<string>((res, rej) => {
		finish = () => res(name);
		fail = rej;
	});
	return {
		call: () => {
			log.push(name);
			return done;
		},
		finish,
		fail
	};
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the engine lane', () => {
	it('keeps at most IN_ENGINE calls in the engine, and a request waits before background work only behind them', async () => {
		const lane = new Lane(() => 0);
		const log: string[] = [];
		const running = Array.from({ length: IN_ENGINE }, (_, i) => gate(log, `run${i}`));
		const ps = running.map((g) => lane.run(g.call));
		const ingest = gate(log, 'insert');
		const page = gate(log, 'page');
		const pIngest = inBackground(() => lane.run(ingest.call));
		const pPage = lane.run(page.call);
		await tick();
		expect(log).toEqual(running.map((_, i) => `run${i}`));
		expect(lane.stats.waiting).toBe(2);
		running[0].finish();
		await tick();
		// the page came later and goes first
		expect(log.at(-1)).toBe('page');
		page.finish();
		running.slice(1).forEach((g) => g.finish());
		await tick();
		expect(log.at(-1)).toBe('insert');
		ingest.finish();
		expect(await Promise.all([...ps, pPage, pIngest])).toEqual([
			...running.map((_, i) => `run${i}`),
			'page',
			'insert'
		]);
		expect(lane.stats).toMatchObject({ foreground: IN_ENGINE + 1, background: 1, waiting: 0 });
	});

	it('lets background work that has waited PROMOTE_MS go before later requests', async () => {
		let now = 0;
		const lane = new Lane(() => now);
		const log: string[] = [];
		const running = Array.from({ length: IN_ENGINE }, (_, i) => gate(log, `run${i}`));
		running.forEach((g) => void lane.run(g.call));
		const ingest = gate(log, 'insert');
		void inBackground(() => lane.run(ingest.call));
		now += PROMOTE_MS;
		const page = gate(log, 'page');
		void lane.run(page.call);
		running[0].finish();
		await tick();
		expect(log.at(-1)).toBe('insert');
		expect(lane.stats.promoted).toBe(1);
	});

	it('passes a failure to its caller and goes on with the next call', async () => {
		const lane = new Lane();
		const log: string[] = [];
		const bad = gate(log, 'bad');
		const running = Array.from({ length: IN_ENGINE - 1 }, (_, i) => gate(log, `run${i}`));
		running.forEach((g) => void lane.run(g.call));
		const pBad = lane.run(bad.call);
		const after = lane.run(async () => 'next');
		bad.fail(new Error('Code: 62. Syntax error'));
		await expect(pBad).rejects.toThrow('Syntax error');
		expect(await after).toBe('next');
		// a call that throws before it returns a promise is a rejection too
		await expect(
			lane.run(() => {
				throw new Error('thrown');
			})
		).rejects.toThrow('thrown');
	});

	it('background work is marked through awaits, and only inside inBackground', async () => {
		expect(isBackground()).toBe(false);
		const seen = await inBackground(async () => {
			await tick();
			return [isBackground(), inForeground(() => isBackground())];
		});
		expect(seen).toEqual([true, false]);
		expect(isBackground()).toBe(false);
	});
});
