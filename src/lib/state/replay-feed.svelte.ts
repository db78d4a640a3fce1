/**
 * The wall in replay: the same fields as LiveFeed, filled from /api/wall/replay for a moment
 * that stands still or moves forward at `speed` minutes per second. Server time, for the wall's
 * clock and freshness, is the moment replayed.
 */
import type { FeedStatus } from './live-feed.svelte';
import type { LiveTopics } from '../shared/wall';
import { formatAt } from '../shared/range';

export class ReplayFeed {
	kpis = $state.raw<LiveTopics['wall.kpis'] | null>(null);
	history = $state.raw<LiveTopics['wall.history'] | null>(null);
	health = $state.raw<LiveTopics['wall.health'] | null>(null);
	status = $state<FeedStatus>('open');
	downSince = $state<number | null>(null);
	lastMessageAt = $state(Date.now());
	offsetMs = $state(0);
	/** the moment shown (ms) */
	at = $state(0);
	playing = $state(false);
	speed = $state(5);
	error = $state<string | null>(null);
	private timer: ReturnType<typeof setInterval> | null = null;
	private loading = false;

	constructor(
		at: number,
		initial: Partial<LiveTopics>,
		private readonly lang: string
	) {
		this.at = at;
		this.kpis = initial['wall.kpis'] ?? null;
		this.history = initial['wall.history'] ?? null;
		this.health = initial['wall.health'] ?? null;
		this.offsetMs = at - Date.now();
	}

	start(): void {
		this.timer = setInterval(() => this.tick(), 1000);
		if (!this.kpis) void this.load();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	serverNow(local = Date.now()): number {
		return local + this.offsetMs;
	}

	private tick(): void {
		// the connection is fine while replaying, whether playing or paused
		this.lastMessageAt = Date.now();
		if (this.playing && !this.loading) {
			const next = this.at + this.speed * 60_000;
			if (next >= Date.now()) {
				this.playing = false;
				return;
			}
			this.at = next;
			void this.load();
		}
		this.offsetMs = this.at - Date.now();
	}

	async load(): Promise<void> {
		this.loading = true;
		try {
			const r = await fetch(
				`/api/wall/replay?at=${encodeURIComponent(formatAt(this.at))}${this.lang === 'en' ? '&lang=en' : ''}`
			);
			const body = await r.json();
			if (!r.ok) {
				this.error = body.error ?? String(r.status);
				this.playing = false;
				return;
			}
			this.error = null;
			this.kpis = body['wall.kpis'];
			this.history = body['wall.history'];
			this.health = body['wall.health'];
			this.offsetMs = this.at - Date.now();
		} catch (e) {
			this.error = String(e);
		} finally {
			this.loading = false;
		}
	}
}
