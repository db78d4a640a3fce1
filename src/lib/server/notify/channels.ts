/**
 * The three ways out: email over SMTP (nodemailer), Web Push (RFC 8291 payloads encrypted by
 * web-push, posted with fetch so any push service's URL works), and signed webhooks. Each send
 * either resolves (the other side took it) or throws a SendError that says whether trying again
 * can help. Every network call has a time limit: a hanging server costs a retry, never the loop.
 */
import nodemailer from 'nodemailer';
import webpush from 'web-push';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export const SEND_TIMEOUT_MS = 5000;

export class SendError extends Error {
	override name = 'SendError';
	constructor(
		message: string,
		/** false: trying again cannot help (a refused address, a gone subscription, a 4xx) */
		readonly retry: boolean,
		/** the push subscription is gone (404/410): drop it */
		readonly gone = false
	) {
		super(message);
	}
}

export interface Mailer {
	send(m: { to: string; subject: string; text: string; html: string; id: string }): Promise<void>;
	close(): void;
}

/** A mailer over SMTP_URL; without one, every send fails (not retried) with a clear message. */
export function mailer(smtpUrl: string | undefined, from: string, host: string): Mailer {
	if (!smtpUrl)
		return {
			async send() {
				throw new SendError('SMTP_URL is not set: email is off', false);
			},
			close() {}
		};
	const url = new URL(smtpUrl);
	// the time limits ride on the URL (nodemailer reads its options from the query)
	for (const [k, v] of Object.entries({
		connectionTimeout: SEND_TIMEOUT_MS,
		greetingTimeout: SEND_TIMEOUT_MS,
		socketTimeout: SEND_TIMEOUT_MS * 2
	}))
		if (!url.searchParams.has(k)) url.searchParams.set(k, String(v));
	const transport = nodemailer.createTransport(url.toString());
	return {
		async send(m) {
			try {
				await transport.sendMail({
					from,
					to: m.to,
					subject: m.subject,
					text: m.text,
					html: m.html,
					// the same delivery always has the same id: a resend after a crash is recognisable
					messageId: `<${m.id.replace(/[^A-Za-z0-9.-]/g, '.')}@${host}>`
				});
			} catch (e) {
				const err = e as { responseCode?: number; message?: string };
				// 5xx: the server refused for good (an unknown mailbox); anything else may pass later
				const permanent = (err.responseCode ?? 0) >= 500 && (err.responseCode ?? 0) < 600;
				throw new SendError(`smtp: ${err.message ?? String(e)}`, !permanent);
			}
		},
		close: () => transport.close()
	};
}

export interface Vapid {
	publicKey: string;
	privateKey: string;
	subject: string;
}

export async function sendPush(
	sub: { endpoint: string; p256dh: string; auth: string },
	payload: string,
	vapid: Vapid,
	urgency: 'normal' | 'high'
): Promise<void> {
	const req = webpush.generateRequestDetails(
		{ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
		payload,
		{ vapidDetails: vapid, TTL: 6 * 3600, urgency, contentEncoding: 'aes128gcm' }
	);
	let res: Response;
	try {
		res = await fetch(req.endpoint, {
			method: 'POST',
			headers: req.headers as Record<string, string>,
			body: new Uint8Array(req.body as Buffer),
			signal: AbortSignal.timeout(SEND_TIMEOUT_MS)
		});
	} catch (e) {
		throw new SendError(`push: ${(e as Error).message}`, true);
	}
	await res.arrayBuffer().catch(() => undefined);
	if (res.status === 404 || res.status === 410)
		throw new SendError(`push: subscription gone (${res.status})`, false, true);
	if (res.status >= 400)
		throw new SendError(`push: HTTP ${res.status}`, res.status >= 500 || res.status === 429);
}

export async function sendWebhook(
	hook: { url: string; secret: string },
	body: string,
	deliveryId: string,
	event: string,
	nowMs = Date.now()
): Promise<void> {
	let res: Response;
	try {
		res = await fetch(hook.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json; charset=utf-8',
				'user-agent': 'cantho-edu-ops-webhook/1',
				[SIGNATURE_HEADER]: signWebhook(hook.secret, body, Math.floor(nowMs / 1000)),
				[DELIVERY_HEADER]: deliveryId,
				'x-edu-event': event
			},
			body,
			redirect: 'manual',
			signal: AbortSignal.timeout(SEND_TIMEOUT_MS)
		});
	} catch (e) {
		const m = (e as Error).name === 'TimeoutError' ? 'timed out' : (e as Error).message;
		throw new SendError(`webhook: ${m}`, true);
	}
	await res.arrayBuffer().catch(() => undefined);
	if (res.status >= 200 && res.status < 300) return;
	// 408, 429 and 5xx may pass later; any other answer (a redirect, a 4xx) will not
	const retry = res.status >= 500 || res.status === 408 || res.status === 429;
	throw new SendError(`webhook: HTTP ${res.status}`, retry);
}
