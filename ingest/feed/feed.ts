/**
 * The demo feed: plays the simulated school day into a sink (NATS publish, or the in-process
 * ingest pipeline) as time passes.
 *
 * On start it backfills the last `backfillMinutes`, plus today's attendance and completeness from
 * local midnight, so the wall has today's picture at once. Then every tick it publishes the events
 * of the (simulated) time since the last tick. With `speed > 1` simulated time starts
 * `backfillMinutes` ago and runs `speed` times faster until it meets the wall clock, then runs in
 * real time. No event is ever stamped after the wall clock. Events are deterministic, so a
 * window sent twice (a retry after a sink error) is deduplicated by ingest on `event_id`.
 */
import type { TelemetryKind } from '#shared/contract';
import { MINUTE_MS, dayStartMs, localDay } from '#shared/calendar';
import { DEFAULT_SEED, eventsBetween, tsMs, type SimEvent, type SimRegistry } from './simulator';

/** Where the feed's events go; `id` is the event's `event_id` (a NATS sink sends it as Nats-Msg-Id). */
export type FeedSink = (subject: string, data: Uint8Array, id: string) => void | Promise<void>;
/** The registry, or a getter for it (so a reloaded registry is picked up on the next tick). */
export type FeedRegistry = SimRegistry | (() => SimRegistry);

export interface DemoFeedOptions {
	/** simulated seconds per wall-clock second while catching up; 1 = real time */
	speed?: number;
	seed?: number;
	backfillMinutes?: number;
	/** the wall clock (tests inject one) */
	now?: () => number;
	tickMs?: number;
	kinds?: readonly TelemetryKind[];
	/** called when the sink throws; the window is retried on the next tick */
	onError?: (error: unknown) => void;
	/** the simulated calendar runs this far behind the wall clock (see demo-clock.ts); events keep wall-clock stamps */
	shiftMs?: number;
	/** wall time up to which events were already published by an earlier run: the backfill starts there */
	resumeFrom?: number | null;
	/**
	 * days of history (attendance, library, completeness) published before today on a first start,
	 * behind the live events, so the wall has yesterday and the weekday baselines at once
	 */
	historyDays?: number;
}

const shiftIso = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** Move an event generated on the simulated calendar to wall-clock time. */
function shiftEvent(event: SimEvent['event'], ms: number): void {
	event.ts = shiftIso(event.ts, ms);
	if (event.kind === 'completeness') {
		const p = event.payload;
		if (p.last_sync_department) p.last_sync_department = shiftIso(p.last_sync_department, ms);
		if (p.last_sync_ministry) p.last_sync_ministry = shiftIso(p.last_sync_ministry, ms);
	}
}

/** Kinds backfilled from the start of the local day, not just `backfillMinutes` (all but the minute heartbeats). */
const DAY_KINDS: readonly TelemetryKind[] = ['attendance', 'completeness', 'library'];
/** History kinds: cheap per day (no minute heartbeats) and what comparisons and baselines need. */
const HISTORY_KINDS: readonly TelemetryKind[] = ['attendance', 'library', 'completeness'];
/** History is published a slice per tick, so live events keep flowing during the backfill. */
const HISTORY_SLICE_MS = 6 * 3600_000;
/** Last night's sync (22:00–23:30) belongs to "today's" data picture too. */
const LAST_NIGHT_MS = 2 * 3600_000;
/** Give the event loop a turn this often in a long (backfill) window. */
const YIELD_EVERY = 2000;

const encoder = new TextEncoder();

export class DemoFeed {
	/** events handed to the sink */
	published = 0;
	/** wall time of the last completed tick (null before the first) */
	lastTickAt: number | null = null;
	/** sink failures (each one retried) */
	errors = 0;
	/** simulated time up to which events have been published */
	cursor: number | null = null;

	private readonly speed: number;
	private readonly seed: number;
	private readonly backfillMs: number;
	private readonly now: () => number;
	private readonly tickMs: number;
	private readonly kinds: readonly TelemetryKind[] | undefined;
	private readonly onError: (error: unknown) => void;
	private readonly shiftMs: number;
	private readonly resumeFrom: number | null;
	private wallStart = 0;
	private simStart = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private inflight: Promise<void> | null = null;
	private running = false;
	private first: Promise<void> | null = null;
	/** today's attendance and completeness before the backfill window, until published */
	private pendingDay: { from: number; to: number; kinds: readonly TelemetryKind[] } | null = null;
	/** earlier days' history still to publish, oldest first */
	private pendingHistory: { from: number; to: number; kinds: readonly TelemetryKind[] } | null =
		null;
	private readonly historyMs: number;

	constructor(
		private readonly sink: FeedSink,
		private readonly registry: FeedRegistry,
		opts: DemoFeedOptions = {}
	) {
		this.speed = Math.max(1, opts.speed ?? 1);
		this.seed = opts.seed ?? DEFAULT_SEED;
		this.backfillMs = Math.max(0, opts.backfillMinutes ?? 30) * MINUTE_MS;
		this.now = opts.now ?? Date.now;
		this.tickMs = Math.max(10, opts.tickMs ?? 1000);
		this.kinds = opts.kinds;
		this.onError = opts.onError ?? (() => undefined);
		this.shiftMs = opts.shiftMs ?? 0;
		this.resumeFrom = opts.resumeFrom ?? null;
		this.historyMs = Math.max(0, opts.historyDays ?? 0) * 86_400_000;
	}

	/** Backfill, then tick until stop(). Resolves when the backfill is published; never rejects. */
	start(): Promise<void> {
		if (this.first) return this.first;
		this.running = true;
		const now = this.now();
		this.wallStart = now;
		// at real time the backfill goes out at once; faster, it is replayed at `speed`
		this.simStart = this.speed > 1 ? now - this.backfillMs : now;
		// never publish twice what an earlier run already published (its ids may differ under another shift)
		this.cursor = Math.min(now, Math.max(now - this.backfillMs, this.resumeFrom ?? -Infinity));
		const today = dayStartMs(localDay(now - this.shiftMs)) + this.shiftMs;
		const dayFrom = Math.max(today - LAST_NIGHT_MS, this.resumeFrom ?? -Infinity);
		const dayKinds = DAY_KINDS.filter((k) => !this.kinds || this.kinds.includes(k));
		this.pendingDay =
			dayKinds.length && dayFrom < this.cursor
				? { from: dayFrom, to: this.cursor, kinds: dayKinds }
				: null;
		const historyFrom = Math.max(today - this.historyMs, this.resumeFrom ?? -Infinity);
		const historyKinds = HISTORY_KINDS.filter((k) => !this.kinds || this.kinds.includes(k));
		this.pendingHistory =
			this.historyMs > 0 && historyKinds.length && historyFrom < dayFrom
				? { from: historyFrom, to: Math.min(dayFrom, this.cursor), kinds: historyKinds }
				: null;
		this.first = this.run(() => this.step());
		return this.first;
	}

	/** Stop ticking; resolves when the tick in flight (if any) has finished. */
	async stop(): Promise<void> {
		this.running = false;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		await this.inflight;
		this.first = null;
	}

	/** Simulated now: ahead of start by elapsed × speed, never past the wall clock. */
	simulatedNow(): number {
		const wall = this.now();
		return Math.min(wall, this.simStart + (wall - this.wallStart) * this.speed);
	}

	private run(work: () => Promise<void>): Promise<void> {
		const began = this.now();
		const p = work()
			.catch((error) => {
				this.errors++;
				this.onError(error);
			})
			.finally(() => {
				this.lastTickAt = this.now();
				if (this.inflight === p) this.inflight = null;
				this.schedule(Math.max(0, this.tickMs - (this.lastTickAt - began)));
			});
		this.inflight = p;
		return p;
	}

	private schedule(delayMs: number): void {
		if (!this.running) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			if (this.running) void this.run(() => this.step());
		}, delayMs);
		this.timer.unref?.();
	}

	private async step(): Promise<void> {
		if (this.pendingDay) {
			const { from, to, kinds } = this.pendingDay;
			const result = await this.publish(from, to, kinds);
			if (result !== true) {
				this.pendingDay.from = result;
				return;
			}
			this.pendingDay = null;
		}
		const target = this.simulatedNow();
		if (this.cursor !== null && target > this.cursor) {
			const result = await this.publish(this.cursor, target, this.kinds);
			// on a failure, resume at the failed event's second: what was sent again is deduplicated
			this.cursor = result === true ? target : result;
			if (result !== true) return;
		}
		await this.historyStep();
	}

	/** Publish the next slice of history, if any is left. */
	private async historyStep(): Promise<void> {
		const h = this.pendingHistory;
		if (!h) return;
		const end = Math.min(h.to, h.from + HISTORY_SLICE_MS);
		const result = await this.publish(h.from, end, h.kinds);
		h.from = result === true ? end : result;
		if (h.from >= h.to) this.pendingHistory = null;
	}

	/** True while history is still being published. */
	get backfilling(): boolean {
		return this.pendingHistory !== null;
	}

	/** Publish [from, to); true when done, else the ts to resume from (stopped or sink error). */
	private async publish(
		from: number,
		to: number,
		kinds: readonly TelemetryKind[] | undefined
	): Promise<true | number> {
		const registry = typeof this.registry === 'function' ? this.registry() : this.registry;
		let n = 0;
		const shift = this.shiftMs;
		for (const { subject, event } of eventsBetween(registry, from - shift, to - shift, {
			seed: this.seed,
			kinds
		})) {
			if (shift) shiftEvent(event, shift);
			if (!this.running) return tsMs(event);
			try {
				const r = this.sink(subject, encoder.encode(JSON.stringify(event)), event.event_id);
				if (r && typeof (r as Promise<void>).then === 'function') await r;
			} catch (error) {
				this.errors++;
				this.onError(error);
				return tsMs(event);
			}
			this.published++;
			if (++n % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
		}
		return true;
	}
}
