/**
 * JetStream topology, declared once and shared by ingest, the feed and tests.
 * EDU holds events (`edu.v1.<kind>.<district>.<school>`: exactly five tokens, so the
 * dead-letter `edu.v1.dlq.<reason>` and alert subjects never loop back into it).
 */
import {
	AckPolicy,
	DeliverPolicy,
	jetstreamManager,
	RetentionPolicy,
	StorageType,
	type JetStreamManager
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';

export const EVENTS_SUBJECTS = ['edu.v1.*.*.*'];
/** `edu.v1.dlq.<reason>`: four tokens, so it cannot overlap the events stream (subscribers may use `edu.v1.dlq.>`). */
export const DLQ_SUBJECTS = ['edu.v1.dlq.*'];

export interface StreamNames {
	stream: string;
	consumer: string;
	/** redeliver a message not acked within this time (default 30 s); applies when the consumer is created */
	ackWaitMs?: number;
}

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
			// publishers may set Nats-Msg-Id = event_id: JetStream drops repeats within 2 minutes
			duplicate_window: nanos(120_000)
		};
		const exists = await jsm.streams.info(s.name).then(
			() => true,
			() => false
		);
		if (exists) await jsm.streams.update(s.name, config);
		else await jsm.streams.add(config);
	}
	const consumerExists = await jsm.consumers.info(names.stream, names.consumer).then(
		() => true,
		() => false
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
