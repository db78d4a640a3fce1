/** Publish to JetStream in chunks, awaiting the acks (the events are in the stream when this returns). */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { enc, type Made } from './events';

/**
 * `msgId`: publish each event with Nats-Msg-Id = its event_id, as the feed does (ingest/feed
 * nats-sink), so JetStream drops a repeat within its duplicate window.
 */
export async function publishAll(
	nc: NatsConnection,
	items: (Made | { subject: string; data: Uint8Array })[],
	chunk = 2000,
	opts: { msgId?: boolean } = {}
): Promise<void> {
	const js = jetstream(nc);
	for (let i = 0; i < items.length; i += chunk) {
		await Promise.all(
			items
				.slice(i, i + chunk)
				.map((it) =>
					'data' in it
						? js.publish(it.subject, it.data)
						: js.publish(
								it.subject,
								enc.encode(JSON.stringify(it.event)),
								opts.msgId ? { msgID: it.event.event_id } : undefined
							)
				)
		);
	}
}

/** Nothing left for the consumer: every message delivered and acked. */
export async function consumerDrained(
	nc: NatsConnection,
	stream = 'EDU',
	consumer = 'ingest'
): Promise<boolean> {
	const b = await consumerBacklog(nc, stream, consumer);
	return b.pending === 0 && b.ackPending === 0;
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

export interface PacedPublish {
	/** how many of the items were published (the first `sent`; fewer than all when stopped early) */
	sent: number;
	/** events stored (acked by JetStream), each once */
	acked: number;
	/** publishes that failed and were sent again with the same Nats-Msg-Id */
	retries: number;
	/** acks that said "duplicate": an earlier attempt had been stored although its ack was lost */
	duplicates: number;
	/** the failures seen, by error name */
	errors: Record<string, number>;
	/** the longest time between two acks while publishing, and when it began (holds count too) */
	maxGapMs: number;
	maxGapFrom: number;
	/** when a publish first failed, and when the first publish that had failed was stored (0: none failed) */
	firstFailureAt: number;
	recoveredAt: number;
	/** ack times (ms since epoch), in the order the acks came */
	ackTimes: number[];
}

/**
 * Publish `items` at `perSecond`, at most `window` in flight, each with its event_id (or `id`) as
 * Nats-Msg-Id.
 * A publish that fails (a timeout, no responders while a NATS cluster elects a stream leader) is
 * sent again with the same id until JetStream acks it: the stream's duplicate window stores it
 * once even if the first attempt was stored and only its ack was lost. Gives up (rejects) when
 * one event is not stored within `giveUpMs`. `onAck` is told the running count.
 */
export async function publishPaced(
	nc: NatsConnection,
	items: (Made | { subject: string; data: Uint8Array; id: string })[],
	opts: {
		perSecond: number;
		window?: number;
		timeoutMs?: number;
		giveUpMs?: number;
		onAck?: (acked: number) => void;
		/** stop early (the rest is not published); checked before each event */
		stopped?: () => boolean;
		/** wait while this is true (a consumer far behind): the pace resumes from where it was */
		hold?: () => boolean;
	}
): Promise<PacedPublish> {
	const js = jetstream(nc, { timeout: opts.timeoutMs ?? 2000 });
	const window = opts.window ?? 200;
	const giveUpMs = opts.giveUpMs ?? 60_000;
	const r: PacedPublish = {
		sent: 0,
		acked: 0,
		retries: 0,
		duplicates: 0,
		errors: {},
		maxGapMs: 0,
		maxGapFrom: 0,
		firstFailureAt: 0,
		recoveredAt: 0,
		ackTimes: []
	};
	const t0 = Date.now();
	let lastAck = t0;
	let inFlight = 0;
	let failed: Error | null = null;
	const slots: (() => void)[] = [];
	const one = async (m: (typeof items)[number]) => {
		const data = 'data' in m ? m.data : enc.encode(JSON.stringify(m.event));
		const id = 'id' in m ? m.id : m.event.event_id;
		const start = Date.now();
		for (let tries = 0; ; tries++) {
			try {
				const ack = await js.publish(m.subject, data, { msgID: id });
				const now = Date.now();
				if (ack.duplicate) r.duplicates++;
				if (tries > 0 && !r.recoveredAt) r.recoveredAt = now;
				if (now - lastAck > r.maxGapMs) {
					r.maxGapMs = now - lastAck;
					r.maxGapFrom = lastAck;
				}
				lastAck = Math.max(lastAck, now);
				r.ackTimes.push(now);
				opts.onAck?.(++r.acked);
				return;
			} catch (e) {
				const name = e instanceof Error ? e.name : 'unknown';
				r.firstFailureAt ||= Date.now();
				r.errors[name] = (r.errors[name] ?? 0) + 1;
				if (Date.now() - start > giveUpMs)
					throw new Error(`${id} not stored after ${giveUpMs} ms: ${String(e)}`, {
						cause: e
					});
				r.retries++;
				await new Promise((res) => setTimeout(res, 100 + Math.random() * 150));
			}
		}
	};
	const all: Promise<void>[] = [];
	/** time spent held: the schedule moves on by it */
	let held = 0;
	for (let i = 0; i < items.length && !failed && !opts.stopped?.(); i++) {
		const due = t0 + held + (i * 1000) / opts.perSecond;
		if (due > Date.now()) await new Promise((res) => setTimeout(res, due - Date.now()));
		if (opts.hold?.()) {
			const from = Date.now();
			while (opts.hold() && !opts.stopped?.()) await new Promise((res) => setTimeout(res, 20));
			held += Date.now() - from;
		}
		while (inFlight >= window) await new Promise<void>((res) => slots.push(res));
		inFlight++;
		r.sent++;
		all.push(
			one(items[i])
				.catch((e: Error) => {
					failed ??= e;
				})
				.finally(() => {
					inFlight--;
					slots.shift()?.();
				})
		);
	}
	await Promise.all(all);
	if (failed) throw failed;
	return r;
}
