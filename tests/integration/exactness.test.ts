/**
 * The crash matrix (docs/ingest-exactness.md): ingest, its own process on chDB + NATS, killed with
 * SIGKILL at each named point of a batch (INGEST_CRASH_AT) and then at 30 random moments, each
 * time restarted on the same data directory, while producers also repeat events and send
 * malformed ones. At the end every raw table and every rollup must equal what was published,
 * exactly: per school and bucket, against the raw tables and against the events themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_POINTS } from '#ingest/crash-points';
import { rows } from '#server/platform/clickhouse/client';
import type { Difference } from '#server/platform/clickhouse/reconcile';
import { ensureTopology } from '#server/platform/nats/streams';
import { seedRegistry } from '#server/platform/registry/seed';
import { startClickHouse, tempDataDir, waitFor } from '#harness/chdb';
import { enc, makeEvents, type Made } from '#harness/events';
import { exactAgainst } from '#harness/exact';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { consumerBacklog, consumerDrained, publishAll } from '#harness/publish';

const RANDOM_RUNS = 30;
const PER_POINT = 1200;
const PER_RUN = 500;

let nats: NatsServer;
let nc: NatsConnection;
let dataDir: string;
/** the ingest process running now, if any: killed if the test ends early */
let running: ChildProcess | null = null;
/** how often the workers repeated an insert (the mechanism under test was exercised) */
const repeated = { atStart: 0, onRedelivery: 0, tooOld: 0 };

beforeAll(async () => {
	nats = await startNatsServer();
	nc = await connect({ servers: nats.url });
	dataDir = await tempDataDir();
	// redeliver an unacked message after 3 s: a killed worker's batch is back when the next starts
	await ensureTopology(nc, { stream: 'EDU', consumer: 'ingest', ackWaitMs: 3000 });
});
afterAll(async () => {
	if (running && running.exitCode === null && running.signalCode === null) {
		const gone = new Promise((r) => running!.once('exit', r));
		running.kill('SIGKILL');
		await gone;
	}
	await nc?.close();
	await nats?.stop();
	if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Ingest {
	proc: ChildProcess;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	log: () => string;
}

function startIngest(env: Record<string, string> = {}): Ingest {
	const proc = spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
		env: {
			...process.env,
			NODE_ENV: 'test',
			DATA_DIR: dataDir,
			NATS_URL: nats.url,
			INGEST_BATCH_SIZE: '100',
			INGEST_FLUSH_MS: '20',
			INGEST_ACK_WAIT_MS: '3000',
			LOG_LEVEL: 'info',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	running = proc;
	let out = '';
	proc.stdout?.on('data', (b) => (out += b));
	proc.stderr?.on('data', (b) => (out += b));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
		proc.once('exit', (code, signal) => {
			for (const line of out.split('\n')) {
				if (line.includes('"msg":"repeated an insert')) repeated.onRedelivery++;
				if (line.includes('too old to repeat')) repeated.tooOld++;
				const m = /"msg":"repeated the inserts[^}]*"blocks":(\d+)/.exec(line);
				if (m) repeated.atStart += Number(m[1]);
			}
			r({ code, signal });
		})
	);
	return { proc, exited, log: () => out };
}

const consuming = (w: Ingest) =>
	waitFor('ingest consuming', () => w.log().includes('"msg":"consuming"'), 60_000, 20).catch(
		(e) => {
			throw new Error(`${e.message}\n${w.log().slice(-2000)}`);
		}
	);

const drained = () => consumerDrained(nc);

/** What producers send: valid events, some sent twice (a producer's retry), some malformed. */
const published: Made[] = [];
let malformed = 0;
const schools = seedRegistry().schools.slice(0, 12);

async function publishChunk(prefix: string, n: number): Promise<void> {
	// half of them live (ts in the last two minutes, each its own millisecond: argMax needs no ties, sent with Nats-Msg-Id as the feed sends them:
	// ingest skips their lookup, ingest/pipeline.ts provablyNew), half an hour's upload without it
	const now = Date.now();
	const events = makeEvents(n, schools, prefix).map((m, i) =>
		i % 2 === 0
			? { ...m, event: { ...m.event, ts: new Date(now - (i % 120) * 1000 - i).toISOString() } }
			: m
	);
	const s = schools[0];
	const bad = Array.from({ length: Math.ceil(n / 50) }, (_, i) =>
		i % 2 === 0
			? { subject: `edu.v1.attendance.${s.area_id}.${s.school_id}`, data: enc.encode('{"kind":') }
			: {
					subject: `edu.v1.attendance.${s.area_id}.nope-${prefix}-${i}`,
					data: enc.encode(
						JSON.stringify({
							...events[0].event,
							event_id: `${prefix}-bad-${i}`,
							school_id: `nope-${i}`
						})
					)
				}
	);
	// a producer's repeats: some of this chunk's events and some of an earlier chunk's
	const repeats = [
		...events.filter((_, i) => i % 40 === 7),
		...published.slice(-n).filter((_, i) => i % 60 === 3)
	];
	const mixed: (Made | { subject: string; data: Uint8Array })[] = [];
	events.forEach((e, i) => {
		if (i % 2 === 1) mixed.push(e);
		if (i % 50 === 25) mixed.push(bad[Math.floor(i / 50)]);
	});
	mixed.push(...repeats);
	published.push(...events);
	malformed += bad.length;
	await publishAll(
		nc,
		events.filter((_, i) => i % 2 === 0),
		2000,
		{ msgId: true }
	);
	await publishAll(nc, mixed);
}

describe('ingest killed at any instant', () => {
	it('every raw table and rollup equals the published events exactly', async () => {
		const t0 = Date.now();
		const progress = (what: string) =>
			console.log(`exactness: ${what} after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
		// 1. each named point, in a batch well into the stream
		for (const point of CRASH_POINTS) {
			await publishChunk(`pt-${point}`, PER_POINT);
			const w = startIngest(
				point === 'shutdown'
					? // the batch in hand when SIGTERM comes: nothing is flushed before it
						{ INGEST_CRASH_AT: 'shutdown', INGEST_FLUSH_MS: '60000', INGEST_BATCH_SIZE: '100000' }
					: { INGEST_CRASH_AT: `${point}:3` }
			);
			if (point === 'shutdown') {
				await consuming(w);
				await waitFor(
					'messages in hand',
					async () => (await consumerBacklog(nc, 'EDU', 'ingest')).ackPending > 0,
					30_000,
					20
				);
				w.proc.kill('SIGTERM');
			}
			const end = await Promise.race([
				w.exited,
				new Promise<never>((_, reject) =>
					setTimeout(
						() => reject(new Error(`no crash at ${point}\n${w.log().slice(-2000)}`)),
						90_000
					)
				)
			]);
			expect(end.signal, `${point}: ${w.log().slice(-1500)}`).toBe('SIGKILL');
			expect(w.log()).toContain(`"point":"${point}"`);
		}

		progress(`${CRASH_POINTS.length} crash points`);

		// 2. killed from outside at random moments (many land inside a ClickHouse insert)
		for (let run = 0; run < RANDOM_RUNS; run++) {
			const w = startIngest();
			await consuming(w);
			// publish while it works (and redeliveries of the last kill come back), kill it at random
			const publishing = publishChunk(`rnd${run}`, PER_RUN);
			await new Promise((r) => setTimeout(r, Math.random() * 800));
			w.proc.kill('SIGKILL');
			// killed by us, not ended by itself: if not, its log says why
			expect((await w.exited).signal, `random run ${run}: ${w.log().slice(-3000)}`).toBe('SIGKILL');
			await publishing;
			if ((run + 1) % 10 === 0) progress(`${run + 1} random kills`);
		}

		// 3. a last worker drains what is left and stops cleanly
		const last = startIngest();
		await waitFor('stream drained', drained, 120_000, 100).catch((e) => {
			throw new Error(`${e.message}\n${last.log().slice(-2000)}`);
		});
		last.proc.kill('SIGTERM');
		expect((await last.exited).code, `the last worker: ${last.log().slice(-3000)}`).toBe(0);
		console.log(
			`exactness: ${CRASH_POINTS.length} crash points + ${RANDOM_RUNS} random kills; ${published.length} events, ${malformed} malformed; inserts repeated: ${repeated.atStart} at start, ${repeated.onRedelivery} on a redelivery, ${repeated.tooOld} too old to repeat`
		);
		// the in-views point alone leaves an insert to repeat
		expect(repeated.atStart + repeated.onRedelivery).toBeGreaterThan(0);

		const db = await startClickHouse(dataDir, { migrate: false });
		try {
			const ch = db.ch;
			// every table a materialized view writes to remembers its blocks' tokens
			const targets = await rows<{ target: string; window: string }>(
				ch,
				`SELECT v.target AS target, extract(t.engine_full, 'non_replicated_deduplication_window = (\\\\d+)') AS window
					 FROM (SELECT extract(create_table_query, ' TO \\\\S+\\\\.(\\\\S+) ') AS target FROM system.tables
					       WHERE database = currentDatabase() AND engine = 'MaterializedView') AS v
					 LEFT JOIN (SELECT name, engine_full FROM system.tables WHERE database = currentDatabase()) AS t ON t.name = v.target`
			);
			// each kind's rollup (its grains, day_versions' counts among them) and device_unit_1d
			expect(targets.length).toBeGreaterThanOrEqual(5);
			for (const t of targets) expect(Number(t.window), t.target).toBeGreaterThan(0);

			// every raw table and rollup against the events as published (each event_id once)
			const exact = await exactAgainst(
				ch,
				published.map((m) => m.event)
			);
			for (const [table, r] of Object.entries(exact.raw)) {
				expect(r.rows, `${table}_raw rows`).toBe(r.want);
				expect(r.ids, `${table}_raw ids`).toBe(r.want);
			}
			for (const line of exact.samples) console.log(line);
			if (exact.differences) console.log('differences by table', exact.byTable);
			// after each crash, ingest reconciled the days of the inserts it found in flight
			const [after] = await rows<{ runs: string; differing: string; repaired: string }>(
				ch,
				`SELECT count() AS runs, sum(differing) AS differing, sum(repaired) AS repaired
				 FROM reconciliations WHERE by = 'ingest'`
			);
			console.log(
				`exactness: ${after.runs} reconciliations after a crash found ${after.differing} buckets differing, repaired ${after.repaired}`
			);
			// what they found, for the record: a rollup short (the view's part lost in the gap
			// docs/ingest-exactness.md names) reads rollup < raw
			const found = await rows<{ d: string }>(
				ch,
				`SELECT differences AS d FROM reconciliations WHERE by = 'ingest' AND differing > 0 ORDER BY finished_at`
			);
			for (const f of found)
				for (const d of (JSON.parse(f.d) as Difference[]).slice(0, 4))
					console.log(
						`  ${d.table} ${d.school_id ?? ''} ${d.bucket} ${d.key ?? ''} ${d.field}: raw ${d.raw} rollup ${d.rollup}`
					);
			expect(Number(after.runs)).toBeGreaterThan(0);
			expect(exact.compared).toBeGreaterThan(0);
			expect(exact.differences).toBe(0);

			// rejects: each malformed message once, whatever was redelivered
			const rej = await rows<{ n: string; seqs: string }>(
				ch,
				'SELECT count() AS n, uniqExact(stream_seq) AS seqs FROM rejects'
			);
			expect(Number(rej[0].n)).toBe(malformed);
			expect(Number(rej[0].seqs)).toBe(malformed);
		} finally {
			await db.ch.close();
		}
	}, 600_000);
});
