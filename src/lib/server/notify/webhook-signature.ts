/**
 * Webhook signatures: HMAC-SHA256 over `<unix seconds>.<body>` with the webhook's secret, sent as
 * `X-Edu-Signature: t=<unix seconds>,v1=<hex>` beside `X-Edu-Delivery: <id>`. The timestamp is in
 * the signed content, so an old delivery cannot be replayed with a fresh time; a receiver refuses
 * a time further than `toleranceS` from its clock, and a delivery id it has already accepted
 * within that window. `verifyWebhook` is the documented verification code (docs/notifications.md):
 * receivers in Node can copy it as it is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-edu-signature';
export const DELIVERY_HEADER = 'x-edu-delivery';
export const DEFAULT_TOLERANCE_S = 300;

export function signWebhook(secret: string, body: string, unixSeconds: number): string {
	const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
	return `t=${unixSeconds},v1=${mac}`;
}

export type Verdict =
	| { ok: true; at: number }
	| { ok: false; reason: 'malformed' | 'stale' | 'signature' | 'replayed' };

/**
 * Check a delivery: its signature header, raw body and delivery id. `seen` (delivery id → unix
 * seconds accepted) is the receiver's memory of recent deliveries; pass the same map each time.
 */
export function verifyWebhook(opts: {
	secret: string;
	body: string;
	signature: string | null;
	deliveryId: string | null;
	nowS?: number;
	toleranceS?: number;
	seen?: Map<string, number>;
}): Verdict {
	const now = opts.nowS ?? Math.floor(Date.now() / 1000);
	const tolerance = opts.toleranceS ?? DEFAULT_TOLERANCE_S;
	const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(opts.signature ?? '');
	if (!m || !opts.deliveryId) return { ok: false, reason: 'malformed' };
	const t = Number(m[1]);
	if (Math.abs(now - t) > tolerance) return { ok: false, reason: 'stale' };
	const want = Buffer.from(signWebhook(opts.secret, opts.body, t).slice(-64), 'hex');
	if (!timingSafeEqual(want, Buffer.from(m[2], 'hex'))) return { ok: false, reason: 'signature' };
	if (opts.seen) {
		for (const [id, at] of opts.seen) if (now - at > tolerance) opts.seen.delete(id);
		if (opts.seen.has(opts.deliveryId)) return { ok: false, reason: 'replayed' };
		opts.seen.set(opts.deliveryId, now);
	}
	return { ok: true, at: t };
}
