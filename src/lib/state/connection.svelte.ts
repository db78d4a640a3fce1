/**
 * Whether this page's numbers are live or the last ones kept on the device: the service worker
 * says when it answered from its cache, the browser when the connection goes and comes back.
 * The time of the numbers is the page's own (`renderedAt` of the root layout's data, kept with the
 * page). Back online, the page's data is loaded again by itself.
 */
import { invalidateAll } from '$app/navigation';

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
	const backOnline = () =>
		void invalidateAll().then(() => {
			if (navigator.onLine) connection.offline = false;
		});
	sw?.addEventListener('message', onMessage);
	window.addEventListener('offline', goneOffline);
	window.addEventListener('online', backOnline);
	// was this page itself served from the device's cache?
	if (!navigator.onLine) connection.offline = true;
	void sw?.ready.then((r) => r.active?.postMessage({ type: 'edu:status', url: location.href }));
	return () => {
		sw?.removeEventListener('message', onMessage);
		window.removeEventListener('offline', goneOffline);
		window.removeEventListener('online', backOnline);
	};
}
