/** Feed the pipeline from the JetStream durable pull consumer; dead letters to `edu.v1.dlq.<reason>`. */
import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { dlqSubject, type RejectReason } from '#shared/contract';
import type { Logger } from '#server/platform/log';
import { ensureTopology, type StreamNames } from '#server/platform/nats/streams';
import type { DeadLetters, Pipeline } from './pipeline';
import type { RejectRow } from './writer';

export class NatsDeadLetters implements DeadLetters {
	private readonly js;
	constructor(nc: NatsConnection) {
		this.js = jetstream(nc);
	}
	async publish(r: RejectRow, data: Uint8Array): Promise<void> {
		const h = headers();
		h.set('Edu-Reason', r.reason);
		h.set('Edu-Detail', r.detail.slice(0, 500));
		h.set('Edu-Subject', r.subject);
		h.set('Edu-Stream-Seq', String(r.stream_seq));
		await this.js.publish(dlqSubject(r.reason as RejectReason), data, {
			headers: h,
			msgID: `dlq-${r.stream_seq}`
		});
	}
}

/** Consume until `stop()`; each message goes through the pipeline, awaiting back-pressure. */
export class NatsSource {
	private messages: ConsumerMessages | null = null;
	private loop: Promise<void> | null = null;

	constructor(
		private readonly nc: NatsConnection,
		private readonly names: StreamNames,
		private readonly pipeline: Pipeline,
		private readonly log: Logger,
		private readonly maxMessages = 10_000
	) {}

	async start(): Promise<void> {
		await ensureTopology(this.nc, this.names);
		const consumer = await jetstream(this.nc).consumers.get(this.names.stream, this.names.consumer);
		// not fatal: the redelivered messages find their rows and repeat the same inserts
		await consumer
			.info()
			.then(async (ci) => {
				const blocks = await this.pipeline.completeAfter(ci.ack_floor.stream_seq);
				if (blocks)
					this.log.info('repeated the inserts of messages not known acked', {
						blocks,
						ack_floor: ci.ack_floor.stream_seq
					});
			})
			.catch((error) => this.log.warn('could not repeat unacked inserts at start', { error }));
		this.messages = await consumer.consume({ max_messages: this.maxMessages });
		const messages = this.messages;
		this.loop = (async () => {
			for await (const m of messages) {
				const wait = this.pipeline.push({
					subject: m.subject,
					data: m.data,
					seq: m.info.streamSequence,
					deliveryCount: m.info.deliveryCount,
					pending: m.info.pending,
					ack: () => m.ack(),
					nak: (ms) => m.nak(ms),
					// no reason text: nats-server < 2.10.4 ignores `+TERM <reason>` and would redeliver;
					// the reason is in the rejects table and the dead-letter headers
					term: () => m.term()
				});
				if (wait) await wait;
			}
		})().catch((err) => this.log.error('consumer loop ended', { error: err }));
		this.log.info('consuming', { stream: this.names.stream, consumer: this.names.consumer });
	}

	/** Stop pulling, write the batch in hand, settle it. */
	async stop(): Promise<void> {
		if (this.messages) await this.messages.close().catch(() => undefined);
		await this.loop;
		await this.pipeline.drain();
	}
}
