/**
 * The event_ids of every raw row whose event time is in the last `windowMs`, held in memory, so an
 * event that JetStream cannot prove new (a backlog of the last hour, a late upload, a producer
 * without Nats-Msg-Id) is looked up in the raw tables only when it may be there: an id that is not
 * here, with a time the index covers, is in no raw table (docs/ingest-performance.md).
 * - Complete by construction: filled at start from the raw tables (every row since `from`), then
 *   with every event this worker is about to write, before the insert (whatever becomes of it).
 *   So it holds only while this worker is the only writer of the raw tables: the same condition
 *   as `provablyNew` (INGEST_PROVE_NEW=0 turns both off).
 * - Kept as 64-bit hashes of kind and id (ingest/id-set.ts: 16 bytes an id, nothing for the
 *   collector to walk), per 10 minutes of event time: a collision only makes an event look
 *   "maybe there", so it is looked up as before; never the other way round.
 * - Event times before `from` (older than the window when it last moved) are not covered: looked up.
 */
import { fnv1a } from '#shared/hash';
import type { TelemetryKind } from '#shared/contract';
import { IdSet } from './id-set';

/** Event time per set: an old set is dropped whole when the window passes it. */
const BUCKET_MS = 10 * 60_000;

/** A 64-bit hash of an event's kind and id, as two 32-bit halves (two FNV-1a rounds). */
export function idHash(kind: TelemetryKind, id: string): [hi: number, lo: number] {
	const k = fnv1a(kind);
	return [fnv1a(id, k), fnv1a(id, 0x9e3779b9 ^ k)];
}

/** The window's first bucket at `now`. */
const coveredFrom = (windowMs: number, now: number) =>
	Math.floor((now - windowMs) / BUCKET_MS) * BUCKET_MS;

export class RecentIds {
	private readonly sets = new Map<number, IdSet>();
	/** event times from here on are covered (a bucket's start): where a start's read of the raw tables begins */
	from: number;

	/** `now`: the moment the raw tables are read, from `from` on. */
	constructor(
		private readonly windowMs: number,
		now: number
	) {
		this.from = coveredFrom(windowMs, now);
	}

	/** ids held */
	get size(): number {
		let n = 0;
		for (const s of this.sets.values()) n += s.size;
		return n;
	}

	/** Hold an id (a row read at start, or an event about to be written). */
	add(kind: TelemetryKind, id: string, ts: number): void {
		if (ts < this.from) return;
		const k = Math.floor(ts / BUCKET_MS);
		let s = this.sets.get(k);
		if (!s) this.sets.set(k, (s = new IdSet()));
		const [hi, lo] = idHash(kind, id);
		s.add(hi, lo);
	}

	/** false: no raw table holds this event; true: it may (or its time is not covered). */
	mayHave(kind: TelemetryKind, id: string, ts: number): boolean {
		if (!(ts >= this.from)) return true;
		const s = this.sets.get(Math.floor(ts / BUCKET_MS));
		if (!s) return false;
		const [hi, lo] = idHash(kind, id);
		return s.has(hi, lo);
	}

	/** Let go of what the window has passed at `now` (event times before it are then looked up). */
	advance(now: number): void {
		const from = coveredFrom(this.windowMs, now);
		if (from <= this.from) return;
		for (const k of this.sets.keys()) if ((k + 1) * BUCKET_MS <= from) this.sets.delete(k);
		this.from = from;
	}
}
