/**
 * The app process starts and stops cleanly, as an operator sees it: `node build` started here on
 * its own port and data folder, ingesting from a nats-server this file owns.
 *
 * - A second start on the port the app holds (npm start's entry and `node build`, on the same data
 *   folder, as a second `npm start` in the same checkout would): one line naming the port, exit 1,
 *   no crash; chDB is not opened (it would refuse the folder with its own message), the first
 *   app still serves.
 * - SIGTERM with 100 open SSE screens while events stream in and a batch is in hand: the server
 *   ends every stream, the process exits 0 within 5 s. Started again on the same folder, every
 *   published event is in ClickHouse exactly once: the batch in hand was written, or redelivered.
 */
import http from 'node:http';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect, test } from '@playwright/test';
import { ensureTopology } from '#server/platform/nats/streams';
import { seedRegistry } from '#server/platform/registry/seed';
import { appServer, type AppServer } from '#harness/app-server';
import { rows } from '#server/platform/clickhouse/client';
import { startClickHouse, waitFor } from '#harness/chdb';
import { spawnOwned, stopChild } from '#harness/children';
import { expectedTotals, makeEvents } from '#harness/events';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { consumerBacklog, consumerDrained, publishAll } from '#harness/publish';

test.describe.configure({ mode: 'serial' });

let nats: NatsServer;
let nc: NatsConnection;
let app: AppServer;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	nats = await startNatsServer();
	nc = await connect({ servers: nats.url });
	// a short ack wait: what was in hand and not acked comes back within seconds of a restart
	await ensureTopology(nc, { stream: 'EDU', consumer: 'ingest', ackWaitMs: 2000 });
	app = await appServer({
		NATS_URL: nats.url,
		FEED: '0',
		INGEST_ACK_WAIT_MS: '2000',
		// a batch is written once a second: at any moment one is being filled (the batch in hand)
		INGEST_FLUSH_MS: '1000',
		INGEST_BATCH_SIZE: '20000',
		LOG_LEVEL: 'info'
	});
	await app.start();
});

test.afterAll(async () => {
	await app?.stop();
	await nc?.close();
	await nats?.stop();
});

test('a second start on a taken port: one line naming it, exit 1, nothing opened', async () => {
	test.setTimeout(120_000);
	const line = `port ${app.port} is in use (another npm start?): set PORT or stop it`;
	for (const entry of [['scripts/start.js'], ['build']]) {
		const proc = spawnOwned(process.execPath, entry, {
			env: {
				...process.env,
				PORT: String(app.port),
				HOST: '127.0.0.1',
				DATA_DIR: app.dataDir,
				ORIGIN: app.url,
				NATS_URL: nats.url
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		proc.stdout?.on('data', (b) => (out += b));
		proc.stderr?.on('data', (b) => (out += b));
		const t0 = Date.now();
		const exit = new Promise<{ code: number | null; signal: string | null }>((r) =>
			proc.once('exit', (code, signal) => r({ code, signal }))
		);
		const late = new Promise<null>((r) => setTimeout(() => r(null), 30_000));
		const ended = (await Promise.race([exit, late])) ?? {
			...(await stopChild(proc, 1000)),
			late: true
		};
		const ms = Date.now() - t0;
		console.log(`taken port, node ${entry[0]}: exit ${ended.code} after ${ms} ms: ${out.trim()}`);
		expect(ended, `node ${entry[0]}: ${out}`).toEqual({ code: 1, signal: null });
		// one line, and nothing else: no stack trace, no chDB "Cannot lock file", no crash at exit
		expect(out.trim()).toBe(line);
		expect(ms).toBeLessThan(30_000);
	}
	// the first app was not disturbed
	const health = await fetch(`${app.url}/api/health`);
	expect(health.status).toBe(200);
});

interface Screen {
	frames: number;
	/** the server ended the response (its last chunk came): not cut off by the process dying */
	ended: boolean;
	cut: boolean;
	req: http.ClientRequest;
}

/** An SSE screen on /api/live; resolves once the stream is open (its first chunk arrived). */
function openScreen(agent: http.Agent): Promise<Screen> {
	return new Promise((resolve, reject) => {
		const s = { frames: 0, ended: false, cut: false } as Screen;
		s.req = http.get(
			`${app.url}/api/live?topics=wall.kpis,wall.health`,
			{ agent, headers: { cookie: app.cookie } },
			(res) => {
				if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
				res.on('data', () => {
					if (s.frames++ === 0) resolve(s);
				});
				res.on('end', () => (s.ended = true));
				res.on('aborted', () => (s.cut = true));
				res.on('error', () => (s.cut = true));
			}
		);
		s.req.on('error', reject);
	});
}

test('SIGTERM with 100 open screens and a batch in hand: exit 0 within 5 s, nothing lost', async () => {
	test.setTimeout(300_000);
	const N = 30_000;
	const events = makeEvents(N, seedRegistry().schools.slice(0, 40), 'lc');
	const want = expectedTotals(events);

	const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
	const screens = await Promise.all(Array.from({ length: 100 }, () => openScreen(agent)));
	await expect
		.poll(async () => (await (await fetch(`${app.url}/api/health`)).json()).live.clients)
		.toBe(100);

	// events stream in at about 6,000/s, before, during and after the stop
	let sent = 0;
	const publishing = (async () => {
		for (; sent < N; sent += 300) {
			await publishAll(nc, events.slice(sent, sent + 300));
			await new Promise((r) => setTimeout(r, 50));
		}
	})();
	// mid-stream, with messages delivered and not yet acked: a batch in hand
	await waitFor(
		'ingest mid-stream with a batch in hand',
		async () => {
			const b = await consumerBacklog(nc, 'EDU', 'ingest');
			return b.ackFloor >= 3000 && b.ackPending >= 300;
		},
		120_000,
		10
	);
	const stopped = await app.term(10_000);
	console.log(
		`SIGTERM with 100 screens: exit ${stopped.code ?? stopped.signal} in ${stopped.ms} ms`
	);
	const tail = () => app.log().split('\n').slice(-15).join('\n');
	expect(stopped, tail()).toEqual({ code: 0, signal: null, ms: stopped.ms });
	expect(stopped.ms, tail()).toBeLessThan(5000);
	// every stream was ended by the server, none cut off by the process going away
	expect(screens.filter((s) => s.ended).length).toBe(100);
	expect(screens.filter((s) => s.cut).length).toBe(0);
	const report = JSON.parse(
		app
			.log()
			.split('\n')
			.find((l) => l.includes('"msg":"runtime stopped"')) ?? '{}'
	);
	console.log(`stop: ${JSON.stringify(report)}`);
	expect(report.streams_ended).toBe(100);
	// the batch in hand was written during the stop (and acked), not dropped
	expect(report.written_at_stop).toBeGreaterThan(0);
	const atStop = await consumerBacklog(nc, 'EDU', 'ingest');
	expect(atStop.ackFloor).toBeLessThan(N);
	agent.destroy();

	// started again on the same folder: what was not acked comes back, nothing is counted twice
	await app.start();
	await publishing;
	await waitFor(
		'the restarted app drained the stream',
		() => consumerDrained(nc),
		120_000,
		100
	).catch((e) => {
		throw new Error(`${e.message}\n${app.log().slice(-2000)}`);
	});
	const idle = await app.term(10_000);
	console.log(`SIGTERM with no screens: exit ${idle.code ?? idle.signal} in ${idle.ms} ms`);
	expect(idle, tail()).toEqual({ code: 0, signal: null, ms: idle.ms });
	expect(idle.ms, tail()).toBeLessThan(5000);

	const db = await startClickHouse(app.dataDir, { migrate: false });
	try {
		const p = { p: 'lc-%' };
		expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', p)).toBe(want.attendance);
		expect(await db.count('device_raw', 'event_id LIKE {p:String}', p)).toBe(want.device);
		expect(await db.count('library_raw', 'event_id LIKE {p:String}', p)).toBe(want.library);
		expect(await db.count('completeness_raw', 'event_id LIKE {p:String}', p)).toBe(
			want.completeness
		);
		// the rollups (fed at insert time) did not count a redelivered batch twice
		const sums = await rows<{ e: string; up: string; loans: string }>(
			db.ch,
			`SELECT (SELECT sum(enrolled) FROM attendance_1d) AS e,
			        (SELECT sum(up_heartbeats) FROM device_1m) AS up, (SELECT sum(loans) FROM library_1d) AS loans`
		);
		expect(Number(sums[0].e)).toBe(want.enrolled);
		expect(Number(sums[0].up)).toBe(want.upHeartbeats);
		expect(Number(sums[0].loans)).toBe(want.loans);
	} finally {
		await db.cleanup();
	}
});
