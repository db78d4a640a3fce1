/**
 * npm run bench:ingest — in one run on this machine:
 *  1. chDB's raw insert rate for the events (rows straight into the raw tables, views included):
 *     half of them before step 3 and half after it, the rate of the two together,
 *  2. NATS JetStream's raw consume rate (pull + ack, no work),
 *  3. end to end NATS → ingest (validate, dedup, batch, insert, ack) → chDB, draining a backlog,
 *  4. publish-to-queryable latency at a steady 2,000 events/s.
 * Events are sent as the feed sends them (Nats-Msg-Id = event_id). The backlog's events happened
 * over the hour before it was sent (most must be looked up in the raw tables: JetStream's
 * duplicate window cannot vouch for them); the steady phase's happen as they are sent (a live
 * feed: JetStream proves their first delivery new, ingest/pipeline.ts provablyNew).
 * Last line: ingest e2e_eps=<n> raw_insert_eps=<n> ratio=<e2e/raw> p50_ms=<n> p95_ms=<n>
 */
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { startIngestWorker } from '#ingest/worker';
import { RAW_TABLE, toRow } from '#ingest/rows';
import { validateMessage, type EventOf, type TelemetryKind } from '#shared/contract';
import { loadConfig } from '#server/platform/config';
import { logger, setLogLevel } from '#server/platform/log';
import { RegistryCache } from '#server/platform/registry/cache';
import { seedRegistry } from '#server/platform/registry/seed';
import { applyRegistry } from '#server/platform/registry/store';
import { settleMerges, startClickHouse } from '#harness/chdb';
import { enc, makeEvents } from '#harness/events';
import { startNatsServer } from '#harness/nats-server';
import { publishAll } from '#harness/publish';
import { wrapWriter } from '#harness/writer';
import { pct, say } from './live-load';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const LATENCY_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BATCH = Number(process.env.INGEST_BATCH_SIZE ?? 5000);
const FLUSH_MS = Number(process.env.INGEST_FLUSH_MS ?? 50);
setLogLevel('warn');

/**
 * CPU seconds used so far by this process (the engine's threads included) and by nats-server
 * (/proc: its utime + stime, in clock ticks of 1/100 s). On two cores, what the drain's JavaScript
 * and the NATS server use is taken from the engine: the raw step has it all.
 */
function cpuSeconds(): { self: number; nats: number } {
	const u = process.cpuUsage();
	const fields = readFileSync(`/proc/${nats.pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return { self: (u.user + u.system) / 1e6, nats: (Number(fields[11]) + Number(fields[12])) / 100 };
}
const cores = (from: { self: number; nats: number }, seconds: number) => {
	const to = cpuSeconds();
	return `${((to.self - from.self) / seconds).toFixed(2)} cores in this process, ${((to.nats - from.nats) / seconds).toFixed(2)} in nats-server`;
};

const nats = await startNatsServer();
const db = await startClickHouse();
const reg = seedRegistry();
await applyRegistry(db.ch, reg, { source: 'bench', mode: 'replace' });
const registry = new RegistryCache(db.ch);
await registry.reload();
const nc = await connect({ servers: nats.url });
say(
	`bench: ${N} events over ${reg.schools.length} schools, batch ${BATCH}, flush ${FLUSH_MS} ms, cpus ${(await import('node:os')).cpus().length}`
);

// the worker is stopped in `finally` too: a failed step must not leave it writing into chDB
let running: { stop(): Promise<void> } | null = null;
try {
	// 1. raw insert: the same kind of events, validated beforehand, inserted in batches of BATCH.
	// Half before the end-to-end drain and half after it, and the rate of the two together: the
	// machine's speed drifts by as much as 2x within minutes (docs/ingest-performance.md), and a
	// drift during the run then weighs on both sides alike. The second half also writes to a store
	// as full as the drain's.
	const rawEvents = makeEvents(N, reg.schools, 'raw');
	const parsed = rawEvents.map((m) => {
		const r = validateMessage(m.subject, enc.encode(JSON.stringify(m.event)), registry);
		if (!r.ok) throw new Error(`bench event invalid: ${r.detail}`);
		return r.event as EventOf<TelemetryKind>;
	});
	const rawHalf = async (events: EventOf<TelemetryKind>[], which: string): Promise<number> => {
		const t = performance.now();
		const cpu = cpuSeconds();
		for (let i = 0; i < events.length; i += BATCH) {
			const byKind = new Map<TelemetryKind, Record<string, unknown>[]>();
			for (const e of events.slice(i, i + BATCH))
				(byKind.get(e.kind) ?? byKind.set(e.kind, []).get(e.kind)!).push(toRow(e));
			for (const [kind, rows] of byKind)
				await db.ch.insert({ table: RAW_TABLE[kind], values: rows, format: 'JSONEachRow' });
		}
		const seconds = (performance.now() - t) / 1000;
		say(
			`raw insert, ${which}: ${events.length} rows in ${seconds.toFixed(2)} s = ${Math.round(events.length / seconds)} rows/s; ${cores(cpu, seconds)}`
		);
		return seconds;
	};
	const half = Math.floor(N / 2 / BATCH) * BATCH || Math.floor(N / 2);
	let rawSeconds = await rawHalf(parsed.slice(0, half), 'first half, before the drain');

	// 2. NATS raw consume: a separate stream, pull + ack, nothing else
	const jsm = await jetstreamManager(nc);
	await jsm.streams.add({ name: 'BENCH', subjects: ['bench.>'] });
	await jsm.consumers.add('BENCH', {
		durable_name: 'raw',
		ack_policy: AckPolicy.Explicit,
		ack_wait: nanos(60_000)
	});
	const payloads = rawEvents.map((m) => enc.encode(JSON.stringify(m.event)));
	await publishAll(
		nc,
		payloads.map((data, i) => ({ subject: `bench.${i % 16}`, data }))
	);
	const c = await jetstream(nc).consumers.get('BENCH', 'raw');
	let t0 = performance.now();
	let got = 0;
	const it = await c.consume({ max_messages: 10_000 });
	for await (const m of it) {
		m.ack();
		if (++got >= N) break;
	}
	const natsEps = Math.round(N / ((performance.now() - t0) / 1000));
	say(`nats consume: ${N} msgs at ${natsEps} msgs/s`);

	// 3. end to end: a backlog of N events in EDU, then the ingest worker drains it
	const cfg = loadConfig({
		DATA_DIR: db.dataDir,
		NATS_URL: nats.url,
		INGEST_BATCH_SIZE: String(BATCH),
		INGEST_FLUSH_MS: String(FLUSH_MS)
	});
	const e2eEvents = makeEvents(N, reg.schools, 'e2e');
	const { ensureTopology } = await import('#server/platform/nats/streams');
	await ensureTopology(nc, { stream: 'EDU', consumer: 'ingest' });
	await publishAll(nc, e2eEvents, 2000, { msgId: true });
	// the raw insert's merges done, as they were before it: both measured on a settled store
	say(`merges of the raw insert settled in ${((await settleMerges(db.ch)) / 1000).toFixed(1)} s`);
	const written = new Map<string, number>();
	let recordLatency = false;
	// where the drain's time went: the dedup lookups and the inserts, the rest is NATS and JavaScript
	const spent = { lookups: 0, inserts: 0, recent: 0 };
	t0 = performance.now();
	const drainCpu = cpuSeconds();
	const worker = await startIngestWorker({
		cfg,
		ch: db.ch,
		registry,
		log: logger('bench'),
		writer: (real) =>
			wrapWriter(real, {
				async existingIds(g) {
					const t = performance.now();
					try {
						return await real.existingIds(g);
					} finally {
						if (!recordLatency) spent.lookups += performance.now() - t;
					}
				},
				async recentIds(from, add) {
					const t = performance.now();
					await real.recentIds(from, add);
					spent.recent += performance.now() - t;
				},
				async insertEvents(kind, events, seqs) {
					const t = performance.now();
					const blocks = await real.insertEvents(kind, events, seqs);
					if (!recordLatency) spent.inserts += performance.now() - t;
					if (recordLatency) {
						const now = Date.now();
						for (const e of events) written.set(e.event_id, now);
					}
					return blocks;
				}
			})
	});
	running = worker;
	while (worker.stats.eventsTotal < N) await new Promise((r) => setTimeout(r, 10));
	const drainMs = performance.now() - t0;
	const e2eEps = Math.round(N / (drainMs / 1000));
	say(
		`end to end: ${N} events at ${e2eEps} events/s (backlog drain, dedup lookups included: ${worker.stats.lookedUp} events looked up); ${cores(drainCpu, drainMs / 1000)}`
	);
	say(
		`  of its ${(drainMs / 1000).toFixed(1)} s: reading the recent ids at start ${(spent.recent / 1000).toFixed(1)} s, lookups ${(spent.lookups / 1000).toFixed(1)} s, inserts ${(spent.inserts / 1000).toFixed(1)} s, the rest (NATS, parsing, validation, acks, waiting) ${((drainMs - spent.recent - spent.lookups - spent.inserts) / 1000).toFixed(1)} s`
	);

	// 4. latency at RATE events/s: publish time → insert returned (then it is queryable)
	recordLatency = true;
	const live = makeEvents(RATE * LATENCY_SECONDS, reg.schools, 'lat');
	const js = jetstream(nc);
	const publishedAt = new Map<string, number>();
	const start = Date.now();
	const perTick = RATE / 100;
	for (let i = 0; i < live.length; i += perTick) {
		const due = start + (i / RATE) * 1000;
		const wait = due - Date.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		for (const m of live.slice(i, i + perTick)) {
			// a live feed's event: it happened now, and it is sent as ingest/feed sends
			const at = Date.now();
			publishedAt.set(m.event.event_id, at);
			void js.publish(
				m.subject,
				enc.encode(JSON.stringify({ ...m.event, ts: new Date(at).toISOString() })),
				{
					msgID: m.event.event_id
				}
			);
		}
	}
	const deadline = Date.now() + 30_000;
	while (written.size < live.length && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 20));
	const lat = [...publishedAt]
		.filter(([id]) => written.has(id))
		.map(([id, t]) => written.get(id)! - t);
	const p50 = pct(lat, 50);
	const p95 = pct(lat, 95);
	say(
		`latency at ${RATE}/s for ${LATENCY_SECONDS} s: ${lat.length}/${live.length} events, p50 ${p50} ms, p95 ${p95} ms, max ${Math.max(...lat)} ms`
	);
	const rss = Math.round(process.memoryUsage().rss / 1e6);
	say(`process rss ${rss} MB`);
	running = null;
	await worker.stop();
	say(`merges of the drain settled in ${((await settleMerges(db.ch)) / 1000).toFixed(1)} s`);
	rawSeconds += await rawHalf(parsed.slice(half), 'second half, after the drain');
	const rawEps = Math.round(N / rawSeconds);
	say(`raw insert: ${N} rows in ${rawSeconds.toFixed(2)} s = ${rawEps} rows/s`);
	say(
		`ingest e2e_eps=${e2eEps} raw_insert_eps=${rawEps} ratio=${(e2eEps / rawEps).toFixed(2)} p50_ms=${p50} p95_ms=${p95}`
	);
} finally {
	await running?.stop().catch(() => undefined);
	await nc.close();
	await db.cleanup();
	await nats.stop();
	await rm(db.dataDir, { recursive: true, force: true });
}
