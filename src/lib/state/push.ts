/**
 * This device's Web Push subscription, in the browser: supported or not, subscribe with the
 * server's VAPID public key (through the service worker), and tell the server; unsubscribe.
 */
const PATH = '/settings/notifications/push';

export function pushSupported(): boolean {
	return (
		typeof window !== 'undefined' &&
		'serviceWorker' in navigator &&
		'PushManager' in window &&
		'Notification' in window
	);
}

function keyBytes(b64u: string): Uint8Array<ArrayBuffer> {
	const b64 = (b64u + '='.repeat((4 - (b64u.length % 4)) % 4))
		.replace(/-/g, '+')
		.replace(/_/g, '/');
	const raw = atob(b64);
	const out = new Uint8Array(new ArrayBuffer(raw.length));
	for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
	return out;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
	if (!pushSupported()) return null;
	const reg = await navigator.serviceWorker.getRegistration();
	return (await reg?.pushManager.getSubscription()) ?? null;
}

/** Ask for permission, subscribe, register with the server; 'denied' when the person refused. */
export async function subscribePush(vapidPublicKey: string): Promise<'on' | 'denied'> {
	if ((await Notification.requestPermission()) !== 'granted') return 'denied';
	const reg = await navigator.serviceWorker.ready;
	const sub =
		(await reg.pushManager.getSubscription()) ??
		(await reg.pushManager.subscribe({
			userVisibleOnly: true,
			applicationServerKey: keyBytes(vapidPublicKey)
		}));
	const r = await fetch(PATH, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ op: 'subscribe', subscription: sub.toJSON() })
	});
	if (!r.ok) throw new Error(((await r.json()) as { error: string }).error);
	return 'on';
}

export async function unsubscribePush(): Promise<void> {
	const sub = await currentSubscription();
	if (!sub) return;
	await fetch(PATH, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ op: 'unsubscribe', endpoint: sub.endpoint })
	});
	await sub.unsubscribe();
}
