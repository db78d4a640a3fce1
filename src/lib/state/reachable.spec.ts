import { describe, expect, it } from 'vitest';
import { RETRY_MS, waitUntilReachable } from './reachable';

function run(answers: (boolean | 'throw')[], onlineFor = Infinity, maxTries?: number) {
	const slept: number[] = [];
	let tries = 0;
	const result = waitUntilReachable({
		probe: async () => {
			const a = answers[Math.min(tries++, answers.length - 1)];
			if (a === 'throw') throw new TypeError('Failed to fetch');
			return a;
		},
		online: () => slept.length < onlineFor,
		sleep: async (ms) => void slept.push(ms),
		maxTries
	});
	return result.then((ok) => ({ ok, slept, tries: () => tries }));
}

describe('waitUntilReachable', () => {
	it('answers at once when the server answers the first probe', async () => {
		const r = await run([true]);
		expect(r.ok).toBe(true);
		expect(r.slept).toEqual([]);
		expect(r.tries()).toBe(1);
	});

	it('keeps asking, with longer pauses, until the server answers', async () => {
		const r = await run([false, 'throw', false, 'throw', true]);
		expect(r.ok).toBe(true);
		expect(r.tries()).toBe(5);
		expect(r.slept).toEqual(RETRY_MS.slice(1, 5));
	});

	it('stops when the browser says the connection went again', async () => {
		const r = await run([false], 2);
		expect(r.ok).toBe(false);
		// two pauses, then the browser said offline: no third probe
		expect(r.tries()).toBe(2);
	});

	it('gives up after its tries, repeating the longest pause', async () => {
		const r = await run([false], Infinity, 9);
		expect(r.ok).toBe(false);
		expect(r.tries()).toBe(9);
		expect(r.slept.slice(-3)).toEqual([8000, 8000, 8000]);
	});
});
