/**
 * Start a real nats-server with JetStream on a free port and a temporary store; stop and clean up.
 * It ends with the run that started it (children.ts), also on a failure.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { ownFolder, spawnOwned, stopChild } from './children';

export interface NatsServer {
	url: string;
	port: number;
	/** the server's process id (to read its CPU time, bench/ingest.ts) */
	pid: number;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

const BIN =
	process.env.NATS_SERVER_BIN ??
	(process.platform === 'linux' ? '/usr/sbin/nats-server' : 'nats-server');

/** Fails loudly when nats-server is missing: a skipped test would be a failing test. */
export async function startNatsServer(): Promise<NatsServer> {
	const port = await freePort();
	const dir = await mkdtemp(path.join(tmpdir(), 'edu-nats-'));
	const folder = ownFolder(dir);
	const proc: ChildProcess = spawnOwned(
		BIN,
		['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
		{ stdio: ['ignore', 'ignore', 'pipe'] }
	);
	let stderr = '';
	proc.stderr?.on('data', (b) => (stderr += b.toString()));
	const exited = new Promise<never>((_, reject) => {
		proc.once('error', (e) =>
			reject(new Error(`cannot start ${BIN}: ${e.message} (apt-get install -y nats-server)`))
		);
		proc.once('exit', (code) =>
			reject(new Error(`nats-server exited with ${code}: ${stderr.slice(-500)}`))
		);
	});
	const url = `nats://127.0.0.1:${port}`;
	const ready = (async () => {
		for (let i = 0; i < 100; i++) {
			try {
				const nc = await connect({ servers: url, reconnect: false });
				await nc.close();
				return;
			} catch {
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		throw new Error('nats-server did not become ready');
	})();
	exited.catch(() => undefined);
	const stop = async () => {
		await stopChild(proc, 5000);
		folder.release();
	};
	try {
		await Promise.race([ready, exited]);
	} catch (error) {
		await stop();
		throw error;
	}
	return { url, port, pid: proc.pid!, stop };
}
