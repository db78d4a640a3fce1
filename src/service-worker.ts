/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The installed app's service worker.
 *
 * - The app shell (this build's scripts, styles, fonts, icons and map outlines) is cached at
 *   install, per version, and served from the cache.
 * - Each page a person opens (its HTML and its `__data.json`) is fetched from the network first
 *   and its last good answer kept, stamped with the time it was stored. With no connection the
 *   kept answer is served, and the page is told (a message) so it shows "Ngoại tuyến — số liệu
 *   lúc …" and never a live badge. Nothing with a token is kept: no sign-in, sign-out, API,
 *   live stream, embed, wall, export or admin page, and no URL carrying `token=`.
 * - Signing out (or a session that ended: a page answered with the sign-in page) empties the
 *   kept pages.
 * - Back online, the page asks this worker whether the server answers (`edu:probe`) before it
 *   loads its data again: see `$lib/state/reachable.ts`.
 * - Web Push: a notification per alert (its tag), and a tap opens the alert's page.
 */
import { base, build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `shell-${version}`;
const DATA = 'pages-v1';
const STORED_AT = 'x-edu-stored-at';
const SHELL_FILES = [
	...build,
	...files.filter((f) => !f.startsWith('/contract/') && !f.endsWith('.md'))
];
const shellSet = new Set(SHELL_FILES);
/** a small file the server always has and never caches: is the server reachable? */
const PROBE = `${base}/_app/version.json`;

/** Pages whose last answer is kept for offline use. */
const KEPT =
	/^\/(|districts\/[^/]+|schools\/[^/]+|plan83|alerts|alerts\/[a-z2-7]+)(\/__data\.json)?$/;

/** url → when the answer served from the cache was stored (the latest one per URL) */
const servedFromCache = new Map<string, number>();

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(SHELL)
			.then((c) => c.addAll(SHELL_FILES))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys())
				if (key !== SHELL && key !== DATA) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

const pageKey = (url: URL) => url.origin + url.pathname + url.search;

async function keep(req: Request, res: Response): Promise<void> {
	const headers = new Headers(res.headers);
	headers.set(STORED_AT, String(Date.now()));
	const body = await res.clone().blob();
	const cache = await caches.open(DATA);
	await cache.put(
		req.url,
		new Response(body, { status: res.status, statusText: res.statusText, headers })
	);
}

async function tell(clientId: string | undefined, msg: object): Promise<void> {
	if (clientId) (await sw.clients.get(clientId))?.postMessage(msg);
	else for (const c of await sw.clients.matchAll({ type: 'window' })) c.postMessage(msg);
}

async function page(event: FetchEvent, url: URL): Promise<Response> {
	const req = event.request;
	const data = url.pathname.endsWith('/__data.json');
	try {
		const res = await fetch(req);
		// a session that ended: the page answered with the sign-in page; forget what was kept
		if (res.redirected && new URL(res.url).pathname === '/login') await caches.delete(DATA);
		else if (res.ok && res.type === 'basic') {
			await keep(req, res);
			servedFromCache.delete(pageKey(url));
			if (data) void tell(event.clientId, { type: 'edu:online', at: Date.now() });
		}
		return res;
	} catch (error) {
		const kept = await (await caches.open(DATA)).match(req.url);
		if (!kept) throw error;
		const at = Number(kept.headers.get(STORED_AT) ?? 0);
		servedFromCache.set(pageKey(url), at);
		void tell(data ? event.clientId : event.resultingClientId, { type: 'edu:offline', at });
		return kept;
	}
}

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin) return;
	// signing out empties the kept pages before the request goes
	if (req.method === 'POST' && url.pathname === '/logout') {
		event.respondWith(caches.delete(DATA).then(() => fetch(req)));
		return;
	}
	if (req.method !== 'GET') return;
	if (shellSet.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((r) => r ?? fetch(req)));
		return;
	}
	if (url.searchParams.has('token') || !KEPT.test(url.pathname)) return;
	event.respondWith(page(event, url));
});

sw.addEventListener('message', (event) => {
	const msg = event.data as { type?: string; url?: string } | null;
	if (msg?.type === 'edu:status' && typeof msg.url === 'string') {
		const u = new URL(msg.url);
		const at = servedFromCache.get(pageKey(u));
		(event.source as Client | null)?.postMessage(
			at === undefined ? { type: 'edu:online', at: null } : { type: 'edu:offline', at }
		);
	}
	if (msg?.type === 'edu:clear') event.waitUntil(caches.delete(DATA));
	// back online? asked from here, because it is this worker's fetches that must go through
	if (msg?.type === 'edu:probe' && event.ports[0]) {
		const port = event.ports[0];
		event.waitUntil(
			fetch(PROBE, { cache: 'no-store' })
				.then(
					(r) => r.ok,
					() => false
				)
				.then((ok) => port.postMessage({ type: 'edu:reachable', ok }))
		);
	}
});

interface PushPayload {
	title: string;
	body: string;
	url: string;
	tag: string;
}

sw.addEventListener('push', (event) => {
	let p: PushPayload;
	try {
		p = event.data!.json() as PushPayload;
	} catch {
		return;
	}
	event.waitUntil(
		sw.registration.showNotification(p.title, {
			body: p.body,
			tag: p.tag,
			data: { url: p.url },
			icon: '/icons/icon-192.png',
			badge: '/icons/badge-72.png',
			lang: 'vi'
		})
	);
});

sw.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const target = new URL(
		(event.notification.data as { url?: string } | null)?.url ?? '/alerts',
		sw.location.origin
	);
	// only this app's own pages open from a notification (its path, on this origin)
	const url = sw.location.origin + target.pathname + target.search;
	event.waitUntil(
		(async () => {
			for (const c of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true }))
				if ('navigate' in c) {
					await (c as WindowClient).focus();
					await (c as WindowClient).navigate(url);
					return;
				}
			await sw.clients.openWindow(url);
		})()
	);
});
