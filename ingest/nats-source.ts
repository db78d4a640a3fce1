/** Feed the pipeline from the JetStream durable pull consumer; dead letters to `edu.v1.dlq.<reason>`. */
import { setImmediate } from 'node:timers/promises';
import { jetstream, type Consumer, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { dlqSubject, type RejectReason } from '#shared/contract';
import type { Logger } from '#server/platform/log';
import { ensureTopology, isTransient, type StreamNames } from '#server/platform/nats/streams';
import type { DeadLetters, Delivery, Pipeline } from './pipeline';
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

/**
 * How long a pull request lives. A pull lost with a node (a cluster's leader change) is re-issued
 * after two missed idle heartbeats (half of this each); after a reconnect the client asks for the
 * consumer's info until its new leader answers, waiting about this long between tries.
 */
export const PULL_EXPIRES_MS = 2000;
/** JetStream requests of the consumer (its info after a reconnect) give up after this */
const REQUEST_TIMEOUT_MS = 2000;
/** How long the start waits for a NATS cluster that is electing a leader before it gives up. */
const START_RETRY_MS = 60_000;

/**
 * The longest the consume loop keeps the event loop before it lets I/O in. Without this, a
 * backlog's 5,000 messages went through in one run of promise callbacks: each of a batch's inserts
 * waited that long to be seen done and the next to start (in one `bench:ingest` drain of 19 s,
 * JavaScript saw its inserts end 6 s later in all than the engine finished them;
 * docs/ingest-performance.md).
 */
const HOLD_LOOP_MS = 2;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/**
 * A JetStream message as the pipeline sees it. Methods on the class, not closures made per
 * message, and the Nats-Msg-Id header decoded only when asked for (the proof that a live event is
 * new asks; a backlog's old events are settled before it would): in a backlog drain of 200,000
 * messages the closures and the headers cost ~0.9 s of JavaScript (docs/ingest-performance.md).
 */
class JetStreamDelivery implements Delivery {
	readonly subject: string;
	readonly data: Uint8Array;
	readonly seq: number;
	readonly deliveryCount: number;
	readonly pending: number;
	readonly storedAt: number;
	constructor(private readonly m: JsMsg) {
		const info = m.info;
		this.subject = m.subject;
		this.data = m.data;
		this.seq = info.streamSequence;
		this.deliveryCount = info.deliveryCount;
		this.pending = info.pending;
		this.storedAt = info.timestampNanos / 1e6;
	}
	get msgId(): string | undefined {
		return this.m.headers?.get('Nats-Msg-Id') || undefined;
	}
	ack(): void {
		this.m.ack();
	}
	nak(delayMs: number): void {
		this.m.nak(delayMs);
	}
	/**
	 * No reason text: nats-server < 2.10.4 ignores `+TERM <reason>` and would redeliver; the reason
	 * is in the rejects table and the dead-letter headers.
	 */
	term(): void {
		this.m.term();
	}
}

/**
 * Consume until `stop()`; each message goes through the pipeline, awaiting back-pressure.
 *
 * On a NATS cluster the stream's or the consumer's leader may change under it (a node killed,
 * restarted, upgraded). The connection fails over to another server by itself; the consumer
 * re-issues its pull on a reconnect and after missed heartbeats; if consuming ends anyway, it is
 * started again (backing off) until `stop()`. Acks sent to a leader that died are lost: those
 * messages come back after the ack wait and are recognised by their stream sequence
 * (docs/nats-cluster.md).
 */
export class NatsSource {
	private messages: ConsumerMessages | null = null;
	private loop: Promise<void> | null = null;
	private stopping = false;
	private wake: (() => void) | null = null;

	constructor(
		private readonly nc: NatsConnection,
		private readonly names: StreamNames,
		private readonly pipeline: Pipeline,
		private readonly log: Logger,
		private readonly maxMessages = 10_000
	) {}

	/** Retry `fn` while the cluster answers with transient errors (an election), up to START_RETRY_MS. */
	private async retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
		const end = Date.now() + START_RETRY_MS;
		for (let attempt = 0; ; attempt++) {
			try {
				return await fn();
			} catch (error) {
				if (!isTransient(error) || Date.now() > end || this.stopping) throw error;
				const ms = Math.min(250 * 2 ** attempt, 2000);
				this.log.warn(`${what}: NATS not ready, retrying`, { error, retry_in_ms: ms });
				await sleep(ms);
			}
		}
	}

	async start(): Promise<void> {
		const jsm = await this.retrying('topology', () => ensureTopology(this.nc, this.names));
		const consumer = await this.retrying('consumer', () => this.consumer());
		// not fatal: the redelivered messages find their rows and repeat the same inserts
		await consumer
			.info()
			.then(async (ci) => {
				// the stream's duplicate window, as configured (ensureTopology sets it; an operator may not)
				const si = await jsm.streams.info(this.names.stream);
				const blocks = await this.pipeline.completeAfter(
					ci.ack_floor.stream_seq,
					si.config.duplicate_window / 1e6
				);
				if (blocks)
					this.log.info('repeated the inserts of messages not known acked', {
						blocks,
						ack_floor: ci.ack_floor.stream_seq
					});
			})
			.catch((error) => this.log.warn('could not repeat unacked inserts at start', { error }));
		this.messages = await this.pull(consumer);
		this.loop = this.run(this.messages);
		this.log.info('consuming', { stream: this.names.stream, consumer: this.names.consumer });
	}

	private consumer(): Promise<Consumer> {
		return jetstream(this.nc, { timeout: REQUEST_TIMEOUT_MS }).consumers.get(
			this.names.stream,
			this.names.consumer
		);
	}

	private async pull(consumer: Consumer): Promise<ConsumerMessages> {
		const messages = await consumer.consume({
			max_messages: this.maxMessages,
			expires: PULL_EXPIRES_MS
		});
		// what the client does about a lost pull, for the log (the consumer handles it itself). Missed
		// heartbeats also come while the pipeline holds back (no pull is sent while it waits), so
		// they are debug; a consumer or stream not found, or no responders, are warnings.
		void (async () => {
			for await (const st of messages.status()) {
				if (st.type === 'heartbeats_missed')
					this.log.debug('consumer: no heartbeat, pulling again', { count: st.count });
				else if (
					st.type === 'consumer_not_found' ||
					st.type === 'stream_not_found' ||
					st.type === 'no_responders'
				)
					this.log.warn('consumer: pull interrupted, pulling again', { status: st });
			}
		})().catch(() => undefined);
		return messages;
	}

	/** Consume; if consuming ends before `stop()` (an error, the consumer gone), start it again. */
	private async run(first: ConsumerMessages): Promise<void> {
		let messages: ConsumerMessages | null = first;
		for (let attempt = 0; !this.stopping;) {
			try {
				if (!messages) messages = this.messages = await this.pull(await this.consumer());
				if (this.stopping) break;
				let since = performance.now();
				for await (const m of messages) {
					attempt = 0;
					const wait = this.pipeline.push(new JetStreamDelivery(m));
					if (wait) await wait;
					// Messages in hand come one after another as promise callbacks, which run before
					// any I/O: an insert's completion, the next insert's start, a page's request.
					// Let them in now and then.
					if (performance.now() - since >= HOLD_LOOP_MS) {
						await setImmediate();
						since = performance.now();
					}
				}
				if (this.stopping) break;
				this.log.warn('consumer stopped before its time; pulling again');
			} catch (error) {
				if (this.stopping) break;
				this.log.warn('consumer failed; pulling again', { error, attempt });
			}
			messages?.stop();
			messages = null;
			const ms = Math.min(100 * 2 ** attempt++, 5000);
			await new Promise<void>((r) => {
				this.wake = r;
				setTimeout(r, ms).unref?.();
			});
			this.wake = null;
		}
		// stopped while a new pull was being set up: that one is closed here
		if (messages) await messages.close().catch(() => undefined);
	}

	/** Stop pulling, write the batch in hand, settle it. */
	async stop(): Promise<void> {
		this.stopping = true;
		this.wake?.();
		if (this.messages) await this.messages.close().catch(() => undefined);
		await this.loop?.catch((error) => this.log.error('consumer loop ended', { error }));
		await this.pipeline.drain();
	}
}
