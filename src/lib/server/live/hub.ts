/**
 * The live hub: every topic is computed once per tick, whatever the number of screens, and the
 * serialised frame is written to every subscriber. A topic whose payload did not change sends
 * nothing. A new subscriber gets the current frame of each of its topics at once, so a screen
 * that reconnects (or a server that restarted) resumes without a reload.
 *
 * A subscriber may be scoped (an account or token that sees one district or one school): a topic
 * that can be narrowed then sends it its value narrowed to that scope. Narrowing is done once per
 * scope and value, whatever the number of subscribers of that scope, and a scope whose narrowed
 * value did not change gets no frame. A subscriber keeps the scope it connected with: a changed
 * scope is picked up when it reconnects.
 */
import type { LiveStats } from '../../shared/health';
import { diffValues } from '../../shared/live-patch';
import type { Logger } from '../platform/log';
import { inBackground } from '../platform/clickhouse/lane';

export interface TopicSpec<T> {
	name: string;
	/** how often to recompute; the hub ticks at its own rate and runs a topic when due */
	intervalMs: number;
	compute(now: number): Promise<T>;
	/**
	 * The value as a scoped subscriber sees it (`scope` is the scope's stored text, never '' here).
	 * Without it the topic has nothing to narrow: every subscriber gets the same frame.
	 */
	narrow?(value: T, scope: string): unknown;
	/**
	 * Send a changed value as a patch of the one before (shared/live-patch.ts) when that is smaller:
	 * for a large value of which a tick changes little (`wall.kpis` at 5,000 schools). A new
	 * subscriber always gets the whole value first. The topic's readers must apply patches.
	 */
	patch?: boolean;
}

/** Returns false when the subscriber cannot keep up; the hub then drops it (it reconnects and resumes). */
export type Sink = (chunk: Uint8Array) => boolean;

interface TopicState {
	spec: TopicSpec<unknown>;
	json: string | null;
	value: unknown;
	frame: Uint8Array | null;
	/** the last change as a patch of the value before (when smaller than `frame`), for subscribers that hold that value */
	patchFrame: Uint8Array | null;
	lastRun: number;
	running: boolean;
	computes: number;
	failures: number;
	lastMs: number;
	totalMs: number;
	/** per scope: the narrowed value's JSON and frame, and the topic value it was narrowed from */
	scoped: Map<
		string,
		{ of: unknown; json: string; value: unknown; frame: Uint8Array; patch: Uint8Array | null }
	>;
	narrowings: number;
	/** frames sent as patches, and the bytes they saved against whole values (per subscriber) */
	patches: number;
}

interface Subscriber {
	topics: Set<string>;
	/** '' for the whole city; else the scope's stored text (shared/scope.ts formatScope) */
	scope: string;
	sink: Sink;
	close: () => void;
}

const encoder = new TextEncoder();
export const KEEPALIVE = encoder.encode(': keep-alive\n\n');

export class LiveHub {
	private topics = new Map<string, TopicState>();
	private subs = new Set<Subscriber>();
	private timer: NodeJS.Timeout | null = null;
	private keepalive: NodeJS.Timeout | null = null;
	private id = 0;
	/** stopped for good (the process is shutting down): a new subscriber is ended at once */
	private stopped = false;
	framesSent = 0;
	dropped = 0;
	private readonly patchFrames = new WeakSet<Uint8Array>();

	constructor(
		private readonly log: Logger,
		private readonly tickMs = 1000,
		private readonly now: () => number = Date.now
	) {}

	add<T>(spec: TopicSpec<T>): this {
		this.topics.set(spec.name, {
			spec: spec as TopicSpec<unknown>,
			json: null,
			value: null,
			frame: null,
			patchFrame: null,
			lastRun: -Infinity,
			running: false,
			computes: 0,
			failures: 0,
			lastMs: 0,
			totalMs: 0,
			scoped: new Map(),
			narrowings: 0,
			patches: 0
		});
		return this;
	}

	get topicNames(): string[] {
		return [...this.topics.keys()];
	}

	get clients(): number {
		return this.subs.size;
	}

	/** How often each topic was computed (not how often it was sent). */
	computes(): Record<string, number> {
		return Object.fromEntries([...this.topics].map(([k, t]) => [k, t.computes]));
	}

	/** For /api/health: clients, frames, and per topic computations and their cost. */
	stats(): LiveStats {
		return {
			clients: this.subs.size,
			frames_sent: this.framesSent,
			clients_dropped: this.dropped,
			topics: Object.fromEntries(
				[...this.topics].map(([k, t]) => [
					k,
					{
						computes: t.computes,
						failures: t.failures,
						last_ms: Math.round(t.lastMs),
						mean_ms: t.computes ? Math.round(t.totalMs / t.computes) : 0,
						...(t.spec.patch ? { patches_sent: t.patches } : {})
					}
				])
			)
		};
	}

	/** How often each topic was narrowed for a scope (once per scope and value, not per subscriber). */
	narrowings(): Record<string, number> {
		return Object.fromEntries([...this.topics].map(([k, t]) => [k, t.narrowings]));
	}

	/** The latest payload of a topic (null before its first computation). */
	current<T = unknown>(topic: string): T | null {
		return (this.topics.get(topic)?.value as T | undefined) ?? null;
	}

	/**
	 * The latest payload of a topic as a scope sees it ('' is the whole city: the payload itself),
	 * from the same per-scope cache the subscribers of that scope are served from.
	 */
	currentFor<T = unknown>(topic: string, scope: string): T | null {
		const t = this.topics.get(topic);
		if (!t || t.value === null) return null;
		return this.scopedOf(t, scope).value as T;
	}

	/**
	 * The value and frame of a topic for a scope, narrowed once per value (`changed`: unlike the
	 * last one sent; `patch`: the change as a patch of the scope's value before, when smaller).
	 */
	private scopedOf(
		t: TopicState,
		scope: string
	): { value: unknown; frame: Uint8Array | null; changed: boolean; patch: Uint8Array | null } {
		if (scope === '' || !t.spec.narrow)
			return { value: t.value, frame: t.frame, changed: true, patch: t.patchFrame };
		const hit = t.scoped.get(scope);
		if (hit && hit.of === t.value) return { ...hit, changed: false, patch: null };
		const value = t.spec.narrow(t.value, scope);
		t.narrowings++;
		const json = JSON.stringify(value);
		if (hit && hit.json === json) {
			hit.of = t.value;
			return { ...hit, changed: false, patch: null };
		}
		const entry = {
			of: t.value,
			json,
			value,
			frame: this.frameOf(t.spec.name, json),
			patch: hit ? this.patchOf(t, hit.value, value, json) : null
		};
		t.scoped.set(scope, entry);
		return { ...entry, changed: true };
	}

	private frameOf(name: string, json: string): Uint8Array {
		return encoder.encode(`id: ${++this.id}\nevent: ${name}\ndata: ${json}\n\n`);
	}

	/** The frame of `next` as a patch of `prev`, when the topic patches and the patch is smaller. */
	private patchOf(t: TopicState, prev: unknown, next: unknown, json: string): Uint8Array | null {
		if (!t.spec.patch || prev === null) return null;
		const patch = diffValues(prev, next);
		if (!patch) return null;
		const pj = JSON.stringify(patch);
		if (pj.length >= json.length * 0.8) return null;
		const frame = this.frameOf(t.spec.name, pj);
		this.patchFrames.add(frame);
		return frame;
	}

	/**
	 * Subscribe; the current frames are written at once. Returns the unsubscribe function. `scope`
	 * ('' the whole city) narrows every topic that can be narrowed.
	 */
	subscribe(
		topics: readonly string[],
		sink: Sink,
		close: () => void = () => undefined,
		scope = ''
	): () => void {
		if (this.stopped) {
			// a request that got in while the server closes: end it, or the server waits for it
			close();
			return () => undefined;
		}
		const sub: Subscriber = { topics: new Set(topics), scope, sink, close };
		this.subs.add(sub);
		for (const name of sub.topics) {
			const t = this.topics.get(name);
			if (!t?.frame) continue;
			let frame: Uint8Array | null;
			try {
				frame = this.scopedOf(t, scope).frame;
			} catch (error) {
				// a scope that cannot be narrowed gets nothing of this topic, never the whole city's
				this.log.warn('live topic narrowing failed', { topic: name, scope, error });
				continue;
			}
			if (frame && !this.write(sub, frame)) break;
		}
		return () => {
			this.subs.delete(sub);
		};
	}

	start(): this {
		if (this.timer || this.stopped) return this;
		const loop = () => {
			this.timer = setTimeout(loop, this.tickMs);
			void this.tick();
		};
		loop();
		this.keepalive = setInterval(() => {
			for (const s of this.subs) this.write(s, KEEPALIVE);
		}, 15_000);
		return this;
	}

	/**
	 * Stop ticking and end every stream, and any stream opened later (shutdown: the HTTP server
	 * closes only when no response is left open; a screen reconnects to whatever serves next).
	 */
	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		if (this.keepalive) clearInterval(this.keepalive);
		this.timer = this.keepalive = null;
		const subs = [...this.subs];
		this.subs.clear();
		for (const s of subs)
			try {
				s.close();
			} catch {
				/* already closed */
			}
	}

	/** Run every topic that is due, and fan out those that changed. */
	async tick(): Promise<void> {
		const now = this.now();
		await Promise.all(
			[...this.topics.values()]
				.filter((t) => !t.running && now - t.lastRun >= t.spec.intervalMs - 5)
				.map((t) => this.run(t, now))
		);
	}

	/** Recompute a topic now (e.g. after a registry change), whatever its interval. */
	async refresh(name: string): Promise<void> {
		const t = this.topics.get(name);
		if (t && !t.running) await this.run(t, this.now());
	}

	private async run(t: TopicState, now: number): Promise<void> {
		t.running = true;
		t.lastRun = now;
		const started = performance.now();
		try {
			// a tick is background work for the engine's lane: a page's reads go first
			const value = await inBackground(() => t.spec.compute(now));
			t.computes++;
			t.lastMs = performance.now() - started;
			t.totalMs += t.lastMs;
			if (t.failures)
				this.log.info('live topic recovered', { topic: t.spec.name, failures: t.failures });
			t.failures = 0;
			const json = JSON.stringify(value);
			if (json === t.json) return;
			t.patchFrame = this.patchOf(t, t.value, value, json);
			t.json = json;
			t.value = value;
			t.frame = this.frameOf(t.spec.name, json);
			// each scope's frame is narrowed once, for all its subscribers; scopes nobody holds are let go
			const frames = new Map<string, Uint8Array | null>();
			for (const s of this.subs) {
				if (!s.topics.has(t.spec.name)) continue;
				if (!frames.has(s.scope)) frames.set(s.scope, this.fanOutFrame(t, s.scope));
				const frame = frames.get(s.scope);
				if (frame && this.write(s, frame) && this.patchFrames.has(frame)) t.patches++;
			}
			for (const k of t.scoped.keys()) if (!frames.has(k)) t.scoped.delete(k);
		} catch (error) {
			t.failures++;
			// one line per failing streak, not one per tick
			if (t.failures === 1 || t.failures % 60 === 0)
				this.log.warn('live topic failed', { topic: t.spec.name, failures: t.failures, error });
		} finally {
			t.running = false;
		}
	}

	/** The frame a scope's subscribers get for the topic's new value: null when theirs did not change (or failed). */
	private fanOutFrame(t: TopicState, scope: string): Uint8Array | null {
		try {
			const r = this.scopedOf(t, scope);
			return r.changed ? (r.patch ?? r.frame) : null;
		} catch (error) {
			this.log.warn('live topic narrowing failed', { topic: t.spec.name, scope, error });
			return null;
		}
	}

	private write(s: Subscriber, chunk: Uint8Array): boolean {
		let ok: boolean;
		try {
			ok = s.sink(chunk);
		} catch {
			ok = false;
		}
		if (ok) {
			this.framesSent++;
			return true;
		}
		this.dropped++;
		this.subs.delete(s);
		try {
			s.close();
		} catch {
			/* already closed */
		}
		return false;
	}
}
