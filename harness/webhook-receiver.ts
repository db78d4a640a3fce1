/**
 * A webhook receiver for the tests, as the city IOC would run one: it checks every delivery with
 * the documented verification code (verifyWebhook) and keeps the verdicts. Its answers can be set:
 * a few 500s, or hanging without an answer.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	DELIVERY_HEADER,
	SIGNATURE_HEADER,
	verifyWebhook,
	type Verdict
} from '#server/notify/webhook-signature';

export interface Delivery {
	headers: IncomingHttpHeaders;
	body: string;
	verdict: Verdict;
	status: number;
}

export interface TestWebhookReceiver {
	url: string;
	secret: string;
	deliveries: Delivery[];
	/** the next answers (then 200); 0: hang without answering */
	answers: number[];
	/** send a request as a replayer or tamperer would */
	post(body: string, headers: Record<string, string>): Promise<number>;
	stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<TestWebhookReceiver> {
	const deliveries: Delivery[] = [];
	const answers: number[] = [];
	const seen = new Map<string, number>();
	const self = { secret: '' };
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const answer = answers.shift() ?? 200;
			if (answer === 0) return; // hang
			const verdict = verifyWebhook({
				secret: self.secret,
				body,
				signature: (req.headers[SIGNATURE_HEADER] as string) ?? null,
				deliveryId: (req.headers[DELIVERY_HEADER] as string) ?? null,
				// a delivery answered with an error was not accepted: it may come again
				seen: answer < 300 ? seen : undefined
			});
			const status = verdict.ok ? answer : 401;
			deliveries.push({ headers: req.headers, body, verdict, status });
			res.writeHead(status).end();
		});
	});
	server.keepAliveTimeout = 100;
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	return {
		url,
		get secret() {
			return self.secret;
		},
		set secret(v: string) {
			self.secret = v;
		},
		deliveries,
		answers,
		async post(body, headers) {
			const r = await fetch(url, { method: 'POST', body, headers });
			return r.status;
		},
		stop: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			})
	};
}
