/**
 * Ingest across a three-node NATS cluster (docs/nats-cluster.md): the stream with 3 replicas on
 * three real `nats-server` processes, the ingest worker on chDB consuming through NATS_URL's list
 * of servers, a producer publishing events with known ids at a steady pace. Mid-stream the stream's
 * leader is killed with SIGKILL; publishing goes on (a publish that fails during the election is
 * sent again with the same Nats-Msg-Id), then the node is started again. At the end every raw
 * table and every rollup equals the published events exactly (0 lost, 0 counted twice), the
 * reconciliation finds no difference, the stream holds each message once, and each malformed
 * message is in `rejects` and in the dead-letter stream once.
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestWorker, type IngestWorker } from '#ingest/worker';
import { rows } from '#server/platform/clickhouse/client';
import { reconcile } from '#server/platform/clickhouse/reconcile';
import { loadConfig } from '#server/platform/config';
import { ensureTopology } from '#server/platform/nats/streams';
import { setLogLevel, type Logger } from '#server/platform/log';
import { RegistryCache } from '#server/platform/registry/cache';
import { applyRegistry } from '#server/platform/registry/store';
import { startClickHouse, waitFor, type TempClickHouse } from '#harness/chdb';
import { enc, makeEvents, testRegistry } from '#harness/events';
import { exactAgainst } from '#harness/exact';
import { startNatsCluster, type NatsCluster, type NodeName } from '#harness/nats-cluster';
import { consumerBacklog, publishPaced } from '#harness/publish';

/**
 * Events are published at this pace until a few seconds after the node is back (at most MAX_EVENTS).
 * Slow enough that ingest keeps up on a loaded two-core machine (chDB writes every rollup), so
 * that what the test times is NATS's leader change, not a backlog.
 */
const PER_SECOND = 300;
const MAX_EVENTS = 40_000;
/** publishing goes on this long after the restarted node is back */
const AFTER_RESTART_MS = 4000;
/** one malformed message in this many */
const BAD_EVERY = 150;

let cluster: NatsCluster;
let db: TempClickHouse;
let nc: NatsConnection;
let jsm: JetStreamManager;
let registry: RegistryCache;
let worker: IngestWorker | null = null;
const reg = testRegistry();
setLogLevel('warn');

/** what ingest logged (its warnings and debug lines tell how it got through the leader change) */
const logged: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
const log: Logger = {
	debug: (msg, fields) => void logged.push({ level: 'debug', msg, fields }),
	info: (msg, fields) => void logged.push({ level: 'info', msg, fields }),
	warn: (msg, fields) => void logged.push({ level: 'warn', msg, fields }),
	error: (msg, fields) => void logged.push({ level: 'error', msg, fields })
};

beforeAll(async () => {
	cluster = await startNatsCluster();
	db = await startClickHouse();
	await applyRegistry(db.ch, reg, { source: 'test', mode: 'replace' });
	registry = new RegistryCache(db.ch);
	await registry.reload();
	// the producer's and the test's own connection: any node, failing over like the app's
	nc = await connect({ servers: cluster.urls, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
	jsm = await jetstreamManager(nc, { timeout: 1000 });
});

afterAll(async () => {
	await worker?.stop().catch(() => undefined);
	await nc?.close();
	await db?.cleanup();
	await cluster?.stop();
});

/** the stream's leader now, or null during an election (or while the request cannot be answered) */
async function streamLeader(name = 'EDU'): Promise<string | null> {
	try {
		return (await jsm.streams.info(name)).cluster?.leader ?? null;
	} catch {
		return null;
	}
}

/** the consumer's leader now, or null */
async function consumerLeaderNow(): Promise<string | null> {
	try {
		return (await jsm.consumers.info('EDU', 'ingest')).cluster?.leader ?? null;
	} catch {
		return null;
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Move the consumer's leadership onto the stream leader's node (a stepdown hands it to another
 * replica at random; a few tries), so that one kill takes both leaders: the pull requests waiting
 * at the consumer leader are lost with it. Returns the consumer's leader at the end.
 */
async function consumerOnStreamLeader(streamLeader: string): Promise<string | undefined> {
	let leader = (await jsm.consumers.info('EDU', 'ingest')).cluster?.leader;
	for (let i = 0; i < 10 && leader !== streamLeader; i++) {
		await nc
			.request('$JS.API.CONSUMER.LEADER.STEPDOWN.EDU.ingest', '', { timeout: 2000 })
			.catch(() => undefined);
		const before = leader;
		for (let j = 0; j < 100; j++) {
			await sleep(50);
			leader = await jsm.consumers
				.info('EDU', 'ingest')
				.then((ci) => ci.cluster?.leader)
				.catch(() => undefined);
			if (leader && leader !== before) break;
		}
	}
	return leader;
}

describe('a three-node NATS cluster', () => {
	it('the stream leader killed mid-stream and restarted: 0 events lost, 0 counted twice', async () => {
		const t0 = Date.now();
		const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
		const cfg = loadConfig({
			DATA_DIR: db.dataDir,
			NATS_URL: cluster.natsUrl,
			NATS_STREAM_REPLICAS: '3',
			INGEST_BATCH_SIZE: '200',
			INGEST_FLUSH_MS: '20',
			// acks sent to a leader that died are lost: those messages come back after this
			INGEST_ACK_WAIT_MS: '10000'
		});
		expect(cfg.nats.servers).toHaveLength(3);
		worker = await startIngestWorker({ cfg, ch: db.ch, registry, log });
		const w = worker;

		// the topology ingest made: both streams on all three nodes, the consumer too
		for (const name of ['EDU', 'EDU_DLQ']) {
			const si = await jsm.streams.info(name);
			expect(si.config.num_replicas, name).toBe(3);
			expect(si.cluster?.leader, name).toBeTruthy();
			expect(si.cluster?.replicas?.length, name).toBe(2);
		}
		const ci = await jsm.consumers.info('EDU', 'ingest');
		expect(ci.cluster?.replicas?.length).toBe(2);
		// a process started without NATS_STREAM_REPLICAS leaves them as they are
		await ensureTopology(nc, { stream: 'EDU', consumer: 'ingest' });
		expect((await jsm.streams.info('EDU')).config.num_replicas).toBe(3);

		// what the producer sends: events with known ids, and now and then a malformed message
		const made = makeEvents(MAX_EVENTS, reg.schools, 'cl');
		const s = reg.schools[0];
		const items: Parameters<typeof publishPaced>[1] = [];
		let malformed = 0;
		made.forEach((e, i) => {
			items.push(e);
			if (i % BAD_EVERY === BAD_EVERY - 1)
				items.push({
					subject: `edu.v1.attendance.${s.area_id}.${s.school_id}`,
					data: enc.encode(`{"kind":"attendance","event_id":"cl-bad-${malformed}",`),
					id: `cl-bad-${malformed++}`
				});
		});

		// ingest's progress, sampled: the longest time after the kill it wrote nothing, and when it
		// had written every event
		let ingestGap = { ms: 0, from: 0 };
		let killedAt = 0;
		let allWrittenAt = 0;
		let lastCount = 0;
		let lastChange = Date.now();
		const sampler = setInterval(() => {
			const n = w.stats.eventsTotal;
			const now = Date.now();
			if (sent && n >= sent.events && !allWrittenAt) allWrittenAt = now;
			if (n === lastCount) return;
			const from = Math.max(lastChange, killedAt);
			if (killedAt && now - from > ingestGap.ms) ingestGap = { ms: now - from, from };
			lastCount = n;
			lastChange = now;
		}, 20);

		let acked = 0;
		let stopPublishing = false;
		/** what was published, once publishing ended */
		let sent: { items: number; events: number } | null = null;
		const published = publishPaced(nc, items, {
			perSecond: PER_SECOND,
			window: 200,
			timeoutMs: 1500,
			giveUpMs: 90_000,
			onAck: (n) => (acked = n),
			stopped: () => stopPublishing,
			// ingest on a busy machine may fall behind: hold the producer rather than grow a backlog
			// (before the kill within a second of events, so that the kill finds ingest caught up)
			hold: () =>
				acked - w.stats.eventsTotal - w.stats.rejectsTotal > PER_SECOND * (killedAt ? 5 : 1)
		});
		published.catch(() => undefined);

		try {
			// 1. a few seconds in, ingest keeping up: kill the stream's leader
			await waitFor('events published', () => acked >= PER_SECOND * 4, 60_000);
			await waitFor(
				'ingest keeping up',
				() => w.stats.eventsTotal + w.stats.rejectsTotal >= acked - PER_SECOND * 2,
				120_000
			);
			const before = await jsm.streams.info('EDU');
			const victim = before.cluster!.leader as NodeName;
			expect(cluster.nodes[victim]).toBeDefined();
			const consumerLeader = await consumerOnStreamLeader(victim);
			const ingestOn = w.nc?.info?.server_name;
			const producerOn = nc.info?.server_name;
			const ackedAtKill = acked;
			const writtenAtKill = w.stats.eventsTotal;
			killedAt = Date.now();
			await cluster.kill(victim);
			console.log(
				`nats-cluster: ${at()}: killed ${victim} (stream leader; consumer leader ${consumerLeader}; ingest connected to ${ingestOn}, producer to ${producerOn}) after ${ackedAtKill} messages published, ${writtenAtKill} events written`
			);

			// 2. the elections: a new leader among the two left for the stream and for its consumer
			// (two Raft groups, each electing on its own)
			let newLeader: string | null = null;
			let newConsumerLeader: string | null = null;
			let streamElectedMs = 0;
			let consumerElectedMs = 0;
			await waitFor(
				'new stream and consumer leaders',
				async () => {
					const [s, c] = await Promise.all([
						streamElectedMs ? newLeader : streamLeader(),
						consumerElectedMs ? newConsumerLeader : consumerLeaderNow()
					]);
					if (!streamElectedMs && s && s !== victim) {
						newLeader = s;
						streamElectedMs = Date.now() - killedAt;
					}
					if (!consumerElectedMs && c && c !== victim) {
						newConsumerLeader = c;
						consumerElectedMs = Date.now() - killedAt;
					}
					return streamElectedMs > 0 && consumerElectedMs > 0;
				},
				60_000,
				50
			);
			console.log(
				`nats-cluster: ${at()}: ${newLeader} leads the stream after ${streamElectedMs} ms, ${newConsumerLeader} the consumer after ${consumerElectedMs} ms`
			);
			expect(newLeader).not.toBe(victim);
			expect(newConsumerLeader).not.toBe(victim);

			// 3. with the node still down, publishing and ingest go on: messages stored after the
			// election (stream sequence above the new leader's last one when it took over) are written
			const electedSeq = Number((await jsm.streams.info('EDU')).state.last_seq);
			const writtenAfter = async () =>
				Number(
					(
						await rows<{ n: string }>(
							db.ch,
							`SELECT sum(n) AS n FROM (
								SELECT count() AS n FROM attendance_raw WHERE stream_seq > {s:UInt64} UNION ALL
								SELECT count() FROM device_raw WHERE stream_seq > {s:UInt64} UNION ALL
								SELECT count() FROM library_raw WHERE stream_seq > {s:UInt64} UNION ALL
								SELECT count() FROM completeness_raw WHERE stream_seq > {s:UInt64})`,
							{ s: electedSeq }
						)
					)[0].n
				);
			await waitFor(
				'ingest writing messages stored after the election',
				async () => (await writtenAfter()) > 0,
				60_000,
				100
			);
			const resumedMs = Date.now() - killedAt;
			// when ingest wrote again after the kill (sampled), against the consumer's new leader
			const ingestResumedMs = ingestGap.from ? ingestGap.from + ingestGap.ms - killedAt : 0;
			await waitFor(
				'publishing after the kill',
				() => acked >= ackedAtKill + PER_SECOND * 2,
				60_000
			);
			await waitFor(
				'more written after the election',
				async () => (await writtenAfter()) >= PER_SECOND,
				60_000,
				100
			);
			const writtenWhileDown = await writtenAfter();
			expect(cluster.nodes[victim].up).toBe(false);
			console.log(
				`nats-cluster: ${at()}: ingest wrote again ${ingestResumedMs} ms after the kill (the consumer's new leader at ${consumerElectedMs} ms), and the first message stored after the election at ${resumedMs} ms`
			);

			// 4. the node comes back (same ports and store) while events still flow
			const restartedAt = Date.now();
			await cluster.restart(victim);
			console.log(
				`nats-cluster: ${at()}: ${victim} back after ${restartedAt - killedAt} ms down (${writtenWhileDown} events stored after the election written meanwhile, ${acked} messages published)`
			);
			await sleep(AFTER_RESTART_MS);
			stopPublishing = true;
			const pub = await published;
			expect(pub.sent).toBeLessThan(items.length);
			sent = {
				items: pub.sent,
				events: items.slice(0, pub.sent).filter((it) => 'event' in it).length
			};
			console.log(
				`nats-cluster: ${at()}: published ${pub.acked} messages (${sent.events} events); ${pub.retries} publishes repeated (${JSON.stringify(pub.errors)}), ${pub.duplicates} of them already stored; publishing failed from ${pub.firstFailureAt - killedAt} ms after the kill until ${pub.recoveredAt - killedAt} ms (a failed publish stored at last)`
			);
			expect(pub.acked).toBe(pub.sent);
			// the election did interrupt publishing (else this test would test nothing)
			expect(pub.retries).toBeGreaterThan(0);
			// and publishing went on after the node was back
			expect(pub.ackTimes.filter((t) => t > restartedAt).length).toBeGreaterThan(PER_SECOND);

			// 5. ingest drains the stream; the restarted node catches up
			await waitFor(
				'the stream drained',
				async () => {
					try {
						const b = await consumerBacklog(nc, 'EDU', 'ingest');
						return b.pending === 0 && b.ackPending === 0 && w.stats.eventsTotal >= sent!.events;
					} catch {
						return false;
					}
				},
				120_000,
				100
			);
			await waitFor(
				`${victim} current again`,
				async () => {
					const si = await jsm.streams.info('EDU').catch(() => null);
					const peers = si?.cluster?.replicas ?? [];
					return peers.length === 2 && peers.every((p) => p.current && !p.offline);
				},
				60_000,
				100
			);
			clearInterval(sampler);
			const final = await jsm.streams.info('EDU');
			console.log(
				`nats-cluster: ${at()}: drained; leader ${final.cluster?.leader}, replicas ${JSON.stringify(final.cluster?.replicas?.map((r) => [r.name, r.current, r.lag ?? 0]))}; every event written ${allWrittenAt - killedAt} ms after the kill; ingest's longest pause after the kill ${ingestGap.ms} ms (from ${ingestGap.from - killedAt} ms); ${w.stats.duplicatesTotal} redelivered or repeated copies dropped`
			);
			const warnings = logged.filter((l) => l.level !== 'info');
			const byMsg = new Map<string, number>();
			for (const l of warnings) byMsg.set(l.msg, (byMsg.get(l.msg) ?? 0) + 1);
			console.log(`nats-cluster: ingest's warnings and debug lines: ${JSON.stringify([...byMsg])}`);
			expect(logged.filter((l) => l.level === 'error')).toEqual([]);

			// each message stored once in the stream, whatever was repeated during the election
			expect(Number(final.state.messages)).toBe(sent.items);
			expect(Number((await jsm.streams.info('EDU_DLQ')).state.messages)).toBe(
				sent.items - sent.events
			);
		} finally {
			clearInterval(sampler);
			await published.catch(() => undefined);
		}

		await w.stop();
		worker = null;
		// what was published: the first sent.items messages
		const events = made.slice(0, sent!.events);
		const bad = sent!.items - sent!.events;
		expect(w.stats.eventsTotal).toBe(events.length);
		expect(w.stats.rejectsTotal).toBe(bad);

		// 6. every raw table and rollup equals the published events: 0 lost, 0 counted twice
		const exact = await exactAgainst(
			db.ch,
			events.map((e) => e.event)
		);
		for (const [table, r] of Object.entries(exact.raw)) {
			expect(r.rows, `${table}_raw rows`).toBe(r.want);
			expect(r.ids, `${table}_raw ids`).toBe(r.want);
		}
		expect(Object.values(exact.raw).reduce((a, r) => a + r.rows, 0)).toBe(events.length);
		for (const line of exact.samples) console.log(line);
		expect(exact.compared).toBeGreaterThan(0);
		expect(exact.differences, JSON.stringify(exact.byTable)).toBe(0);

		// each malformed message in rejects once
		const rej = await rows<{ n: string; seqs: string }>(
			db.ch,
			'SELECT count() AS n, uniqExact(stream_seq) AS seqs FROM rejects'
		);
		expect(Number(rej[0].n)).toBe(bad);
		expect(Number(rej[0].seqs)).toBe(bad);

		// and the reconciliation (npm run reconcile) over the events' days finds nothing
		const days = events.map((e) => new Date(Date.parse(e.event.ts) + 7 * 3600_000).toISOString());
		days.sort();
		const r = await reconcile(db.ch, {
			from: days[0].slice(0, 10),
			to: days[days.length - 1].slice(0, 10)
		});
		expect(r.checked).toBeGreaterThan(0);
		expect(r.differences).toEqual([]);
		expect(r.differing).toBe(0);
		console.log(
			`nats-cluster: exact: ${events.length} events and ${bad} malformed messages; ${exact.compared} rollup buckets compared, ${r.checked} reconciled; ${at()} in all`
		);
	}, 300_000);
});
