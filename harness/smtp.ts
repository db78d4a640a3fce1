/** A real SMTP server on a free port for the tests (smtp-server), keeping every message it accepts, parsed. */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
	url: string;
	messages: ParsedMail[];
	/** wait until at least n messages arrived (or fail after ms) */
	waitFor(n: number, ms?: number): Promise<ParsedMail[]>;
	stop(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtp> {
	const messages: ParsedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, _session, done) {
			simpleParser(stream)
				.then((m) => {
					messages.push(m);
					done();
				})
				.catch(done);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.server.address() as AddressInfo).port;
	return {
		url: `smtp://127.0.0.1:${port}`,
		messages,
		async waitFor(n, ms = 5000) {
			const end = Date.now() + ms;
			while (messages.length < n) {
				if (Date.now() > end) throw new Error(`${messages.length} of ${n} messages after ${ms} ms`);
				await new Promise((r) => setTimeout(r, 20));
			}
			return messages;
		},
		stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
