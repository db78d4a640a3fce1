/**
 * "Back online" means the server answers, not that the browser says so.
 *
 * The browser's `online` event comes when a network interface is up: before a captive portal
 * lets anything through, before the Wi-Fi has an address, and (in Chromium) before the service
 * worker's own fetches can go out. Reloading the page's data at that instant fails, and
 * SvelteKit answers a failed data load with a full page reload: the page is lost and,
 * with no connection, replaced by the kept copy. So the page first asks, with a short pause
 * between tries, until the server answers or the connection goes again.
 */

/** Pauses between tries (ms); the last one repeats. */
export const RETRY_MS = [0, 500, 1000, 2000, 4000, 8000] as const;

export interface ReachableOptions {
	/** one try: true when the server answered */
	probe: () => Promise<boolean>;
	/** the browser's word: while it says offline, stop trying */
	online: () => boolean;
	/** wait (for tests: without real time) */
	sleep?: (ms: number) => Promise<void>;
	/** give up after this many tries */
	maxTries?: number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves true once a probe succeeds; false if the browser goes offline or the tries run out. */
export async function waitUntilReachable(o: ReachableOptions): Promise<boolean> {
	const sleep = o.sleep ?? realSleep;
	const max = o.maxTries ?? 40;
	for (let i = 0; i < max; i++) {
		const pause = RETRY_MS[Math.min(i, RETRY_MS.length - 1)];
		if (pause > 0) await sleep(pause);
		if (!o.online()) return false;
		if (await o.probe().catch(() => false)) return true;
	}
	return false;
}
