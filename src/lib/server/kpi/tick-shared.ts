/**
 * Reads shared for a tick: what every view and screen asks within one tick (the closed days'
 * versions, the day in progress so far) is read from ClickHouse once and shared, not once per
 * request (docs/drill-down.md, "Read once per tick").
 *
 * - A value younger than `tickMs` is served as it is.
 * - A value older than that but younger than `staleMs` is served too, and one read in the
 *   background replaces it: a request never waits for the tick's read when the last one is
 *   recent, and what it shows is at most `staleMs` old.
 * - An older value, or none, is read and waited for. Concurrent askers of a key share one read.
 * - A failed read is not kept: the next ask reads again.
 * - What this process writes: the reads that memoised answers build on (the days' versions,
 *   today's library) are stale for their askers once a write in this process touches their days
 *   (`sharedPerClient`'s `touches`; platform/clickhouse/written.ts), so it is seen at once: the
 *   next ask reads again. The day in progress a view reads (`touches` null) is not: under a live
 *   feed this process writes every few dozen milliseconds, and forgetting it at each write made
 *   every view read it again. It is read once per tick, and every write, this process's or
 *   another's, is seen within STALE_MS.
 * - A drill-down view (`asView`) takes the first kind too as the second: it does not read again
 *   for this process's own writes, and sees them within STALE_MS (10 s for the closed days'
 *   versions), as another process's. The wall, whose answers are memoised by the ingest counters
 *   (wall/service.ts), reads again, and a view then shares what it read. Before, each view at
 *   10× the city read today's versions and library again, in two more waits for the engine.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { perClient, type CH } from '../platform/clickhouse/client';
import { onDaysWritten } from '../platform/clickhouse/written';
import { inBackground, inForeground } from '../platform/clickhouse/lane';

/** How long a read is served as it is. */
export const TICK_MS = 1000;
/** How long a read is served at all (refreshed in the background once older than a tick). */
export const STALE_MS = 3000;

/**
 * `fits` for reads up to a moment: one read up to `kept` serves an ask up to the same moment, or
 * up to a later one less than STALE_MS after it (a live view's end is its request's now).
 */
export const upToAbout = (kept: number, asked: number): boolean =>
	kept === asked || (kept < asked && asked - kept < STALE_MS);

const views = new AsyncLocalStorage<true>();

/** Run a drill-down view's reads: shared reads are not read again for this process's own writes. */
export function asView<T>(fn: () => T): T {
	return views.run(true, fn);
}

interface Entry<V> {
	/** when its read began (so a value is never younger than it claims) */
	at: number;
	/** the writes this process had made that touch it when its read began (TickShared.written) */
	gen: number;
	value: Promise<V>;
	/** a background read in flight */
	refreshing: boolean;
	/** what it was read for (a `fits` check decides if it serves another ask) */
	arg: unknown;
}

export interface TickSharedStats {
	hits: number;
	reads: number;
	/** reads made in the background while an older value was served */
	refreshes: number;
}

export class TickShared<V, A = undefined> {
	private readonly kept = new Map<string, Entry<V>>();
	/** this process's writes that touch what it holds, so far */
	private gen = 0;
	readonly stats: TickSharedStats = { hits: 0, reads: 0, refreshes: 0 };

	constructor(
		private readonly o: {
			tickMs?: number;
			staleMs?: number;
			/** entries kept at most, the least recently used out first */
			max?: number;
			/** whether a value read for `kept` serves an ask for `asked` (default: always) */
			fits?: (kept: A, asked: A) => boolean;
			clock?: () => number;
		} = {}
	) {}

	private now(): number {
		return (this.o.clock ?? performance.now.bind(performance))();
	}

	/** The value under `key` (read with `read(arg)` when none fits, or in the background when old). */
	get(key: string, arg: A, read: (arg: A) => Promise<V>): Promise<V> {
		const tick = this.o.tickMs ?? TICK_MS;
		const stale = this.o.staleMs ?? STALE_MS;
		const e = this.kept.get(key);
		const now = this.now();
		if (
			e &&
			now - e.at < stale &&
			(e.gen === this.gen || views.getStore() === true) &&
			(this.o.fits?.(e.arg as A, arg) ?? true)
		) {
			this.stats.hits++;
			this.kept.delete(key);
			this.kept.set(key, e);
			if (now - e.at >= tick && !e.refreshing) {
				e.refreshing = true;
				this.stats.refreshes++;
				const next = this.start(arg, read, true);
				// until the new read is in, the old value serves; a failed one leaves the old in place
				next.value.then(
					() => this.kept.get(key) === e && this.kept.set(key, next),
					() => (e.refreshing = false)
				);
			}
			return e.value;
		}
		const fresh = this.start(arg, read);
		this.kept.set(key, fresh);
		fresh.value.catch(() => this.kept.get(key) === fresh && this.kept.delete(key));
		const max = this.o.max ?? 32;
		while (this.kept.size > max) this.kept.delete(this.kept.keys().next().value!);
		return fresh.value;
	}

	/**
	 * Start a read. One someone waits for (none held) is a request's work, even when background
	 * work asked first; a refresh (the old value serves meanwhile) is background work.
	 */
	private start(arg: A, read: (arg: A) => Promise<V>, refresh = false): Entry<V> {
		this.stats.reads++;
		const run = () => read(arg);
		return {
			at: this.now(),
			gen: this.gen,
			value: refresh ? inBackground(run) : inForeground(run),
			refreshing: false,
			arg
		};
	}

	/** Forget every value: the next ask reads (a test that wrote and reads at once). */
	expire(): void {
		this.kept.clear();
	}

	/** This process wrote what the values may hold: stale for every asker but a view (asView). */
	written(): void {
		this.gen++;
	}
}

/** Every share of each client (expireShared). */
const sharesOf = new WeakMap<CH, TickShared<unknown, unknown>[]>();

/**
 * One TickShared per ClickHouse client, stale (but to a view) whenever this process writes days
 * for which `touches(d0, d1)` (Vietnam day numbers) says it may hold something (default: any
 * write); `null`: not at writes (seen within STALE_MS, as another process's).
 */
export function sharedPerClient<V, A = undefined>(
	opts: ConstructorParameters<typeof TickShared<V, A>>[0],
	touches: ((d0: number, d1: number) => boolean) | null = () => true
): (ch: CH) => TickShared<V, A> {
	return perClient((ch) => {
		const shared = new TickShared<V, A>(opts);
		if (touches)
			onDaysWritten(ch, (d0, d1) => {
				if (touches(d0, d1)) shared.written();
			});
		let all = sharesOf.get(ch);
		if (!all) sharesOf.set(ch, (all = []));
		all.push(shared as TickShared<unknown, unknown>);
		return shared;
	});
}

/**
 * Forget every shared read of a client: the next ask of each reads again. For a test that wrote
 * and reads at once (a live view sees a write within STALE_MS).
 */
export function expireShared(ch: CH): void {
	for (const s of sharesOf.get(ch) ?? []) s.expire();
}
