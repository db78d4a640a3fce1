/**
 * The order in which an embedded ClickHouse (chDB) takes its calls. chDB runs one statement at a
 * time per process and takes waiting calls in no particular order, so a page's reads waited
 * behind ingest's inserts (half of the engine's time at 10× the city), the hub's ticks and reads
 * refreshed in the background, one wait per read: a district or school page at 5,000 schools took
 * ~0.6–1 s, where the same page alone took ~0.1 s (docs/scale.md, "The engine's queue").
 *
 * Every call of an embedded client goes through its lane:
 * - at most IN_ENGINE calls are in the engine, the rest wait here;
 * - what a request waits for goes first; background work (`inBackground`: ingest's writes, the
 *   hub's ticks, the alert evaluator, a shared read refreshed while its old value is served) goes
 *   in arrival order after it;
 * - background work is never starved: a background call that has waited PROMOTE_MS goes next.
 *
 * A ClickHouse server has its own scheduler and runs calls side by side: its clients have no lane.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Calls in the engine at once. One: a request then waits for the call running, not also for the
 * one the engine would take next (two were tried: a page's reads waited behind two background
 * calls, and the engine gained nothing it could measure).
 */
export const IN_ENGINE = 1;
/** A background call waits at most about this long for calls that came after it. */
export const PROMOTE_MS = 500;

const background = new AsyncLocalStorage<true>();

/** Run `fn`, and every ClickHouse call it makes (also after its awaits), as background work. */
export function inBackground<T>(fn: () => T): T {
	return background.run(true, fn);
}

/**
 * Run `fn` as a request's work even inside background work: a read someone may wait for (a
 * shared read that a request asks too) must not wait behind background work.
 */
export function inForeground<T>(fn: () => T): T {
	return background.exit(fn);
}

/** Whether the caller runs as background work. */
export const isBackground = (): boolean => background.getStore() === true;

interface Waiting {
	call: () => Promise<unknown>;
	resolve: (v: unknown) => void;
	reject: (e: unknown) => void;
	at: number;
}

export interface LaneStats {
	/** calls taken, by kind */
	foreground: number;
	background: number;
	/** background calls that went before waiting requests, having waited PROMOTE_MS */
	promoted: number;
	/** calls waiting now */
	waiting: number;
}

export class Lane {
	private inEngine = 0;
	private readonly fg: Waiting[] = [];
	private readonly bg: Waiting[] = [];
	readonly stats: LaneStats = Object.defineProperty(
		{ foreground: 0, background: 0, promoted: 0 } as LaneStats,
		'waiting',
		{ enumerable: true, get: () => this.fg.length + this.bg.length }
	);

	constructor(private readonly clock: () => number = () => performance.now()) {}

	/** Run `call` when its turn comes (see the module's comment). */
	run<T>(call: () => Promise<T>): Promise<T> {
		const bg = isBackground();
		this.stats[bg ? 'background' : 'foreground']++;
		if (this.inEngine < IN_ENGINE && this.fg.length + this.bg.length === 0)
			return this.start(call);
		return new Promise<T>((resolve, reject) => {
			(bg ? this.bg : this.fg).push({
				call,
				resolve: resolve as (v: unknown) => void,
				reject,
				at: this.clock()
			});
		});
	}

	private start<T>(call: () => Promise<T>): Promise<T> {
		this.inEngine++;
		let p: Promise<T>;
		try {
			p = call();
		} catch (error) {
			p = Promise.reject(error);
		}
		const done = () => {
			this.inEngine--;
			this.next();
		};
		p.then(done, done);
		return p;
	}

	private next(): void {
		while (this.inEngine < IN_ENGINE) {
			const oldBg = this.bg[0] && this.clock() - this.bg[0].at >= PROMOTE_MS;
			if (oldBg && this.fg.length) this.stats.promoted++;
			const w = oldBg ? this.bg.shift() : (this.fg.shift() ?? this.bg.shift());
			if (!w) return;
			this.start(w.call).then(w.resolve, w.reject);
		}
	}
}
