/**
 * NATS JetStream → ingest → chDB with real engines: exact counts, KPI numbers, redelivery,
 * ClickHouse failures and malformed traffic.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestWorker, type IngestWorker } from '#ingest/worker';
import { toRow } from '#ingest/rows';
import { ClickHouseWriter, type EventWriter } from '#ingest/writer';
import { Pipeline, type Delivery } from '#ingest/pipeline';
import { IngestStats } from '#ingest/stats';
import type { EventOf } from '#shared/contract';
import { rows } from '#server/platform/clickhouse/client';
import { loadConfig } from '#server/platform/config';
import { logger, setLogLevel } from '#server/platform/log';
import { RegistryCache } from '#server/platform/registry/cache';
import { applyRegistry } from '#server/platform/registry/store';
import { startClickHouse, waitFor, type TempClickHouse } from '#harness/chdb';
import { enc, expectedTotals, makeEvents, testRegistry, type Made } from '#harness/events';
import { startNatsServer, type NatsServer } from '#harness/nats-server';
import { consumerBacklog, consumerDrained, publishAll } from '#harness/publish';
import { wrapWriter } from '#harness/writer';

let nats: NatsServer;
let db: TempClickHouse;
let nc: NatsConnection;
let registry: RegistryCache;
const reg = testRegistry();
setLogLevel('warn');

beforeAll(async () => {
	nats = await startNatsServer();
	db = await startClickHouse();
	await applyRegistry(db.ch, reg, { source: 'test', mode: 'replace' });
	registry = new RegistryCache(db.ch);
	await registry.reload();
	nc = await connect({ servers: nats.url });
});

afterAll(async () => {
	await nc?.close();
	await db?.cleanup();
	await nats?.stop();
});

function worker(
	wrap?: (real: EventWriter) => EventWriter,
	env: Record<string, string> = {}
): Promise<IngestWorker> {
	const cfg = loadConfig({
		DATA_DIR: db.dataDir,
		NATS_URL: nats.url,
		INGEST_BATCH_SIZE: '500',
		INGEST_FLUSH_MS: '20',
		INGEST_ACK_WAIT_MS: '5000',
		...env
	});
	return startIngestWorker({ cfg, ch: db.ch, registry, log: logger('test'), writer: wrap });
}

const drained = () => consumerDrained(nc);

/** A pipeline over the real writer, fed by the test itself (no NATS): batches of 500, 50 ms. */
function directPipeline(wrap: (real: EventWriter) => EventWriter = (real) => real): {
	pipeline: Pipeline;
	stats: IngestStats;
} {
	const stats = new IngestStats();
	const pipeline = new Pipeline({
		writer: wrap(new ClickHouseWriter(db.ch)),
		schools: registry,
		stats,
		log: logger('test'),
		batchSize: 500,
		flushMs: 50
	});
	return { pipeline, stats };
}

/** An event as a first delivery, with `pending` messages behind it in the stream. */
function delivery(
	m: Made,
	seq: number,
	pending: number,
	ack: () => void = () => undefined
): Delivery {
	return {
		subject: m.subject,
		data: enc.encode(JSON.stringify(m.event)),
		seq,
		deliveryCount: 1,
		pending,
		ack,
		nak: () => undefined,
		term: () => undefined
	};
}

const sumOf = async (sql: string, params: Record<string, unknown> = {}) =>
	Number((await rows<{ v: string }>(db.ch, sql, params))[0].v);

describe('pipeline', () => {
	it('N events published → exactly N rows and the right KPI numbers in raw tables and rollups', async () => {
		const w = await worker();
		const events = makeEvents(5000, reg.schools, 'n');
		const want = expectedTotals(events);
		await publishAll(nc, events);
		await waitFor('all events written', () => w.stats.eventsTotal >= 5000);
		await waitFor('consumer drained', drained);
		await w.stop();

		expect(w.stats.eventsTotal).toBe(5000);
		const ids = { p: 'n-%' };
		expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', ids)).toBe(want.attendance);
		expect(await db.count('device_raw', 'event_id LIKE {p:String}', ids)).toBe(want.device);
		expect(await db.count('library_raw', 'event_id LIKE {p:String}', ids)).toBe(want.library);
		expect(await db.count('completeness_raw', 'event_id LIKE {p:String}', ids)).toBe(
			want.completeness
		);
		// rollups agree with the raw numbers: attendance rate, unexcused, heartbeats up, loans
		expect(await sumOf('SELECT sum(enrolled) AS v FROM attendance_1d')).toBe(want.enrolled);
		expect(await sumOf('SELECT sum(present) AS v FROM attendance_1m')).toBe(want.present);
		expect(await sumOf('SELECT sum(absent_unexcused) AS v FROM attendance_1h')).toBe(
			want.unexcused
		);
		expect(await sumOf('SELECT sum(up_heartbeats) AS v FROM device_1h')).toBe(want.upHeartbeats);
		expect(await sumOf('SELECT sum(loans) AS v FROM library_1d')).toBe(want.loans);
		const rate = await sumOf('SELECT sum(present) / sum(enrolled) AS v FROM attendance_1d');
		expect(rate).toBeCloseTo(want.present / want.enrolled, 6);
	});

	it('the same event delivered twice counts once (in one batch and across batches)', async () => {
		const w = await worker();
		const events = makeEvents(400, reg.schools, 'dup');
		const want = expectedTotals(events);
		await publishAll(nc, events);
		await waitFor('first copies written', () => w.stats.eventsTotal >= 400);
		// the same events again, as a redelivery after a crash would bring them, plus twins in one batch
		await publishAll(nc, [...events, ...events.slice(0, 50)]);
		await waitFor('copies settled', drained);
		await waitFor('duplicates counted', () => w.stats.duplicatesTotal >= 450);
		await w.stop();
		expect(w.stats.eventsTotal).toBe(400);
		expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', { p: 'dup-%' })).toBe(
			want.attendance
		);
		expect(
			await sumOf(
				"SELECT sum(enrolled) AS v FROM attendance_1d WHERE school_id IN ('t-nk-1','t-nk-2','t-cd-1')"
			)
		).toBe(expectedTotals(makeEvents(5000, reg.schools, 'n')).enrolled + want.enrolled);
	});

	it('a live event sent with Nats-Msg-Id is proved new without a lookup; repeats, late events and a consumer made anew are looked up, nothing counts twice', async () => {
		// the proof alone: no recent ids held (the next test has them)
		const w = await worker(undefined, { INGEST_RECENT_MINUTES: '0' });
		const now = Date.now();
		// 300 live events (ts in the last minute) with Nats-Msg-Id, as the feed sends them
		const live = makeEvents(300, reg.schools, 'live').map((m, i) => ({
			...m,
			event: { ...m.event, ts: new Date(now - 1000 * (i % 60)).toISOString() }
		}));
		// 50 events 10 minutes old (an upload after an outage), also with Nats-Msg-Id
		const late = makeEvents(50, reg.schools, 'late').map((m, i) => ({
			...m,
			event: { ...m.event, ts: new Date(now - 600_000 - i * 1000).toISOString() }
		}));
		// 50 live events without Nats-Msg-Id, 20 of them sent twice
		const plain = makeEvents(50, reg.schools, 'plain').map((m, i) => ({
			...m,
			event: { ...m.event, ts: new Date(now - 1000 * (i % 60)).toISOString() }
		}));
		await publishAll(nc, [...live, ...late], 2000, { msgId: true });
		await publishAll(nc, [...plain, ...plain.slice(0, 20)]);
		await waitFor('all settled', drained);
		await waitFor('all counted', () => w.stats.eventsTotal + w.stats.duplicatesTotal >= 420);
		await w.stop();
		expect(w.stats.eventsTotal).toBe(400);
		expect(w.stats.duplicatesTotal).toBe(20);
		// only the live ones with Nats-Msg-Id skipped the lookup
		expect(w.stats.lookedUp).toBe(50 + 70);

		// a consumer made anew delivers every message of the stream again, each a first delivery:
		// every one is looked up (its stream sequence is not above what the tables hold), none counted
		const totals = () =>
			rows<{ r: string; l: string; a: string; d: string }>(
				db.ch,
				`SELECT (SELECT toString(count()) FROM library_raw) AS r, (SELECT toString(sum(reports)) FROM library_1m) AS l,
				        (SELECT toString(sum(enrolled)) FROM attendance_1d) AS a, (SELECT toString(sum(heartbeats)) FROM device_1h) AS d`
			);
		const before = await totals();
		const jsm = await jetstreamManager(nc);
		const { state } = await jsm.streams.info('EDU');
		await jsm.consumers.delete('EDU', 'ingest');
		const again = await worker(undefined, { INGEST_RECENT_MINUTES: '0' });
		await waitFor('the stream delivered again', drained, 120_000);
		await again.stop();
		expect(again.stats.eventsTotal).toBe(0);
		expect(again.stats.lookedUp).toBeGreaterThan(0);
		expect(again.stats.lookedUp).toBe(again.stats.duplicatesTotal);
		expect(again.stats.duplicatesTotal).toBeLessThanOrEqual(state.messages);
		expect(await totals()).toEqual(before);
	});

	it("a backlog's events not among the raw rows' recent ids are written without a lookup; a copy of one written before is looked up and counted once, also after a restart", async () => {
		const raw = () =>
			rows<{ n: string }>(
				db.ch,
				`SELECT toString((SELECT count() FROM attendance_raw WHERE event_id LIKE 'bl-%') + (SELECT count() FROM device_raw WHERE event_id LIKE 'bl-%')
				 + (SELECT count() FROM library_raw WHERE event_id LIKE 'bl-%') + (SELECT count() FROM completeness_raw WHERE event_id LIKE 'bl-%')) AS n`
			).then((r) => Number(r[0].n));
		// an hour's backlog (times JetStream's duplicate window cannot vouch for), with and without Nats-Msg-Id
		const backlog = makeEvents(400, reg.schools, 'bl');
		const w = await worker();
		await publishAll(nc, backlog.slice(0, 300), 2000, { msgId: true });
		await publishAll(nc, backlog.slice(300));
		await waitFor('the backlog written', () => w.stats.eventsTotal >= 400);
		await waitFor('settled', drained);
		expect(w.stats.lookedUp).toBe(0);
		// copies of 40 of them, as a producer's repeat without Nats-Msg-Id: held ids, so looked up
		await publishAll(nc, backlog.slice(100, 140));
		await waitFor('copies settled', () => w.stats.duplicatesTotal >= 40);
		await w.stop();
		expect([w.stats.eventsTotal, w.stats.lookedUp, w.stats.duplicatesTotal]).toEqual([400, 40, 40]);

		// a worker started anew reads the recent ids from the raw tables: copies are still looked up
		const again = await worker();
		const more = makeEvents(430, reg.schools, 'bl').slice(400);
		await publishAll(nc, [...backlog.slice(200, 230), ...more]);
		await waitFor(
			'settled again',
			() => again.stats.eventsTotal + again.stats.duplicatesTotal >= 60
		);
		await waitFor('drained again', drained);
		await again.stop();
		expect([again.stats.eventsTotal, again.stats.lookedUp, again.stats.duplicatesTotal]).toEqual([
			30, 30, 30
		]);
		expect(await raw()).toBe(430);
	});

	it('a backlog is written in whole batches: none cut by the timer while it arrives, no tiny one after a full one', async () => {
		// 3,000 events waiting before the worker starts: 6 batches of 500, each four inserts
		const events = makeEvents(3000, reg.schools, 'whole');
		await publishAll(nc, events, 2000, { msgId: true });
		const sizes: number[] = [];
		const w = await worker(
			(real) =>
				wrapWriter(real, {
					insertEvents(kind, evs, seqs) {
						if (kind === 'attendance') sizes.push(evs.length);
						return real.insertEvents(kind, evs, seqs);
					}
				}),
			// a timer long enough that a machine's hiccup does not look like a stalled delivery
			{ INGEST_FLUSH_MS: '300' }
		);
		await waitFor('the backlog written', () => w.stats.eventsTotal >= 3000);
		await waitFor('settled', drained);
		await w.stop();
		expect(w.stats.batchesTotal).toBe(6);
		// one attendance event in five: 100 a batch
		expect(sizes).toEqual([100, 100, 100, 100, 100, 100]);
		expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', { p: 'whole-%' })).toBe(
			expectedTotals(events).attendance
		);
	});

	it('a backlog that stops arriving is still written, one timer tick later', async () => {
		const { pipeline, stats } = directPipeline();
		const acked: number[] = [];
		const events = makeEvents(20, reg.schools, 'stall');
		// each says 1,000 more wait in the stream, and then none come
		events.forEach((m, i) => pipeline.push(delivery(m, i + 1, 1000, () => acked.push(i))));
		await waitFor('written after the stall', () => stats.eventsTotal >= 20, 5000);
		expect(stats.batchesTotal).toBe(1);
		expect(acked).toHaveLength(20);
		expect(await db.count('device_raw', 'event_id LIKE {p:String}', { p: 'stall-%' })).toBe(
			expectedTotals(events).device
		);
	});

	it('a live feed with a few messages waiting is written every flush interval, not held back as a backlog', async () => {
		// when each insert began: on a loaded machine an insert may last the whole feed, so the test
		// asks when writing started, not how many batches were done
		const began: number[] = [];
		const { pipeline, stats } = directPipeline((real) =>
			wrapWriter(real, {
				insertEvents(kind, events, seqs) {
					began.push(performance.now());
					return real.insertEvents(kind, events, seqs);
				}
			})
		);
		const events = makeEvents(40, reg.schools, 'live');
		// one every 10 ms for 0.4 s, each with 3 more behind it in the stream (a burst's messages)
		for (const [i, m] of events.entries()) {
			pipeline.push(delivery(m, i + 1, 3));
			await new Promise((r) => setTimeout(r, 10));
		}
		const fed = performance.now();
		// written while they came, not held until the feed paused (then the first insert would begin
		// a flush interval after the last message)
		expect(began.length).toBeGreaterThan(0);
		expect(began[0]).toBeLessThan(fed);
		await pipeline.drain();
		expect(stats.eventsTotal).toBe(40);
	});

	it('ClickHouse failing for a while: no ack, redelivery, nothing lost once it recovers', async () => {
		let failuresLeft = 4;
		let acceptedAfterFailures = false;
		const w = await worker((real) =>
			wrapWriter(real, {
				async insertEvents(kind, events, seqs) {
					if (failuresLeft > 0) {
						failuresLeft--;
						throw new Error('injected: ClickHouse unavailable');
					}
					acceptedAfterFailures = true;
					return real.insertEvents(kind, events, seqs);
				}
			})
		);
		const events = makeEvents(1500, reg.schools, 'fail');
		await publishAll(nc, events);
		await waitFor('all events written after the outage', () => w.stats.eventsTotal >= 1500, 90_000);
		await waitFor('consumer drained', drained, 30_000);
		await w.stop();
		expect(acceptedAfterFailures).toBe(true);
		expect(w.stats.insertFailuresTotal).toBeGreaterThanOrEqual(1);
		expect(w.stats.eventsTotal).toBe(1500);
		const want = expectedTotals(events);
		expect(await db.count('device_raw', 'event_id LIKE {p:String}', { p: 'fail-%' })).toBe(
			want.device
		);
		expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', { p: 'fail-%' })).toBe(
			want.attendance
		);
	});

	it('1,000 malformed events mixed into valid traffic: every one rejected with a reason, all valid counted, process alive', async () => {
		const w = await worker();
		const valid = makeEvents(2000, reg.schools, 'mix');
		const bad: { subject: string; data: Uint8Array }[] = [];
		const s = reg.schools[0];
		const subj = `edu.v1.attendance.${s.area_id}.${s.school_id}`;
		for (let i = 0; i < 1000; i++) {
			const good = structuredClone(valid[(i * 5) % valid.length].event) as Record<string, unknown>; // an attendance event (every fifth is)
			const variants: (() => { subject: string; data: Uint8Array })[] = [
				() => ({ subject: subj, data: enc.encode('{"kind":') }),
				() => ({
					subject: `edu.v1.grades.${s.area_id}.${s.school_id}`,
					data: enc.encode(JSON.stringify(good))
				}),
				() => ({
					subject: `edu.v1.attendance.${s.area_id}.nope-${i}`,
					data: enc.encode(JSON.stringify({ ...good, kind: 'attendance', school_id: `nope-${i}` }))
				}),
				() => ({
					subject: subj,
					data: enc.encode(
						JSON.stringify({
							kind: 'attendance',
							event_id: `bad-${i}-xxxxxxxx`,
							schema: 1,
							school_id: s.school_id,
							ts: new Date().toISOString(),
							payload: {
								class: '1A',
								grade: 1,
								session: 'morning',
								enrolled: 10,
								present: 11,
								absent_excused: 0,
								absent_unexcused: 0
							}
						})
					)
				}),
				() => ({
					subject: subj,
					data: enc.encode(
						JSON.stringify({
							kind: 'attendance',
							event_id: `bad-${i}-yyyyyyyy`,
							schema: 1,
							school_id: s.school_id,
							ts: new Date(Date.now() + 86400_000).toISOString(),
							payload: {
								class: '1A',
								grade: 1,
								session: 'morning',
								enrolled: 10,
								present: 10,
								absent_excused: 0,
								absent_unexcused: 0
							}
						})
					)
				})
			];
			bad.push(variants[i % variants.length]());
		}
		const mixed: { subject: string; data: Uint8Array }[] = [];
		for (let i = 0; i < 2000; i++) {
			mixed.push({ subject: valid[i].subject, data: enc.encode(JSON.stringify(valid[i].event)) });
			if (i % 2 === 0) mixed.push(bad[i / 2]);
		}
		const rejectsBefore = await db.count('rejects');
		await publishAll(nc, mixed);
		await waitFor(
			'all settled',
			async () => w.stats.eventsTotal >= 2000 && w.stats.rejectsTotal >= 1000 && (await drained()),
			20_000
		).catch(async (e) => {
			console.log(w.stats.snapshot(), await consumerBacklog(nc, 'EDU', 'ingest'));
			throw e;
		});
		await w.stop();
		expect(w.stats.eventsTotal).toBe(2000);
		expect(w.stats.rejectsTotal).toBe(1000);
		expect((await db.count('rejects')) - rejectsBefore).toBe(1000);
		const reasons = await rows<{ reason: string; n: string }>(
			db.ch,
			"SELECT reason, count() AS n FROM rejects WHERE detail != '' GROUP BY reason ORDER BY reason"
		);
		expect(Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)]))).toEqual({
			bad_json: 200,
			unknown_kind: 200,
			unknown_school: 200,
			impossible_counts: 200,
			future_ts: 200
		});
		// and the dead-letter stream holds all of them, with their reason in a header
		const jsm = await jetstreamManager(nc);
		const dlq = await jsm.streams.info('EDU_DLQ');
		expect(dlq.state.messages).toBe(1000);
		expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', { p: 'mix-%' })).toBe(
			expectedTotals(valid).attendance
		);
	});

	it('a materialized view failing after the raw part is written: the retry writes the missing rollup parts, nothing twice', async () => {
		// a view that fails while zz_fail has a row: ClickHouse has then written library_raw's part
		// and none or some of its views' parts, and the insert reports an error
		await db.ch.command({ query: 'CREATE TABLE zz_fail (x UInt8) ENGINE = Memory' });
		await db.ch.command({
			query: `CREATE TABLE zz_sink (n UInt64) ENGINE = MergeTree ORDER BY tuple()
			        SETTINGS non_replicated_deduplication_window = 100`
		});
		await db.ch.command({
			query: `CREATE MATERIALIZED VIEW zz_fail_mv TO zz_sink AS SELECT count() AS n FROM library_raw
			        WHERE throwIf((SELECT count() FROM zz_fail) > 0, 'injected: a view failed') = 0`
		});
		await db.ch.command({ query: 'INSERT INTO zz_fail VALUES (1)' });
		const before = {
			raw: await db.count('library_raw'),
			m: await sumOf('SELECT sum(reports) AS v FROM library_1m'),
			d: await sumOf('SELECT sum(reports) AS v FROM library_1d'),
			loans: await sumOf('SELECT sum(loans) AS v FROM library_1h'),
			versions: await sumOf("SELECT sum(events) AS v FROM day_versions WHERE kind = 'library'")
		};
		// the embedded feed (no NATS): the retry is this process's own, after the back-off
		const cfg = loadConfig({
			DATA_DIR: db.dataDir,
			INGEST_BATCH_SIZE: '500',
			INGEST_FLUSH_MS: '20'
		});
		const w = await startIngestWorker({ cfg, ch: db.ch, registry, log: logger('test') });
		try {
			const events = makeEvents(1500, reg.schools, 'view').filter(
				(m) => m.event.kind === 'library'
			);
			for (const m of events) await w.submit(m.subject, enc.encode(JSON.stringify(m.event)));
			await waitFor('a failed insert', () => w.stats.insertFailuresTotal >= 1);
			expect(await db.count('library_raw')).toBeGreaterThan(before.raw);
			await db.ch.command({ query: 'TRUNCATE TABLE zz_fail' });
			await waitFor(
				'all written',
				() => w.stats.eventsTotal + w.stats.duplicatesTotal >= events.length,
				30_000
			);
			await w.pipeline.drain();
			const want = expectedTotals(events);
			expect(await db.count('library_raw')).toBe(before.raw + want.library);
			expect(await sumOf('SELECT sum(reports) AS v FROM library_1m')).toBe(before.m + want.library);
			expect(await sumOf('SELECT sum(reports) AS v FROM library_1d')).toBe(before.d + want.library);
			expect(await sumOf('SELECT sum(loans) AS v FROM library_1h')).toBe(before.loans + want.loans);
			expect(await sumOf("SELECT sum(events) AS v FROM day_versions WHERE kind = 'library'")).toBe(
				before.versions + want.library
			);
		} finally {
			await w.stop();
			await db.ch.command({ query: 'DROP VIEW zz_fail_mv' });
		}
	});

	it('a block is repeated (exactly) only while it is recent: an older one is left alone, never counted twice', async () => {
		const writer = new ClickHouseWriter(db.ch);
		const events = makeEvents(200, reg.schools, 'horizon')
			.map((m) => m.event)
			.filter((e) => e.kind === 'attendance') as EventOf<'attendance'>[];
		const enrolled = () => sumOf('SELECT sum(enrolled) AS v FROM attendance_1d');
		const before = await enrolled();
		await writer.insertEvents(
			'attendance',
			events,
			events.map((_, i) => 900_000 + i)
		);
		const want = before + events.reduce((n, e) => n + e.payload.enrolled, 0);
		expect(await enrolled()).toBe(want);
		const copy = (await writer.existingIds(new Map([['attendance', events]])))
			.get('attendance')!
			.get(events[0].event_id)![0];
		// recent: repeated, and its parts are all there already, so nothing changes
		expect(await writer.repeatBlock('attendance', copy)).toBe(true);
		expect(await enrolled()).toBe(want);
		expect(await db.count('attendance_raw', 'event_id LIKE {p:String}', { p: 'horizon-%' })).toBe(
			events.length
		);
		// a newer write 2 minutes on: the block is past the horizon and is not repeated
		const later = { ...events[0], event_id: 'horizon-later-0000001' };
		await db.ch.insert({
			table: 'attendance_raw',
			values: [{ ...toRow(later), ingested_at: new Date(Date.now() + 120_000).toISOString() }],
			format: 'JSONEachRow'
		});
		expect(await writer.repeatBlock('attendance', copy)).toBe(false);
		expect(await enrolled()).toBe(want + later.payload.enrolled);
	});
});
