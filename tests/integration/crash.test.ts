/**
 * Fault: ingest (its own process, chDB + NATS) killed with SIGKILL mid-stream and restarted.
 * No event may be lost and none counted twice.
 */
import type { ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '#server/platform/clickhouse/client';
import { ensureTopology } from '#server/platform/nats/streams';
import { seedRegistry } from '#server/platform/registry/seed';
import { startClickHouse, tempDataDir, waitFor } from '#harness/chdb';
import { spawnOwned } from '#harness/children';
import { expectedTotals, makeEvents } from '#harness/events';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { consumerBacklog, consumerDrained, publishAll } from '#harness/publish';

let nats: NatsServer;
let nc: NatsConnection;
let dataDir: string;
const N = 40_000;

beforeAll(async () => {
	nats = await startNatsServer();
	nc = await connect({ servers: nats.url });
	dataDir = await tempDataDir();
	await ensureTopology(nc, { stream: 'EDU', consumer: 'ingest', ackWaitMs: 2000 });
});
afterAll(async () => {
	await nc?.close();
	await nats?.stop();
});

function startIngest(): { proc: ChildProcess; exited: Promise<number | null>; log: () => string } {
	// owned: a failing test does not leave it running (harness/children.ts)
	const proc = spawnOwned(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
		env: {
			...process.env,
			DATA_DIR: dataDir,
			NATS_URL: nats.url,
			INGEST_BATCH_SIZE: '1000',
			INGEST_FLUSH_MS: '20',
			INGEST_ACK_WAIT_MS: '2000',
			LOG_LEVEL: 'info'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	proc.stdout?.on('data', (b) => (out += b));
	proc.stderr?.on('data', (b) => (out += b));
	const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
	return { proc, exited, log: () => out };
}

describe('ingest killed with SIGKILL mid-stream', () => {
	it('loses nothing and counts nothing twice after a restart', async () => {
		const schools = seedRegistry().schools.slice(0, 40);
		const events = makeEvents(N, schools, 'crash');
		const want = expectedTotals(events);
		await publishAll(nc, events);

		const first = startIngest();
		// wait until it is mid-stream: some acked, plenty left
		await waitFor(
			'first worker mid-stream',
			async () => (await consumerBacklog(nc, 'EDU', 'ingest')).ackFloor >= N / 4,
			90_000,
			20
		).catch((e) => {
			throw new Error(`${e.message}\n${first.log().slice(-2000)}`);
		});
		first.proc.kill('SIGKILL');
		expect(await first.exited).toBeNull();
		const atKill = await consumerBacklog(nc, 'EDU', 'ingest');
		expect(atKill.ackFloor).toBeLessThan(N);

		const second = startIngest();
		await waitFor(
			'second worker drained the stream',
			() => consumerDrained(nc),
			120_000,
			100
		).catch((e) => {
			throw new Error(`${e.message}\n${second.log().slice(-2000)}`);
		});
		second.proc.kill('SIGTERM');
		expect(await second.exited).toBe(0);
		// the restarted worker wrote only what the killed one had not; what it saw again it recognised
		const stopped = JSON.parse(
			second
				.log()
				.split('\n')
				.find((l) => l.includes('"msg":"stopped"')) ?? '{}'
		);
		expect(stopped.events_total).toBeGreaterThan(0);
		expect(stopped.events_total).toBeLessThan(N);
		console.log(
			`crash: killed at ack floor ${atKill.ackFloor}/${N}; restarted worker wrote ${stopped.events_total}, recognised ${stopped.duplicates_total} redelivered`
		);

		// the data directory is free again: open it here and count
		const db = await startClickHouse(dataDir, { migrate: false });
		try {
			const p = { p: 'crash-%' };
			expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', p)).toBe(want.attendance);
			expect(await db.count('device_raw', 'event_id LIKE {p:String}', p)).toBe(want.device);
			expect(await db.count('library_raw', 'event_id LIKE {p:String}', p)).toBe(want.library);
			expect(await db.count('completeness_raw', 'event_id LIKE {p:String}', p)).toBe(
				want.completeness
			);
			// the rollups (fed at insert time) must not have counted a redelivered batch twice
			const sums = await rows<{ e: string; p: string; up: string; loans: string }>(
				db.ch,
				`SELECT (SELECT sum(enrolled) FROM attendance_1d) AS e, (SELECT sum(present) FROM attendance_1h) AS p,
				        (SELECT sum(up_heartbeats) FROM device_1m) AS up, (SELECT sum(loans) FROM library_1d) AS loans`
			);
			expect(Number(sums[0].e)).toBe(want.enrolled);
			expect(Number(sums[0].p)).toBe(want.present);
			expect(Number(sums[0].up)).toBe(want.upHeartbeats);
			expect(Number(sums[0].loans)).toBe(want.loans);
		} finally {
			await db.cleanup();
		}
	});
});
