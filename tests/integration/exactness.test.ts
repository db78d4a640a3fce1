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
import type { EduEventInput } from '#shared/contract';
import { rows, type CH } from '#server/platform/clickhouse/client';
import { ensureTopology } from '#server/platform/nats/streams';
import { seedRegistry } from '#server/platform/registry/seed';
import { startClickHouse, tempDataDir, waitFor } from '#harness/chdb';
import { enc, makeEvents, type Made } from '#harness/events';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { consumerBacklog, publishAll } from '#harness/publish';

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

const drained = async () => {
	const b = await consumerBacklog(nc, 'EDU', 'ingest');
	return b.pending === 0 && b.ackPending === 0;
};

/** What producers send: valid events, some sent twice (a producer's retry), some malformed. */
const published: Made[] = [];
let malformed = 0;
const schools = seedRegistry().schools.slice(0, 12);

async function publishChunk(prefix: string, n: number): Promise<void> {
	const events = makeEvents(n, schools, prefix);
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
		mixed.push(e);
		if (i % 50 === 25) mixed.push(bad[Math.floor(i / 50)]);
	});
	mixed.push(...repeats);
	published.push(...events);
	malformed += mixed.length - events.length - repeats.length;
	await publishAll(nc, mixed);
}

/** Rollups and the raw expressions they must equal (sums and counts; per school and bucket). */
type Grain = 'minute' | 'hour' | 'day';
interface Check {
	table: string;
	raw: string;
	grain: Grain;
	/** extra key columns (same name in the rollup and the raw table) */
	keys?: string[];
	/** rollup column → [expression over the raw table, value of one published event] */
	sums: Record<string, Sum>;
}
const att =
	(f: 'enrolled' | 'present' | 'absent_excused' | 'absent_unexcused') => (e: EduEventInput) =>
		e.kind === 'attendance' ? e.payload[f] : 0;
const lib = (f: 'loans' | 'returns' | 'ebook_opens' | 'visits') => (e: EduEventInput) =>
	e.kind === 'library' ? e.payload[f] : 0;
const hb = (up: boolean) => (e: EduEventInput) =>
	e.kind === 'device' && e.payload.event === 'heartbeat' && (!up || e.payload.status === 'up')
		? 1
		: 0;
const hbSeconds = (up: boolean) => (e: EduEventInput) =>
	e.kind === 'device' ? hb(up)(e) * (e.payload.interval_s ?? 0) : 0;
const down = (e: EduEventInput) =>
	e.kind === 'device' && e.payload.event === 'change' && e.payload.status === 'down' ? 1 : 0;
const one = () => 1;
type Sum = [string, (e: EduEventInput) => number];
const sum = (sql: string, f: (e: EduEventInput) => number): Sum => [sql, f];
const GRAINS: Grain[] = ['minute', 'hour', 'day'];
const suffix = { minute: '1m', hour: '1h', day: '1d' } as const;

const CHECKS: Check[] = [
	...GRAINS.map((grain): Check => ({
		table: `attendance_${suffix[grain]}`,
		raw: 'attendance_raw',
		grain,
		sums: {
			reports: sum('count()', one),
			enrolled: sum('sum(enrolled)', att('enrolled')),
			present: sum('sum(present)', att('present')),
			absent_excused: sum('sum(absent_excused)', att('absent_excused')),
			absent_unexcused: sum('sum(absent_unexcused)', att('absent_unexcused'))
		}
	})),
	...GRAINS.map((grain): Check => ({
		table: `device_${suffix[grain]}`,
		raw: 'device_raw',
		grain,
		sums: {
			heartbeats: sum("countIf(event = 'heartbeat')", hb(false)),
			up_heartbeats: sum("countIf(event = 'heartbeat' AND status = 'up')", hb(true)),
			up_seconds: sum("sumIf(interval_s, event = 'heartbeat' AND status = 'up')", hbSeconds(true)),
			reported_seconds: sum("sumIf(interval_s, event = 'heartbeat')", hbSeconds(false)),
			went_down: sum("countIf(event = 'change' AND status = 'down')", down)
		}
	})),
	...GRAINS.map((grain): Check => ({
		table: `library_${suffix[grain]}`,
		raw: 'library_raw',
		grain,
		sums: {
			reports: sum('count()', one),
			loans: sum('sum(loans)', lib('loans')),
			returns: sum('sum(returns)', lib('returns')),
			ebook_opens: sum('sum(ebook_opens)', lib('ebook_opens')),
			visits: sum('sum(visits)', lib('visits'))
		}
	})),
	...GRAINS.map((grain): Check => ({
		table: `completeness_${suffix[grain]}`,
		raw: 'completeness_raw',
		grain,
		keys: ['dataset'],
		sums: { reports: sum('count()', one) }
	})),
	{
		table: 'device_unit_1d',
		raw: 'device_raw',
		grain: 'day',
		keys: ['device_id'],
		sums: {
			heartbeats: sum("countIf(event = 'heartbeat')", hb(false)),
			up_seconds: sum("sumIf(interval_s, event = 'heartbeat' AND status = 'up')", hbSeconds(true)),
			went_down: sum("countIf(event = 'change' AND status = 'down')", down)
		}
	}
];

const bucketSql = (g: Grain) =>
	g === 'day'
		? "toString(toDate(ts, 'Asia/Ho_Chi_Minh'))"
		: `toString(${g === 'minute' ? 'toStartOfMinute' : 'toStartOfHour'}(ts))`;
const bucketCol = (g: Grain) => (g === 'day' ? 'toString(day)' : 'toString(bucket)');
const bucketJs = (g: Grain, ts: string) => {
	const t = Date.parse(ts);
	if (g === 'day') return new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
	const s = new Date(
		Math.floor(t / (g === 'minute' ? 60_000 : 3600_000)) * (g === 'minute' ? 60_000 : 3600_000)
	).toISOString();
	return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
};
const keyOf = (e: EduEventInput, c: Check) =>
	[
		e.school_id,
		bucketJs(c.grain, e.ts),
		...(c.keys ?? []).map((k) => String((e.payload as Record<string, unknown>)[k]))
	].join('|');

async function grouped(ch: CH, sql: string, cols: string[]): Promise<Map<string, number[]>> {
	const r = await rows<Record<string, string>>(ch, sql);
	return new Map(r.map((x) => [x.k, cols.map((c) => Number(x[c]))]));
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
			expect((await w.exited).signal).toBe('SIGKILL');
			await publishing;
			if ((run + 1) % 10 === 0) progress(`${run + 1} random kills`);
		}

		// 3. a last worker drains what is left and stops cleanly
		const last = startIngest();
		await waitFor('stream drained', drained, 120_000, 100).catch((e) => {
			throw new Error(`${e.message}\n${last.log().slice(-2000)}`);
		});
		last.proc.kill('SIGTERM');
		expect((await last.exited).code).toBe(0);
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
			expect(targets.length).toBeGreaterThanOrEqual(17);
			for (const t of targets) expect(Number(t.window), t.target).toBeGreaterThan(0);

			// the events as published, each event_id once
			const unique = new Map<string, EduEventInput>();
			for (const m of published) unique.set(m.event.event_id, m.event);
			const events = [...unique.values()];

			// raw tables: each event once
			for (const kind of ['attendance', 'device', 'library', 'completeness'] as const) {
				const r = await rows<{ n: string; ids: string }>(
					ch,
					`SELECT count() AS n, uniqExact(event_id) AS ids FROM ${kind}_raw`
				);
				const want = events.filter((e) => e.kind === kind).length;
				expect(Number(r[0].n), `${kind}_raw rows`).toBe(want);
				expect(Number(r[0].ids), `${kind}_raw ids`).toBe(want);
			}

			let differences = 0;
			const byTable: Record<string, number> = {};
			for (const c of CHECKS) {
				const cols = Object.keys(c.sums);
				const extra = (c.keys ?? []).map((k) => `, '|', toString(${k})`).join('');
				const rollup = await grouped(
					ch,
					`SELECT concat(school_id, '|', ${bucketCol(c.grain)}${extra}) AS k, ${cols.map((x) => `sum(${x}) AS ${x}`).join(', ')}
						 FROM ${c.table} GROUP BY k`,
					cols
				);
				const fromRaw = await grouped(
					ch,
					`SELECT concat(school_id, '|', ${bucketSql(c.grain)}${extra}) AS k, ${cols.map((x) => `${c.sums[x][0]} AS ${x}`).join(', ')}
						 FROM ${c.raw} GROUP BY k`,
					cols
				);
				const fromEvents = new Map<string, number[]>();
				for (const e of events) {
					if (`${e.kind}_raw` !== c.raw) continue;
					const k = keyOf(e, c);
					const acc =
						fromEvents.get(k) ??
						fromEvents
							.set(
								k,
								cols.map(() => 0)
							)
							.get(k)!;
					cols.forEach((x, i) => (acc[i] += c.sums[x][1](e)));
				}
				for (const [name, other] of [
					['raw', fromRaw],
					['events', fromEvents]
				] as const) {
					const keys = new Set([...rollup.keys(), ...other.keys()]);
					for (const k of keys) {
						const a = rollup.get(k) ?? cols.map(() => 0);
						const b = other.get(k) ?? cols.map(() => 0);
						if (a.some((v, i) => v !== b[i])) {
							differences++;
							byTable[c.table] = (byTable[c.table] ?? 0) + 1;
							if (differences <= 10)
								console.log(
									`${c.table} ≠ ${name} at ${k}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`
								);
						}
					}
				}
			}
			// day_versions: how many events of each kind each day, once each
			const versions = await grouped(
				ch,
				"SELECT concat(kind, '|', toString(day)) AS k, sum(events) AS n FROM day_versions GROUP BY k",
				['n']
			);
			const wantVersions = new Map<string, number>();
			for (const e of events) {
				const k = `${e.kind}|${bucketJs('day', e.ts)}`;
				wantVersions.set(k, (wantVersions.get(k) ?? 0) + 1);
			}
			for (const k of new Set([...versions.keys(), ...wantVersions.keys()]))
				if ((versions.get(k)?.[0] ?? 0) !== (wantVersions.get(k) ?? 0)) {
					differences++;
					console.log(`day_versions at ${k}: ${versions.get(k)?.[0]} vs ${wantVersions.get(k)}`);
				}
			if (differences) {
				console.log('differences by table', byTable);
				console.log(
					'detached parts',
					await rows(ch, 'SELECT table, name, reason FROM system.detached_parts')
				);
			}
			expect(differences).toBe(0);

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
