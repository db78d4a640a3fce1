/**
 * validate → batch → write → ack. The same pipeline serves NATS deliveries and, in the
 * embedded mode, the in-process demo feed.
 *
 * - A batch is flushed when it holds `batchSize` messages or its oldest is `flushMs` old; a
 *   backlog still arriving (the consumer's `pending`) fills whole batches instead.
 * - A message is acked only after its batch is in ClickHouse. If a write fails, the batch is
 *   nak'd with back-off and the pipeline pauses for that long, so a ClickHouse outage costs
 *   retries, never events.
 * - Repeats are recognised by event_id (within the batch and against the raw table). A raw row
 *   that came from this very message (same stream sequence) means an earlier attempt wrote it
 *   and then died, perhaps before the materialized views had their parts: that insert is
 *   repeated from its raw rows under its own deduplication token, which writes only the missing
 *   parts, and the message is acked. A row from another message is a producer's repeat: dropped.
 *   So an event is counted once in every raw table and rollup whatever instant the process dies
 *   at (docs/ingest-exactness.md). The same holds for an insert that failed here (a view's error
 *   after the raw part): its block id is kept, and the retry repeats it.
 * - The lookup against the raw tables is skipped where JetStream has already proved an event new
 *   (see `provablyNew`): a live feed's first deliveries, the bulk of the traffic. Of the rest
 *   (redeliveries, a backlog, producers without Nats-Msg-Id, late uploads), an event whose id is
 *   not among the raw rows' recent ids held in memory (ingest/recent-ids.ts), at a time they
 *   cover, is not looked up either; everything else is.
 * - A redelivered reject whose stream sequence is already in `rejects` is not written again.
 * - A message that can never be valid is written to `rejects` and the dead-letter subject with
 *   its reason, then terminated.
 */
import {
	validateMessage,
	type EduEvent,
	type EventOf,
	type RegistryEvent,
	type SchoolLookup,
	type TelemetryKind,
	type ValidationResult,
	MAX_FUTURE_SKEW_MS,
	TELEMETRY_KINDS
} from '#shared/contract';
import type { Logger } from '#server/platform/log';
import { NO_CRASH, type CrashPoints } from './crash-points';
import type { IngestStats } from './stats';
import { InsertError, type EventWriter, type RejectRow, type StoredCopy } from './writer';
import { RecentIds } from './recent-ids';
import { inBackground } from '#server/platform/clickhouse/lane';
import { setImmediate } from 'node:timers/promises';

/** One message as delivered, with its settlement callbacks. */
export interface Delivery {
	subject: string;
	data: Uint8Array;
	/** stream sequence (NATS) or a local counter */
	seq: number;
	/** 1 on first delivery */
	deliveryCount: number;
	/** consumer backlog after this message, when known */
	pending?: number;
	/** when the stream stored it (JetStream's timestamp, ms), when from a stream */
	storedAt?: number;
	/** its Nats-Msg-Id header, when it has one */
	msgId?: string;
	ack(): void;
	nak(delayMs: number): void;
	term(reason: string): void;
}

/** Where rejected messages are republished (NATS `edu.v1.dlq.<reason>`); a no-op in embedded mode. */
export interface DeadLetters {
	publish(reject: RejectRow, data: Uint8Array): Promise<void>;
}

export interface PipelineOptions {
	writer: EventWriter;
	schools: SchoolLookup;
	stats: IngestStats;
	log: Logger;
	batchSize: number;
	flushMs: number;
	deadLetters?: DeadLetters;
	/** called after registry events were applied, so the lookup can refresh */
	onRegistryChange?: (events: RegistryEvent[]) => void | Promise<void>;
	now?: () => number;
	/**
	 * `Delivery.seq` is a JetStream stream sequence: it names the message across restarts, so a
	 * stored row with the same sequence is this message's own earlier write (false: a local counter)
	 */
	streamSequences?: boolean;
	/**
	 * Skip the lookup for what JetStream proves new (`provablyNew`). The proof assumes this is the
	 * only worker of its consumer (INGEST_PROVE_NEW=0 when several share one).
	 */
	proveNew?: boolean;
	/**
	 * With `proveNew`: hold the event_ids of the raw rows of this long (ms of event time) in memory
	 * (ingest/recent-ids.ts), and look up only an event that may be there. 0: look every one up.
	 */
	recentMs?: number;
	/** test only: where to die (ingest/crash-points.ts) */
	crash?: CrashPoints;
	/**
	 * Called at start with the inserts found above the ack floor (a crash cut them off before
	 * their acks, perhaps inside them), once they were repeated: the worker then reconciles the
	 * days they hold, for the one case a repeat cannot mend (docs/ingest-exactness.md).
	 */
	afterCrash?: (blocks: { kind: TelemetryKind; block: StoredCopy }[]) => Promise<void>;
}

interface Item {
	d: Delivery;
	r: ValidationResult;
	receivedAt: number;
}

const MAX_PAYLOAD_KEPT = 64 * 1024;
/** acks sent before I/O is let in */
const ACK_SLICE = 1000;
/** clocks: the stream's timestamps against the producers' (see `provablyNew`) */
const PROOF_MARGIN_MS = 30_000;
/** blocks known whole (written or repeated here lately): a redelivery need not repeat them */
const WHOLE_KEPT = 2000;
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Back-off for a failed write: 0.5 s doubling to 30 s, with jitter. */
export function backoffMs(deliveryCount: number): number {
	const base = Math.min(30_000, 500 * 2 ** Math.max(0, deliveryCount - 1));
	return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class Pipeline {
	private buffer: Item[] = [];
	private timer: NodeJS.Timeout | null = null;
	private chain: Promise<void> = Promise.resolve();
	/** a flush is queued and has not yet taken its batch; the chain as it was before it */
	private queued = false;
	private beforeQueued: Promise<void> = Promise.resolve();
	/** the acks of written batches, in order */
	private acking: Promise<void> = Promise.resolve();
	private pausedUntil = 0;
	private closed = false;
	private readonly now: () => number;
	private readonly crash: CrashPoints;
	private readonly whole = new Set<string>();
	/** blocks whose insert failed here: written or not, in part or whole; a retry finds out */
	private readonly uncertain = new Set<string>();
	/**
	 * What proves a first delivery new without a lookup (see `provablyNew`): the stream's duplicate
	 * window, and the highest stream sequence any raw row may come from. Null until `completeAfter`
	 * has read both (and in the embedded mode): then every event is looked up.
	 */
	private proof: { windowMs: number; highWater: number } | null = null;
	/** the raw rows' recent event_ids (`recentMs`), from `completeAfter` on; null: look up */
	private recent: RecentIds | null = null;

	constructor(private readonly o: PipelineOptions) {
		this.now = o.now ?? Date.now;
		this.crash = o.crash ?? NO_CRASH;
	}

	/** Messages buffered and not yet settled. */
	get buffered(): number {
		return this.buffer.length;
	}

	/**
	 * Take one message. Returns a promise when the caller should wait before pushing more: the
	 * batch is full, so it is queued for writing and the promise settles when the write before it
	 * is done. That is the back-pressure, and it keeps one batch being written while the next is
	 * read and validated (JavaScript and ClickHouse's threads at work side by side, not in turn).
	 */
	push(d: Delivery): Promise<void> | undefined {
		const r = validateMessage(d.subject, d.data, this.o.schools, {
			now: this.now(),
			sentAt: d.storedAt
		});
		this.buffer.push({ d, r, receivedAt: this.now() });
		if (d.pending !== undefined) this.o.stats.backlog = d.pending;
		this.o.stats.inHand = this.buffer.length;
		if (this.buffer.length >= this.o.batchSize) {
			void this.flush();
			// wait for the write before the queued flush; for that flush too if it is still waiting
			// for the engine (or a failed write's back-off) and a second batch is in hand
			return this.buffer.length >= 2 * this.o.batchSize ? this.chain : this.beforeQueued;
		}
		this.arm();
		return undefined;
	}

	/** Start the flush timer, unless it runs already or the pipeline is closing. */
	private arm(): void {
		if (this.timer || this.closed) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.timed();
		}, this.o.flushMs);
		this.timer.unref?.();
	}

	/**
	 * The flush timer: what is in hand is written now, unless a backlog is still arriving (enough
	 * messages wait in the stream behind the last one taken to fill the batch, and one came within
	 * `flushMs`). A backlog then fills whole batches: fewer, larger inserts, each of which costs the
	 * engine about what a small one does. A live feed's few waiting messages do not hold a batch
	 * back, and a delivery that stalls is written at the next tick.
	 */
	private timed(): void {
		const last = this.buffer.at(-1);
		if (!last) return;
		const room = this.o.batchSize - this.buffer.length;
		const arriving = (last.d.pending ?? 0) >= room && this.now() - last.receivedAt < this.o.flushMs;
		if (arriving && room > 0) this.arm();
		else void this.flush();
	}

	/**
	 * Before consuming: repeat every insert holding a message above the consumer's ack floor (one
	 * not known acked). A crash may have cut it short; repeating it now, not when its messages come
	 * back an ack wait later, keeps the repeat well inside the tables' deduplication windows.
	 * With the stream's duplicate window (ms), first deliveries may then skip the lookup
	 * (`provablyNew`).
	 */
	async completeAfter(ackFloor: number, duplicateWindowMs?: number): Promise<number> {
		let n = 0;
		const found: { kind: TelemetryKind; block: StoredCopy }[] = [];
		for (const kind of TELEMETRY_KINDS)
			for (const block of await this.o.writer.blocksAfter(kind, ackFloor)) {
				if (await this.o.writer.repeatBlock(kind, block)) n++;
				this.remember(block.ingest_block);
				found.push({ kind, block });
			}
		if (found.length) await this.o.afterCrash?.(found);
		if (this.o.streamSequences && this.o.proveNew && duplicateWindowMs)
			this.proof = {
				windowMs: duplicateWindowMs,
				highWater: await this.o.writer.maxStreamSeq(ackFloor)
			};
		if (this.o.streamSequences && this.o.proveNew && this.o.recentMs) {
			// used only if read whole: after a failed read every event not proved new is looked up
			const recent = new RecentIds(this.o.recentMs, this.now());
			try {
				await this.o.writer.recentIds(recent.from, (k, id, ts) => recent.add(k, id, ts));
				this.recent = recent;
				this.o.log.info('recent event ids held', {
					ids: recent.size,
					minutes: this.o.recentMs / 60_000
				});
			} catch (error) {
				this.o.log.warn('could not read the recent event ids: every event is looked up', {
					error
				});
			}
		}
		return n;
	}

	/**
	 * An event that cannot be in any raw table yet, proved without reading them:
	 * - no row of this message: it is a first delivery with a stream sequence above every sequence
	 *   any raw row came from (the consumer delivers in stream order; a redelivery, or a consumer
	 *   made anew that delivers old messages again, has a lower one);
	 * - no row of another message with the same event_id: the producer sent it with
	 *   Nats-Msg-Id = event_id, and any earlier copy would have been stored within the stream's
	 *   duplicate window of this one, so JetStream dropped this one instead of storing it. An
	 *   earlier copy was sent no earlier than MAX_FUTURE_SKEW_MS before its ts (validation refuses
	 *   a ts further after its sending), so this holds when this one was stored less than the
	 *   window minus that skew (and a margin for clocks) after its ts.
	 * Ingest is the only writer of the raw tables' stream rows.
	 */
	private provablyNew(d: Delivery, e: EduEvent): boolean {
		const p = this.proof;
		if (!p || d.deliveryCount !== 1 || d.seq <= p.highWater) return false;
		if (d.storedAt === undefined) return false;
		if (d.storedAt - Date.parse(e.ts) >= p.windowMs - MAX_FUTURE_SKEW_MS - PROOF_MARGIN_MS)
			return false;
		// last: a stream message's header is decoded when first read (nats-source.ts)
		return d.msgId === e.event_id;
	}

	/** Whether a raw table may hold this event: false only when the recent ids say it cannot. */
	private mayBeStored(e: EventOf<TelemetryKind>): boolean {
		return !this.recent || this.recent.mayHave(e.kind, e.event_id, Date.parse(e.ts));
	}

	/**
	 * Write what is buffered when the engine turns to it; flushes run one at a time, and at most
	 * one waits: it takes everything that came meanwhile (a second would find nothing, or the few
	 * messages taken since: a tiny insert, which costs the engine about what a full one does).
	 */
	flush(): Promise<void> {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		if (this.queued) return this.chain;
		this.queued = true;
		this.beforeQueued = this.chain;
		// background work for the engine's lane: a page's reads go before ingest's writes
		this.chain = this.chain.then(() => inBackground(() => this.flushOnce()));
		return this.chain;
	}

	/** Stop taking timers and write everything in hand (graceful shutdown). */
	async drain(): Promise<void> {
		this.closed = true;
		this.crash.stopRequested();
		this.pausedUntil = 0;
		while (this.buffer.length > 0) await this.flush();
		await this.chain;
		await this.acking;
	}

	private async flushOnce(): Promise<void> {
		const wait = this.pausedUntil - this.now();
		if (wait > 0 && !this.closed) await new Promise((r) => setTimeout(r, wait));
		// the batch is formed when the engine turns to it (requests first): what came meanwhile joins
		if (this.buffer.length > 0 && this.buffer.length < this.o.batchSize)
			await this.o.writer.turn?.();
		// from here on, what comes is for the next flush
		this.queued = false;
		const batch = this.buffer.splice(0, Math.max(this.o.batchSize, 1));
		this.o.stats.inHand = this.buffer.length;
		if (batch.length === 0) return;
		const valid: Item[] = [];
		const rejected: Item[] = [];
		for (const it of batch) (it.r.ok ? valid : rejected).push(it);
		await Promise.all([this.writeValid(valid), this.writeRejects(rejected)]);
		this.o.stats.batchesTotal++;
		if (this.buffer.length >= this.o.batchSize) void this.flush();
		else if (this.buffer.length > 0) this.arm();
	}

	private async writeValid(items: Item[]): Promise<void> {
		if (items.length === 0) return;
		// Every copy goes to the lookup (a copy that is not first in this batch may be the one an
		// earlier attempt wrote); repeats within the batch are dropped after it.
		const byKind = new Map<
			TelemetryKind,
			{ events: EventOf<TelemetryKind>[]; seqs: number[]; lookup: EventOf<TelemetryKind>[] }
		>();
		const registry: RegistryEvent[] = [];
		const seenRegistry = new Set<string>();
		let repeats = 0;
		for (const it of items) {
			const e = (it.r as { event: EduEvent }).event;
			if (e.kind === 'registry') {
				if (seenRegistry.has(e.event_id)) repeats++;
				else registry.push(e);
				seenRegistry.add(e.event_id);
			} else {
				const list =
					byKind.get(e.kind) ??
					byKind.set(e.kind, { events: [], seqs: [], lookup: [] }).get(e.kind)!;
				list.events.push(e);
				list.seqs.push(this.o.streamSequences ? it.d.seq : 0);
				if (!this.provablyNew(it.d, e) && this.mayBeStored(e)) list.lookup.push(e);
			}
		}
		// before the write, whatever becomes of it: a message of this batch that comes again is
		// looked up (above the proof's mark, and among the recent ids)
		if (this.recent) {
			this.recent.advance(this.now());
			for (const [kind, b] of byKind)
				for (const e of b.events) this.recent.add(kind, e.event_id, Date.parse(e.ts));
		}
		if (this.proof)
			for (const it of items) this.proof.highWater = Math.max(this.proof.highWater, it.d.seq);
		this.o.stats.lookedUp += [...byKind.values()].reduce((a, b) => a + b.lookup.length, 0);
		try {
			let duplicates = repeats;
			this.crash.reached('before-insert');
			let tables = 0;
			const storedByKind = await this.o.writer.existingIds(
				new Map([...byKind].map(([kind, b]) => [kind, b.lookup]))
			);
			for (const kind of TELEMETRY_KINDS) {
				const batch = byKind.get(kind);
				if (!batch?.events.length) continue;
				if (tables++ > 0) this.crash.reached('between-tables');
				const stored = storedByKind.get(kind)!;
				const fresh: EventOf<TelemetryKind>[] = [];
				const seqs: number[] = [];
				const ownBlocks = new Map<string, StoredCopy>();
				const seen = new Set<string>();
				batch.events.forEach((e, i) => {
					const copies = stored.get(e.event_id);
					if (!copies && !seen.has(e.event_id)) {
						seen.add(e.event_id);
						fresh.push(e);
						seqs.push(batch.seqs[i]);
						return;
					}
					duplicates++;
					const own =
						copies &&
						((this.o.streamSequences
							? copies.find((c) => c.stream_seq === batch.seqs[i])
							: undefined) ??
							copies.find((c) => this.uncertain.has(c.ingest_block)));
					if (own) ownBlocks.set(own.ingest_block, own);
				});
				// This message's own row: an attempt that died after its raw part. Its views may lack
				// their parts; the repeat writes what is missing (nothing, if the attempt had finished).
				for (const [id, block] of ownBlocks) {
					if (this.whole.has(id)) continue;
					const done = await this.o.writer.repeatBlock(kind, block);
					this.remember(id);
					this.uncertain.delete(id);
					if (done)
						this.o.log.info('repeated an insert a crash may have cut short', {
							kind,
							block: id,
							month: block.month
						});
					else
						this.o.log.warn('an insert a crash may have cut short is too old to repeat safely', {
							kind,
							block: id,
							written_at: block.ingested_at
						});
				}
				// whole: a redelivery of these messages (a late ack) need not repeat them
				for (const id of await this.o.writer.insertEvents(kind, fresh, seqs)) this.remember(id);
				// counted once written: if the batch fails later, their redelivery finds them stored
				this.o.stats.written(kind, fresh.length, this.now());
			}
			if (registry.length) {
				await this.o.writer.applyRegistryEvents(registry);
				this.o.stats.written('registry', registry.length, this.now());
				await this.o.onRegistryChange?.(registry);
			}
			this.crash.reached('before-ack');
			this.crash.reached('shutdown');
			this.o.stats.duplicatesTotal += duplicates;
			// acked beside the next batch's insert, not before it starts: 5,000 acks are ~20 ms of
			// JavaScript, and the engine would wait for them
			this.acking = this.acking
				.then(() => this.ack(items))
				.catch((error) =>
					this.o.log.warn('acks not sent; those messages come back and are found written', {
						error
					})
				);
		} catch (err) {
			if (err instanceof InsertError) {
				this.uncertain.add(err.block);
				if (this.uncertain.size > WHOLE_KEPT)
					this.uncertain.delete(this.uncertain.values().next().value as string);
			}
			this.failed(items, err, 'events');
		}
	}

	/** Ack a written batch, a slice at a time, letting I/O in between (an insert's end). */
	private async ack(items: Item[]): Promise<void> {
		const half = this.crash.due('mid-ack') ? Math.floor(items.length / 2) : -1;
		for (let i = 0; i < items.length; i++) {
			if (i === half) this.crash.kill('mid-ack');
			items[i].d.ack();
			if (i % ACK_SLICE === ACK_SLICE - 1) await setImmediate();
		}
	}

	private remember(block: string): void {
		this.whole.add(block);
		if (this.whole.size > WHOLE_KEPT) this.whole.delete(this.whole.values().next().value as string);
	}

	private async writeRejects(items: Item[]): Promise<void> {
		if (items.length === 0) return;
		const rows: RejectRow[] = items.map(({ d, r, receivedAt }) => {
			const rej = r as Extract<ValidationResult, { ok: false }>;
			return {
				received_at: new Date(receivedAt).toISOString(),
				subject: d.subject.slice(0, 500),
				reason: rej.reason,
				detail: rej.detail,
				kind: rej.kind,
				event_id: rej.event_id,
				school_id: rej.school_id,
				stream_seq: d.seq,
				payload: decoder.decode(d.data.subarray(0, MAX_PAYLOAD_KEPT))
			};
		});
		try {
			// a redelivered reject that an earlier attempt wrote before it died: do not write it twice
			const again = this.o.streamSequences
				? await this.o.writer.storedRejects(
						items.filter((it) => it.d.deliveryCount > 1).map((it) => it.d.seq)
					)
				: new Set<number>();
			const fresh = again.size ? rows.filter((r) => !again.has(r.stream_seq)) : rows;
			await this.o.writer.insertRejects(fresh);
			// counted once written: if the dead letters fail, the redelivery finds them in rejects
			this.o.stats.rejectsTotal += fresh.length;
			if (this.o.deadLetters)
				await Promise.all(items.map((it, i) => this.o.deadLetters!.publish(rows[i], it.d.data)));
			this.crash.reached('before-term');
			for (let i = 0; i < items.length; i++)
				items[i].d.term(`${rows[i].reason}: ${rows[i].detail}`.slice(0, 200));
			this.o.stats.duplicatesTotal += rows.length - fresh.length;
			this.o.log.debug('rejected', { count: items.length, first: rows[0].reason });
		} catch (err) {
			this.failed(items, err, 'rejects');
		}
	}

	private failed(items: Item[], err: unknown, what: string): void {
		this.o.stats.insertFailuresTotal++;
		const maxCount = Math.max(...items.map((it) => it.d.deliveryCount));
		const delay = backoffMs(maxCount);
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + delay);
		for (const it of items) it.d.nak(delay);
		this.o.log.warn('write failed; batch will be redelivered', {
			what,
			count: items.length,
			retry_in_ms: delay,
			error: err
		});
	}
}
