/**
 * An ingest worker: pipeline + source (NATS consumer, or the in-process demo feed) + status.
 * The same object runs inside the app (embedded mode) and as `npm run ingest` (servers).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Config } from '#server/platform/config';
import { natsOptions } from '#server/platform/nats/streams';
import type { CH } from '#server/platform/clickhouse/client';
import type { Logger } from '#server/platform/log';
import type { RegistryCache } from '#server/platform/registry/cache';
import { CrashPoints } from './crash-points';
import { NatsDeadLetters, NatsSource } from './nats-source';
import { Pipeline, type Delivery } from './pipeline';
import { IngestStats } from './stats';
import { StatusReporter } from './status-reporter';
import { ClickHouseWriter, lastWritesByKind, type EventWriter } from './writer';

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
		crash
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
