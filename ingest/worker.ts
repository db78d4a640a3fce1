/**
 * An ingest worker: pipeline + source (NATS consumer, or the in-process demo feed) + status.
 * The same object runs inside the app (embedded mode) and as `npm run ingest` (servers).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Config } from '#server/platform/config';
import { natsOptions } from '#server/platform/nats/streams';
import type { CH } from '#server/platform/clickhouse/client';
import { reconcile } from '#server/platform/clickhouse/reconcile';
import { localDay } from '#shared/calendar';
import { formatDay } from '#shared/range';
import type { Logger } from '#server/platform/log';
import type { RegistryCache } from '#server/platform/registry/cache';
import { CrashPoints } from './crash-points';
import { NatsDeadLetters, NatsSource } from './nats-source';
import { Pipeline, type Delivery } from './pipeline';
import type { TelemetryKind } from '#shared/contract';
import { IngestStats } from './stats';
import { StatusReporter } from './status-reporter';
import {
	ClickHouseWriter,
	lastWritesByKind,
	spanOfBlocks,
	type EventWriter,
	type StoredCopy
} from './writer';

export interface IngestWorker {
	stats: IngestStats;
	pipeline: Pipeline;
	/** where messages come from */
	source: 'nats' | 'embedded-feed';
	/** hand one message to the pipeline in process (embedded feed); resolves when it may continue */
	submit(subject: string, data: Uint8Array): Promise<void>;
	nc: NatsConnection | null;
	stop(): Promise<void>;
}

export interface WorkerOptions {
	cfg: Config;
	ch: CH;
	registry: RegistryCache;
	log: Logger;
	/** replace the ClickHouse writer (tests inject faults around the real one) */
	writer?: (real: EventWriter) => EventWriter;
}

/** Start consuming: from NATS when NATS_URL is set, else from in-process submissions. */
export async function startIngestWorker(o: WorkerOptions): Promise<IngestWorker> {
	const stats = new IngestStats();
	stats.restoreLastWrites(await lastWritesByKind(o.ch));
	const crash = new CrashPoints(o.cfg.ingest.crashAt);
	const real = new ClickHouseWriter(o.ch, crash);
	const nc = o.cfg.nats.servers.length ? await connect(natsOptions(o.cfg, 'edu-ingest')) : null;
	const pipeline = new Pipeline({
		writer: o.writer ? o.writer(real) : real,
		schools: o.registry,
		stats,
		log: o.log,
		batchSize: o.cfg.ingest.batchSize,
		flushMs: o.cfg.ingest.flushMs,
		deadLetters: nc ? new NatsDeadLetters(nc) : undefined,
		onRegistryChange: (events) => o.registry.upsertSchools(events.map((e) => e.payload.school)),
		streamSequences: nc !== null,
		proveNew: o.cfg.ingest.proveNew,
		recentMs: o.cfg.ingest.recentMs,
		crash,
		afterCrash: (blocks) => reconcileAfterCrash(o, blocks)
	});
	const reporter = new StatusReporter(o.ch, stats, o.log);
	reporter.start();

	let seq = 0;
	const embedded = (subject: string, data: Uint8Array, deliveryCount: number): Delivery => ({
		subject,
		data,
		seq: ++seq,
		deliveryCount,
		ack() {},
		term() {},
		// no broker to redeliver: retry in process after the back-off
		nak(ms) {
			stats.inHand++;
			setTimeout(() => {
				stats.inHand--;
				void pipeline.push(embedded(subject, data, deliveryCount + 1));
			}, ms).unref();
		}
	});

	let source: NatsSource | null = null;
	if (nc) {
		source = new NatsSource(
			nc,
			{
				stream: o.cfg.nats.stream,
				consumer: o.cfg.nats.consumer,
				ackWaitMs: o.cfg.nats.ackWaitMs,
				replicas: o.cfg.nats.replicas
			},
			pipeline,
			o.log
		);
		await source.start();
	}
	return {
		stats,
		pipeline,
		source: nc ? 'nats' : 'embedded-feed',
		nc,
		async submit(subject, data) {
			await pipeline.push(embedded(subject, data, 1));
		},
		async stop() {
			if (source) await source.stop();
			else await pipeline.drain();
			await reporter.stop();
			if (nc) await nc.drain().catch(() => undefined);
		}
	};
}

/**
 * After a crash, the days of the inserts that were in flight are reconciled and repaired before
 * consuming again. A repeat writes every part a crash left missing, except one ClickHouse
 * recorded as written in its deduplication log just before the process died, before the part was
 * in place: a repeat skips it, so that rollup would stay one block short. Reconciling those days
 * (every rollup against its raw table, the differing buckets rebuilt) closes that last case.
 * Nothing else writes meanwhile: the consumer has not started.
 */
async function reconcileAfterCrash(
	o: WorkerOptions,
	blocks: { kind: TelemetryKind; block: StoredCopy }[]
): Promise<void> {
	let from = Infinity;
	let to = -Infinity;
	for (const kind of new Set(blocks.map((b) => b.kind))) {
		const span = await spanOfBlocks(
			o.ch,
			kind,
			blocks.filter((b) => b.kind === kind).map((b) => b.block)
		);
		if (span) [from, to] = [Math.min(from, span.from), Math.max(to, span.to)];
	}
	if (from === Infinity) return;
	const days = { from: formatDay(localDay(from)), to: formatDay(localDay(to)) };
	const t0 = Date.now();
	const r = await reconcile(o.ch, { ...days, repair: true, record: 'ingest' });
	o.log.info('reconciled the days of the inserts a crash cut off', {
		...days,
		blocks: blocks.length,
		differed: r.differing,
		repaired: r.repaired,
		remaining: r.remaining,
		ms: Date.now() - t0
	});
}
