/**
 * How fresh the wall's numbers are: the connection to the server, the event stream, and each
 * tile's kind of data against its cadence. Past the configured threshold the wall turns stale
 * and says why (the banner), so no old number looks live.
 */
import type { MessageKey } from '$lib/i18n/dictionary';
import { KIND_CADENCE_S, TILE_KIND } from '$lib/shared/wall';
import type { KpiId } from '$lib/shared/kpi';
import type { LiveFeed } from '$lib/state/live-feed.svelte';
import type { ReplayFeed } from '$lib/state/replay-feed.svelte';

// a blip (a proxy closing an idle stream, a quick restart) reconnects within seconds: only a
// connection lost for longer than this turns the wall stale; until then the header says "connecting"
const RECONNECT_GRACE_MS = 5000;

export type Freshness = ReturnType<typeof freshness>;

/**
 * The feed's freshness, read reactively: `now` is the screen's clock (a state that ticks),
 * `staleAfterS` the configured threshold.
 */
export function freshness(feed: LiveFeed | ReplayFeed, now: () => number, staleAfterS: number) {
	const staleMs = staleAfterS * 1000;
	const serverNow = $derived(now() + feed.offsetMs);
	const lastEvent = $derived(feed.health?.last_event_at ?? null);
	const connectionDown = $derived(
		(feed.status === 'down' &&
			feed.downSince !== null &&
			now() - feed.downSince > RECONNECT_GRACE_MS) ||
			(feed.lastMessageAt > 0 && now() - feed.lastMessageAt > staleMs)
	);
	const streamDown = $derived(lastEvent === null || serverNow - Date.parse(lastEvent) > staleMs);
	const problem = $derived.by((): { key: MessageKey; since?: number | string } | null => {
		if (connectionDown)
			return { key: 'wall.banner.disconnected', since: feed.downSince ?? feed.lastMessageAt };
		if (streamDown)
			return lastEvent
				? { key: 'wall.banner.stream_down', since: lastEvent }
				: { key: 'wall.banner.never' };
		return null;
	});

	/** How old a kind's latest event is (ms), or null when it has none. */
	function kindAge(kind: string): number | null {
		const k = feed.kpis;
		const at = k?.last_event_at[kind as keyof typeof k.last_event_at];
		return at ? Math.max(0, serverNow - Date.parse(at)) : null;
	}

	return {
		/** server time now, as best this screen knows it (the moment replayed, in a replay) */
		get serverNow() {
			return serverNow;
		},
		/** the screen lost the server (past the grace) or heard nothing from it for too long */
		get connectionDown() {
			return connectionDown;
		},
		/** no event written for too long */
		get streamDown() {
			return streamDown;
		},
		/** what the banner says, and since when (a time to format); null while all is fresh */
		get problem() {
			return problem;
		},
		kindAge,
		/** A tile is stale with the wall, or when its kind is silent past its cadence plus the threshold. */
		tileStale(id: KpiId): boolean {
			if (connectionDown || streamDown || !feed.kpis) return true;
			const cadence = KIND_CADENCE_S[TILE_KIND[id]];
			const a = kindAge(TILE_KIND[id]);
			return cadence !== null && (a === null || a > cadence * 1000 + staleMs);
		}
	};
}
