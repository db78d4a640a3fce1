/** Publish to JetStream in chunks, awaiting the acks (the events are in the stream when this returns). */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { enc, type Made } from './events';

export async function publishAll(
	nc: NatsConnection,
	items: (Made | { subject: string; data: Uint8Array })[],
	chunk = 2000
): Promise<void> {
	const js = jetstream(nc);
	for (let i = 0; i < items.length; i += chunk) {
		await Promise.all(
			items
				.slice(i, i + chunk)
				.map((it) =>
					js.publish(it.subject, 'data' in it ? it.data : enc.encode(JSON.stringify(it.event)))
				)
		);
	}
}

/** Consumer backlog: not yet delivered + delivered and not acked. */
export async function consumerBacklog(
	nc: NatsConnection,
	stream: string,
	consumer: string
): Promise<{ pending: number; ackPending: number; ackFloor: number }> {
	const jsm = await jetstreamManager(nc);
	const ci = await jsm.consumers.info(stream, consumer);
	return {
		pending: ci.num_pending,
		ackPending: ci.num_ack_pending,
		ackFloor: ci.ack_floor.stream_seq
	};
}
