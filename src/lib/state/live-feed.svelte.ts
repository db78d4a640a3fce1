/**
 * The browser end of the live hub: one EventSource for the wall's topics, with its own
 * reconnection (EventSource gives up for good after an HTTP error, e.g. a 502 while the server
 * restarts), exponential back-off with jitter, and the state a screen needs to never show an old
 * number as live: when the last message came, since when the connection has been down, and the
 * server clock's offset from this screen's clock.
 */
import { applyPatch, isPatch } from '../shared/live-patch';
import type { LiveTopics, TopicName } from '../shared/wall';

export type FeedStatus = 'connecting' | 'open' | 'down';

const MIN_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

export class LiveFeed {
	kpis = $state.raw<LiveTopics['wall.kpis'] | null>(null);
	history = $state.raw<LiveTopics['wall.history'] | null>(null);
	health = $state.raw<LiveTopics['wall.health'] | null>(null);
	alerts = $state.raw<LiveTopics['wall.alerts'] | null>(null);
	status = $state<FeedStatus>('connecting');
	/** local time the connection was lost (null while open) */
	downSince = $state<number | null>(null);
	/** local time of the last message of any topic */
	lastMessageAt = $state(0);
	/** server clock minus local clock, from the latest message */
	offsetMs = $state(0);

	private es: EventSource | null = null;
	private retryMs = MIN_RETRY_MS;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private stopped = false;

	constructor(
		private readonly url: string,
		initial: Partial<LiveTopics> = {}
	) {
		this.kpis = initial['wall.kpis'] ?? null;
		this.history = initial['wall.history'] ?? null;
		this.health = initial['wall.health'] ?? null;
		this.alerts = initial['wall.alerts'] ?? null;
	}

	start(): void {
		this.stopped = false;
		this.open();
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.es?.close();
		this.es = null;
	}

	/** Server time now, as best this screen knows it. */
	serverNow(local = Date.now()): number {
		return local + this.offsetMs;
	}

	private open(): void {
		const es = new EventSource(this.url);
		this.es = es;
		es.onopen = () => {
			this.status = 'open';
			this.downSince = null;
			this.retryMs = MIN_RETRY_MS;
		};
		const on = <K extends TopicName>(
			name: K,
			set: (v: LiveTopics[K]) => void,
			get: () => LiveTopics[K] | null
		) =>
			es.addEventListener(name, (e) => {
				const data = JSON.parse((e as MessageEvent<string>).data) as unknown;
				// a patch of the value this stream sent before (the hub sends the whole value first)
				let v: LiveTopics[K];
				if (isPatch(data)) {
					const prev = get();
					if (!prev) return;
					v = applyPatch(prev, data);
				} else v = data as LiveTopics[K];
				const now = Date.now();
				this.lastMessageAt = now;
				// only the health topic is stamped every tick; the others carry when their data was computed
				if (name === 'wall.health') this.offsetMs = Date.parse(v.at) - now;
				set(v);
			});
		on(
			'wall.kpis',
			(v) => (this.kpis = v),
			() => this.kpis
		);
		on(
			'wall.history',
			(v) => (this.history = v),
			() => this.history
		);
		on(
			'wall.health',
			(v) => (this.health = v),
			() => this.health
		);
		on(
			'wall.alerts',
			(v) => (this.alerts = v),
			() => this.alerts
		);
		es.onerror = () => {
			// take reconnection into our own hands, with back-off, whatever the browser would do
			es.close();
			if (this.es !== es || this.stopped) return;
			if (this.status !== 'down') this.downSince = Date.now();
			this.status = 'down';
			const delay = this.retryMs * (0.75 + Math.random() * 0.5);
			this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
			this.timer = setTimeout(() => {
				if (!this.stopped) this.open();
			}, delay);
		};
	}
}
