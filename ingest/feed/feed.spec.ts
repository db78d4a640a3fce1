import { describe, expect, it } from 'vitest';
import type { EduEventInput } from '#shared/contract';
import { localMs } from '#shared/calendar';
import { DemoFeed } from './feed';
import { syntheticRegistry } from './fixtures';

const registry = syntheticRegistry(18);
const decoder = new TextDecoder();

/** A clock the test moves, and a sink that records what it is given. */
function rig(start: number) {
	const clock = { t: start };
	const got: { subject: string; event: EduEventInput }[] = [];
	const sink = (subject: string, data: Uint8Array) =>
		void got.push({ subject, event: JSON.parse(decoder.decode(data)) });
	return { clock, got, sink, now: () => clock.t };
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 5));
	}
}

const ts = (e: { event: EduEventInput }) => Date.parse(e.event.ts);

describe('DemoFeed', () => {
	it('backfills, shows today’s attendance at once, then publishes as time passes, never ahead of the clock', async () => {
		const { clock, got, sink, now } = rig(localMs(2026, 10, 15, 9, 0));
		const feed = new DemoFeed(sink, registry, { now, backfillMinutes: 10, tickMs: 10, seed: 83 });
		await feed.start();
		expect(feed.published).toBeGreaterThan(0);
		expect(feed.published).toBe(got.length);
		expect(feed.lastTickAt).toBe(clock.t);
		expect(got.every((e) => ts(e) < clock.t)).toBe(true);
		// morning roll call (07:00–08:00) and the 06:00 completeness round, though backfill is 10 minutes
		expect(
			got.some((e) => e.event.kind === 'attendance' && e.event.ts.startsWith('2026-10-15T07'))
		).toBe(true);
		expect(
			got.some((e) => e.event.kind === 'completeness' && e.event.ts.startsWith('2026-10-15T06'))
		).toBe(true);
		// but devices only for the backfill window
		const devices = got.filter((e) => e.event.kind === 'device');
		expect(devices.length).toBeGreaterThan(0);
		expect(Math.min(...devices.map(ts))).toBeGreaterThanOrEqual(clock.t - 10 * 60_000);

		const before = got.length;
		clock.t += 90_000;
		await until(() => feed.cursor === clock.t);
		expect(got.length).toBeGreaterThan(before);
		expect(got.every((e) => ts(e) < clock.t)).toBe(true);
		const ids = got.map((e) => e.event.event_id);
		expect(new Set(ids).size).toBe(ids.length);
		await feed.stop();
		const after = got.length;
		clock.t += 90_000;
		await new Promise((r) => setTimeout(r, 50));
		expect(got.length).toBe(after);
	});

	it('publishes earlier days of history (no device heartbeats) behind the live events, and none on a resume', async () => {
		const { clock, got, sink, now } = rig(localMs(2026, 10, 15, 9, 0));
		const feed = new DemoFeed(sink, registry, {
			now,
			backfillMinutes: 5,
			tickMs: 10,
			seed: 83,
			historyDays: 3
		});
		await feed.start();
		expect(feed.backfilling).toBe(true);
		await until(() => !feed.backfilling, 10_000);
		const today = localMs(2026, 10, 15);
		const history = got.filter((e) => ts(e) < today - 2 * 3600_000);
		const kinds = new Set(history.map((e) => e.event.kind));
		expect([...kinds].sort()).toEqual(['attendance', 'completeness', 'library']);
		// three days back: the 12th (a Monday) through the 14th
		expect(Math.min(...history.map(ts))).toBeGreaterThanOrEqual(today - 3 * 86_400_000);
		expect(history.some((e) => e.event.ts.startsWith('2026-10-12'))).toBe(true);
		expect(
			history.some((e) => e.event.kind === 'attendance' && e.event.ts.startsWith('2026-10-14'))
		).toBe(true);
		await feed.stop();

		const again = rig(clock.t + 60_000);
		const resumed = new DemoFeed(again.sink, registry, {
			now: again.now,
			backfillMinutes: 5,
			tickMs: 10,
			seed: 83,
			historyDays: 3,
			resumeFrom: clock.t
		});
		await resumed.start();
		expect(resumed.backfilling).toBe(false);
		expect(again.got.every((e) => ts(e) >= clock.t)).toBe(true);
		await resumed.stop();
	});

	it('replays the backfill faster with speed > 1, then keeps to the wall clock', async () => {
		const t0 = localMs(2026, 10, 15, 9, 0);
		const { clock, got, sink, now } = rig(t0);
		const feed = new DemoFeed(sink, registry, {
			now,
			backfillMinutes: 30,
			tickMs: 10,
			speed: 60,
			seed: 83
		});
		await feed.start();
		// simulated time starts 30 minutes ago: no heartbeat yet
		expect(got.filter((e) => e.event.kind === 'device')).toEqual([]);
		expect(got.some((e) => e.event.kind === 'attendance')).toBe(true);
		clock.t = t0 + 10_000; // 10 s × 60 = 10 simulated minutes
		await until(() => feed.cursor === t0 - 20 * 60_000);
		const hb = got.filter((e) => e.event.kind === 'device');
		expect(hb.length).toBeGreaterThan(0);
		expect(Math.max(...hb.map(ts))).toBeLessThan(t0 - 20 * 60_000);
		clock.t = t0 + 60_000; // caught up: simulated now is the wall clock
		await until(() => feed.cursor === clock.t);
		expect(feed.simulatedNow()).toBe(clock.t);
		expect(got.every((e) => ts(e) < clock.t)).toBe(true);
		await feed.stop();
	});

	it('waits for a slow sink and retries after a failure without losing events', async () => {
		const t0 = localMs(2026, 10, 15, 9, 0);
		const reference = rig(t0);
		const ref = new DemoFeed(reference.sink, registry, {
			now: reference.now,
			backfillMinutes: 5,
			tickMs: 10,
			kinds: ['device', 'library']
		});
		await ref.start();
		await ref.stop();

		const { clock, now } = rig(t0);
		const got: string[] = [];
		let inFlight = 0;
		let maxInFlight = 0;
		let calls = 0;
		const errors: unknown[] = [];
		const sink = async (_subject: string, data: Uint8Array) => {
			if (++calls === 100) throw new Error('nats down');
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((r) => setImmediate(r));
			inFlight--;
			got.push(JSON.parse(decoder.decode(data)).event_id);
		};
		const feed = new DemoFeed(sink, registry, {
			now,
			backfillMinutes: 5,
			tickMs: 10,
			kinds: ['device', 'library'],
			onError: (e) => errors.push(e)
		});
		await feed.start();
		expect(errors).toHaveLength(1);
		expect(feed.errors).toBe(1);
		await until(() => feed.cursor === clock.t);
		await feed.stop();
		expect(maxInFlight).toBe(1);
		expect(new Set(got)).toEqual(new Set(reference.got.map((e) => e.event.event_id)));
	});

	it('stop() resolves while a tick is in flight, and the timer does not hold the process', async () => {
		const { sink, now } = rig(localMs(2026, 10, 15, 9, 0));
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		let calls = 0;
		const feed = new DemoFeed(
			async (s, d) => {
				if (++calls === 1) await gate;
				sink(s, d);
			},
			registry,
			{ now, backfillMinutes: 60, tickMs: 10 }
		);
		void feed.start();
		await until(() => calls === 1);
		expect(feed['timer']).toBeNull(); // no tick scheduled while one runs
		const stopped = feed.stop();
		let done = false;
		void stopped.then(() => (done = true));
		await new Promise((r) => setTimeout(r, 20));
		expect(done).toBe(false);
		release();
		await stopped;
		expect(calls).toBe(1); // it stopped after the event in hand
	});

	it('keeps its timer unref’d', async () => {
		const { now } = rig(localMs(2026, 10, 15, 9, 0));
		const feed = new DemoFeed(() => undefined, registry, { now, backfillMinutes: 1, tickMs: 1000 });
		await feed.start();
		const timer = feed['timer'] as ReturnType<typeof setTimeout> | null;
		expect(timer).not.toBeNull();
		expect(timer!.hasRef()).toBe(false);
		await feed.stop();
		expect(feed['timer']).toBeNull();
	});
});
