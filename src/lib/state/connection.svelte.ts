/**
 * Whether this page's numbers are live or the last ones kept on the device: the service worker
 * says when it answered from its cache, the browser when the connection goes and comes back.
 * The time of the numbers is the page's own (`renderedAt` of the root layout's data, kept with the
 * page). Back online, once the server answers, the page's data is loaded again by itself.
 */
import { invalidateAll } from '$app/navigation';
import { base } from '$app/paths';
import { waitUntilReachable } from './reachable';

class Connection {
	/** showing kept data: no connection, or the service worker answered from its cache */
	offline = $state(false);
}

export const connection = new Connection();

/** Start listening (the root layout, in the browser); returns the stop. */
export function watchConnection(): () => void {
	const sw = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
	const onMessage = (e: MessageEvent) => {
		const m = e.data as { type?: string; at?: number | null };
		if (m?.type === 'edu:offline') connection.offline = true;
		if (m?.type === 'edu:online' && navigator.onLine) connection.offline = false;
	};
	const goneOffline = () => (connection.offline = true);
	let reconnecting = false;
	const backOnline = async () => {
		if (reconnecting) return;
		reconnecting = true;
		try {
			if (!(await waitUntilReachable({ probe, online: () => navigator.onLine }))) return;
			await invalidateAll();
			if (navigator.onLine) connection.offline = false;
		} finally {
			reconnecting = false;
		}
	};
	const onOnline = () => void backOnline();
	sw?.addEventListener('message', onMessage);
	window.addEventListener('offline', goneOffline);
	window.addEventListener('online', onOnline);
	// was this page itself served from the device's cache?
	if (!navigator.onLine) connection.offline = true;
	void sw?.ready.then((r) => r.active?.postMessage({ type: 'edu:status', url: location.href }));
	return () => {
		sw?.removeEventListener('message', onMessage);
		window.removeEventListener('offline', goneOffline);
		window.removeEventListener('online', onOnline);
	};
}

const PROBE_TIMEOUT_MS = 5000;

/**
 * One try: does the server answer? Through the service worker when one controls the page (its
 * fetches are the ones the data load will use), else from the page. The file asked for is the
 * worker's `PROBE` too: the worker imports nothing of ours (docs/architecture.md), so it is named
 * in both.
 */
function probe(): Promise<boolean> {
	const controller = 'serviceWorker' in navigator ? navigator.serviceWorker.controller : null;
	if (!controller)
		return fetch(`${base}/_app/version.json`, { cache: 'no-store' }).then(
			(r) => r.ok,
			() => false
		);
	return new Promise<boolean>((resolve) => {
		const channel = new MessageChannel();
		// one answer, or none in time: either way the channel is closed
		const settle = (ok: boolean) => {
			clearTimeout(timer);
			channel.port1.close();
			resolve(ok);
		};
		const timer = setTimeout(() => settle(false), PROBE_TIMEOUT_MS);
		channel.port1.onmessage = (e: MessageEvent) =>
			settle((e.data as { ok?: boolean } | null)?.ok === true);
		controller.postMessage({ type: 'edu:probe' }, [channel.port2]);
	});
}
