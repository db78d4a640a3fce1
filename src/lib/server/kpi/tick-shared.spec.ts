import { describe, expect, it } from 'vitest';
import { TickShared, asView } from './tick-shared';

/** A read that counts its calls and resolves when told (or at once). */
function reader(values: number[]) {
	let calls = 0;
	const pending: (() => void)[] = [];
	return {
		get calls() {
			return calls;
		},
		read: (held = false) =>
			new Promise<number>((resolve) => {
				const v = values[calls++];
				if (held) pending.push(() => resolve(v));
				else resolve(v);
			}),
		release: () => pending.splice(0).forEach((f) => f())
	};
}

describe('TickShared', () => {
	it('serves a read younger than a tick as it is, and shares one read between concurrent askers', async () => {
		let t = 0;
		const s = new TickShared<number>({ tickMs: 1000, staleMs: 3000, clock: () => t });
		const r = reader([1, 2]);
		const [a, b] = await Promise.all([
			s.get('k', undefined, () => r.read()),
			s.get('k', undefined, () => r.read())
		]);
		expect([a, b, r.calls]).toEqual([1, 1, 1]);
		t = 999;
		expect(await s.get('k', undefined, () => r.read())).toBe(1);
		expect(r.calls).toBe(1);
	});

	it('after a tick serves the old value and reads the next in the background; past staleMs it waits', async () => {
		let t = 0;
		const s = new TickShared<number>({ tickMs: 1000, staleMs: 3000, clock: () => t });
		const r = reader([1, 2, 3]);
		await s.get('k', undefined, () => r.read());
		t = 1500;
		// the old value at once; the background read is held
		expect(await s.get('k', undefined, () => r.read(true))).toBe(1);
		expect(r.calls).toBe(2);
		// still the old one while the new read is out, and no second background read
		expect(await s.get('k', undefined, () => r.read(true))).toBe(1);
		expect(r.calls).toBe(2);
		r.release();
		await new Promise((f) => setTimeout(f, 0));
		expect(await s.get('k', undefined, () => r.read())).toBe(2);
		// the new value began at 1500: at 4600 it is too old to serve, so the ask waits for a read
		t = 4600;
		expect(await s.get('k', undefined, () => r.read())).toBe(3);
		expect(s.stats).toMatchObject({ reads: 3, refreshes: 1 });
	});

	it('serves another ask only when `fits` says so', async () => {
		const s = new TickShared<number, number>({
			clock: () => 0,
			fits: (kept, asked) => kept <= asked && asked - kept < 100
		});
		const r = reader([1, 2, 3]);
		expect(await s.get('k', 1000, () => r.read())).toBe(1);
		expect(await s.get('k', 1050, () => r.read())).toBe(1);
		// earlier than what was read, or too far after it: read again
		expect(await s.get('k', 900, () => r.read())).toBe(2);
		expect(await s.get('k', 1200, () => r.read())).toBe(3);
	});

	it('keeps no failed read, and forgets everything on expire', async () => {
		const s = new TickShared<number>({ clock: () => 0 });
		await expect(s.get('k', undefined, () => Promise.reject(new Error('down')))).rejects.toThrow(
			'down'
		);
		const r = reader([1, 2]);
		expect(await s.get('k', undefined, () => r.read())).toBe(1);
		s.expire();
		expect(await s.get('k', undefined, () => r.read())).toBe(2);
	});

	it("after this process's own write: read again for any asker but a view, which shares what was read", async () => {
		const s = new TickShared<number>({ clock: () => 0 });
		const r = reader([1, 2, 3]);
		expect(await s.get('k', undefined, () => r.read())).toBe(1);
		s.written();
		// a view is served what is held, within the tick's bounds
		expect(await asView(() => s.get('k', undefined, () => r.read()))).toBe(1);
		// the wall (any other asker) reads again, and the view then shares that read
		expect(await s.get('k', undefined, () => r.read())).toBe(2);
		expect(await asView(() => s.get('k', undefined, () => r.read()))).toBe(2);
		expect(r.calls).toBe(2);
		// and a view with nothing held reads, like anyone
		s.expire();
		expect(await asView(() => s.get('k', undefined, () => r.read()))).toBe(3);
	});
});
