import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../lib/server/platform/config';
import { StartError, checkPort, failureLine, within } from './lifecycle';

let held: Server | null = null;
afterEach(() => {
	held?.close();
	held = null;
});

/** Hold a free port on 127.0.0.1, as another process would. */
async function holdPort(host = '127.0.0.1'): Promise<number> {
	const srv = createServer();
	held = srv;
	await new Promise<void>((r) => srv.listen(0, host, () => r()));
	return (srv.address() as { port: number }).port;
}

describe('start: the port is tried before anything is opened', () => {
	it('a taken port is a StartError whose message is the one line printed, naming the port', async () => {
		const port = await holdPort();
		const e = await checkPort('127.0.0.1', port).catch((x) => x);
		expect(e).toBeInstanceOf(StartError);
		expect(failureLine(e, '/d')).toBe(
			`port ${port} is in use (another npm start?): set PORT or stop it`
		);
	});

	it('held on every interface, the loopback port is taken too (adapter-node binds 0.0.0.0 without HOST)', async () => {
		const port = await holdPort('0.0.0.0');
		await expect(checkPort('127.0.0.1', port)).rejects.toBeInstanceOf(StartError);
	});

	it('a free port passes and is free again afterwards', async () => {
		const port = await holdPort();
		held!.close();
		held = null;
		await new Promise((r) => setTimeout(r, 10));
		await checkPort('127.0.0.1', port);
		await checkPort('127.0.0.1', port);
	});
});

describe('start: one line for a failure', () => {
	it('a bad configuration names every variable on one line', () => {
		let e: unknown;
		try {
			loadConfig({ PORT: 'eighty', FEED: 'maybe' });
		} catch (x) {
			e = x;
		}
		expect(e).toBeInstanceOf(ConfigError);
		const line = failureLine(e, '/d');
		expect(line).not.toContain('\n');
		expect(line).toMatch(/^invalid configuration: PORT: .+; FEED: .+/);
	});

	it('a data folder chDB cannot open names the folder and what to do', () => {
		const e = Object.assign(new Error('Failed to create connection'), { code: 'CHDB_CONNECTION' });
		expect(failureLine(e, '/srv/edu')).toBe(
			'cannot open chDB in /srv/edu (another npm start or npm run ingest on the same DATA_DIR?): set DATA_DIR or stop it'
		);
	});

	it("the HTTP server's own listen error (a port taken after the check) reads the same", () => {
		const e = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3000'), {
			code: 'EADDRINUSE',
			syscall: 'listen',
			address: '127.0.0.1',
			port: 3000
		});
		expect(failureLine(e, '/d', 'stopping after an uncaught error')).toBe(
			'port 3000 is in use (another npm start?): set PORT or stop it'
		);
	});

	it('anything else: what failed and its cause, on one line', () => {
		const e = new Error('migration 0007 failed:\n  syntax error', {
			cause: new Error('near SELEC')
		});
		expect(failureLine(e, '/d')).toBe(
			'cannot start: Error: migration 0007 failed: syntax error (near SELEC)'
		);
	});
});

describe('within', () => {
	it('true when the promise settles in time (even rejected), false when the time runs out', async () => {
		expect(await within(Promise.resolve(1), 50)).toBe(true);
		expect(await within(Promise.reject(new Error('x')), 50)).toBe(true);
		expect(await within(new Promise(() => undefined), 20)).toBe(false);
	});
});
