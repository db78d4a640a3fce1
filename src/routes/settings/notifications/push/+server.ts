/**
 * This device's Web Push subscription: `{"op":"subscribe","subscription":PushSubscription.toJSON()}`
 * registers it for the signed-in account, `{"op":"unsubscribe","endpoint":…}` removes it. A push
 * service's endpoint is an https URL (http only on this machine, for the tests' local service).
 */
import { json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { removePushSubscription, savePushSubscription } from '$lib/server/store/notify';
import type { RequestHandler } from './$types';

const B64U = (len: number) => new RegExp(`^[A-Za-z0-9_-]{${len}}={0,2}$`);
const P256DH = B64U(87); // 65 bytes: an uncompressed P-256 point
const AUTH = B64U(22); // 16 bytes

function endpointOk(v: unknown): v is string {
	if (typeof v !== 'string' || v.length > 1000) return false;
	try {
		const u = new URL(v);
		const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost';
		return u.protocol === 'https:' || (u.protocol === 'http:' && loopback);
	} catch {
		return false;
	}
}

export const POST: RequestHandler = async ({ request, locals }) => {
	const rt = await appRuntime();
	let body: {
		op?: string;
		endpoint?: unknown;
		subscription?: { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } };
	};
	try {
		body = await request.json();
	} catch {
		return json({ error: 'the body must be JSON' }, { status: 400 });
	}
	const user = locals.user!;
	if (body.op === 'unsubscribe') {
		if (!endpointOk(body.endpoint))
			return json({ error: 'endpoint: not a push endpoint' }, { status: 400 });
		await removePushSubscription(rt.store, user.id, body.endpoint);
		return json({ ok: true });
	}
	if (body.op !== 'subscribe')
		return json({ error: 'op: subscribe or unsubscribe' }, { status: 400 });
	const s = body.subscription;
	if (!endpointOk(s?.endpoint))
		return json({ error: 'subscription.endpoint: not a push endpoint' }, { status: 400 });
	const p256dh = s?.keys?.p256dh;
	const auth = s?.keys?.auth;
	if (typeof p256dh !== 'string' || !P256DH.test(p256dh))
		return json({ error: 'subscription.keys.p256dh: not a P-256 public key' }, { status: 400 });
	if (typeof auth !== 'string' || !AUTH.test(auth))
		return json({ error: 'subscription.keys.auth: not a 16-byte secret' }, { status: 400 });
	await savePushSubscription(
		rt.store,
		user.id,
		{ endpoint: s!.endpoint as string, keys: { p256dh, auth } },
		request.headers.get('user-agent') ?? ''
	);
	return json({ ok: true });
};
