/**
 * A local Web Push service for the tests: it makes a subscription as a browser would (a P-256 key
 * pair and a 16-byte auth secret), accepts what the app posts to the subscription's endpoint,
 * checks its VAPID signature (RFC 8292) and decrypts its payload (RFC 8291, aes128gcm of RFC 8188)
 * with the subscription's private key, the way a browser does.
 */
import {
	createDecipheriv,
	createECDH,
	createPublicKey,
	hkdfSync,
	randomBytes,
	verify,
	type ECDH
} from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

const b64u = (b: Buffer) => b.toString('base64url');

export interface Received {
	path: string;
	headers: IncomingMessage['headers'];
	/** the decrypted payload */
	payload: string;
	/** the VAPID JWT verified with the key it carries; its claims */
	vapid: { aud: string; sub: string; exp: number; key: string };
}

export interface TestPushService {
	/** a subscription as PushSubscription.toJSON() gives it, and its private half */
	subscribe(): { endpoint: string; keys: { p256dh: string; auth: string } };
	received: Received[];
	errors: string[];
	/** the next answers (then 201) */
	answers: number[];
	stop(): Promise<void>;
}

export function decryptAes128gcm(body: Buffer, ua: ECDH, authSecret: Buffer): string {
	const salt = body.subarray(0, 16);
	const idlen = body[20];
	const asPublic = body.subarray(21, 21 + idlen);
	const record = body.subarray(21 + idlen);
	const uaPublic = ua.getPublicKey();
	const ecdhSecret = ua.computeSecret(asPublic);
	const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
	const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
	const cek = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: aes128gcm\0', 16));
	const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: nonce\0', 12));
	const d = createDecipheriv('aes-128-gcm', cek, nonce);
	d.setAuthTag(record.subarray(record.length - 16));
	const plain = Buffer.concat([d.update(record.subarray(0, record.length - 16)), d.final()]);
	// the last record ends with the delimiter 0x02 and zero padding
	let end = plain.length - 1;
	while (end >= 0 && plain[end] === 0) end--;
	if (plain[end] !== 2) throw new Error('no last-record delimiter');
	return plain.subarray(0, end).toString('utf8');
}

function checkVapid(auth: string | undefined): Received['vapid'] {
	const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(auth ?? '');
	if (!m) throw new Error(`no VAPID authorization: ${auth}`);
	const [h, p, s] = m[1].split('.');
	const raw = Buffer.from(m[2], 'base64url');
	const key = createPublicKey({
		key: {
			kty: 'EC',
			crv: 'P-256',
			x: b64u(raw.subarray(1, 33)),
			y: b64u(raw.subarray(33, 65))
		},
		format: 'jwk'
	});
	const ok = verify(
		'sha256',
		Buffer.from(`${h}.${p}`),
		{ key, dsaEncoding: 'ieee-p1363' },
		Buffer.from(s, 'base64url')
	);
	if (!ok) throw new Error('VAPID signature does not verify');
	const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Received['vapid'];
	return { ...claims, key: m[2] };
}

export async function startPushService(): Promise<TestPushService> {
	const subs = new Map<string, { ua: ECDH; auth: Buffer }>();
	const received: Received[] = [];
	const errors: string[] = [];
	const answers: number[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const status = answers.shift() ?? 201;
			try {
				const sub = subs.get(req.url ?? '');
				if (!sub) throw new Error(`unknown endpoint ${req.url}`);
				if (req.headers['content-encoding'] !== 'aes128gcm')
					throw new Error(`content-encoding ${req.headers['content-encoding']}`);
				const vapid = checkVapid(req.headers.authorization);
				const payload = decryptAes128gcm(Buffer.concat(chunks), sub.ua, sub.auth);
				if (status < 300) received.push({ path: req.url!, headers: req.headers, payload, vapid });
			} catch (e) {
				errors.push((e as Error).message);
				res.writeHead(400).end();
				return;
			}
			res.writeHead(status).end();
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as AddressInfo).port;
	return {
		subscribe() {
			const ua = createECDH('prime256v1');
			ua.generateKeys();
			const auth = randomBytes(16);
			const path = `/push/${randomBytes(8).toString('hex')}`;
			subs.set(path, { ua, auth });
			return {
				endpoint: `http://127.0.0.1:${port}${path}`,
				keys: { p256dh: b64u(ua.getPublicKey()), auth: b64u(auth) }
			};
		},
		received,
		errors,
		answers,
		stop: () => new Promise<void>((r) => server.close(() => r()))
	};
}
