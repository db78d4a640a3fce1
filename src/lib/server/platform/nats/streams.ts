/**
 * JetStream topology, declared once and shared by ingest, the feed and tests.
 * EDU holds events (`edu.v1.<kind>.<district>.<school>`: exactly five tokens, so the
 * dead-letter `edu.v1.dlq.<reason>` and alert subjects never loop back into it).
 */
import {
	AckPolicy,
	DeliverPolicy,
	JetStreamApiError,
	jetstreamManager,
	RetentionPolicy,
	StorageType,
	type JetStreamManager
} from '@nats-io/jetstream';
import { nanos, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import type { Config } from '../config';

/**
 * How every process connects (ingest, the app, the feed): to any server of NATS_URL (one, or a
 * cluster's list, tried in random order), failing over to the others and to the servers the
 * cluster tells of; reconnecting for ever, quickly (a node that died is not waited for).
 */
export function natsOptions(cfg: Pick<Config, 'nats'>, name: string): ConnectionOptions {
	return {
		servers: cfg.nats.servers,
		name,
		maxReconnectAttempts: -1,
		reconnectTimeWait: 500,
		// a dead server's socket may hang rather than refuse: give up on it after this
		timeout: 5000
	};
}

export const EVENTS_SUBJECTS = ['edu.v1.*.*.*'];
/** `edu.v1.dlq.<reason>`: four tokens, so it cannot overlap the events stream (subscribers may use `edu.v1.dlq.>`). */
export const DLQ_SUBJECTS = ['edu.v1.dlq.*'];

export interface StreamNames {
	stream: string;
	consumer: string;
	/** redeliver a message not acked within this time (default 30 s); applies when the consumer is created */
	ackWaitMs?: number;
	/**
	 * copies of each stream on a NATS cluster (3 on a three-node cluster). Applied to an existing
	 * stream too (JetStream moves it to more or fewer nodes; the consumer follows its stream).
	 * Unset: a new stream gets 1 and an existing one keeps its own, so a process started without
	 * the setting does not shrink a cluster's streams.
	 */
	replicas?: number;
}

/** JetStream's "stream not found" / "consumer not found" (API error 404). */
function isNotFound(e: unknown): boolean {
	return e instanceof JetStreamApiError && e.status === 404;
}

/**
 * An error a NATS cluster answers with while it elects a leader or a node is away: a request that
 * timed out or found no responder, JetStream "temporarily unavailable" (503). Worth retrying; any
 * other error (a bad configuration, say) is not.
 */
export function isTransient(e: unknown): boolean {
	if (e instanceof JetStreamApiError) return e.status === 503 || e.status === 408;
	if (!(e instanceof Error)) return false;
	if (['TimeoutError', 'NoResponders', 'RequestError', 'ConnectionError'].includes(e.name))
		return true;
	return e.cause !== undefined && e.cause !== e && isTransient(e.cause);
}

/**
 * Publishers set Nats-Msg-Id = event_id (the feed does): JetStream drops a repeat stored within
 * this long of the first. Ingest relies on it to skip the raw-table lookup for a live event's
 * first delivery (ingest/pipeline.ts, provablyNew): that proof covers events stored less than
 * this minus 5.5 minutes after their ts. The window costs NATS one id per message for its length
 * (about 120k ids at 200 events/s).
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** Create or update the streams and the durable pull consumer; idempotent. */
export async function ensureTopology(
	nc: NatsConnection,
	names: StreamNames
): Promise<JetStreamManager> {
	const jsm = await jetstreamManager(nc);
	const streams: { name: string; subjects: string[]; max_age: number }[] = [
		{ name: names.stream, subjects: EVENTS_SUBJECTS, max_age: nanos(7 * 24 * 3600_000) },
		{ name: `${names.stream}_DLQ`, subjects: DLQ_SUBJECTS, max_age: nanos(30 * 24 * 3600_000) }
	];
	for (const s of streams) {
		const config = {
			name: s.name,
			subjects: s.subjects,
			retention: RetentionPolicy.Limits,
			storage: StorageType.File,
			max_age: s.max_age,
			duplicate_window: nanos(DUPLICATE_WINDOW_MS)
		};
		// only "not found" means create: a timeout (a cluster electing a leader) is an error to retry
		const existing = await jsm.streams.info(s.name).then(
			(si) => si,
			(e: unknown) => {
				if (isNotFound(e)) return null;
				throw e;
			}
		);
		const num_replicas = names.replicas ?? existing?.config.num_replicas ?? 1;
		if (existing) await jsm.streams.update(s.name, { ...config, num_replicas });
		else await jsm.streams.add({ ...config, num_replicas });
	}
	const consumerExists = await jsm.consumers.info(names.stream, names.consumer).then(
		() => true,
		(e: unknown) => {
			if (isNotFound(e)) return false;
			throw e;
		}
	);
	if (!consumerExists) {
		await jsm.consumers.add(names.stream, {
			durable_name: names.consumer,
			ack_policy: AckPolicy.Explicit,
			deliver_policy: DeliverPolicy.All,
			// a message is redelivered if not acked in time; ingest acks within a batch window
			ack_wait: nanos(names.ackWaitMs ?? 30_000),
			// never give up on a valid event: failures are ClickHouse outages, not the message
			max_deliver: -1,
			max_ack_pending: 50_000
		});
	}
	return jsm;
}
