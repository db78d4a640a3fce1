/**
 * The production build (`node build`) as a child process the test controls: started against a
 * nats-server the test owns, stopped (SIGTERM) or killed (SIGKILL) and started again on the same
 * port and data folder. It ends with the run that started it (children.ts), also on a failure.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killChild, ownFolder, spawnOwned, stopChild } from './children';
import { freePort } from './nats-server';
import { TEST_ADMIN, signIn } from './sign-in';

export interface AppServer {
	url: string;
	port: number;
	dataDir: string;
	/** the test admin's session cookie (`edu_session=…`), set by start() */
	cookie: string;
	start(): Promise<void>;
	kill(): Promise<void>;
	/**
	 * SIGTERM, and wait (at most `withinMs`, then SIGKILL) until it has exited; the data folder
	 * stays for a restart. Returns how it ended and how long it took.
	 */
	term(withinMs?: number): Promise<{ code: number | null; signal: string | null; ms: number }>;
	/** SIGTERM (SIGKILL if it does not exit in time), then remove the data folder */
	stop(): Promise<void>;
	log(): string;
	/** the running process id (for CPU and memory readings), null when stopped */
	pid(): number | null;
}

export async function appServer(
	env: Record<string, string>,
	opts: {
		cwd?: string;
		/** node's own flags before `build` (e.g. --cpu-prof) */ nodeArgs?: string[];
	} = {}
): Promise<AppServer> {
	const port = await freePort();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'edu-wall-'));
	const folder = ownFolder(dataDir);
	const url = `http://127.0.0.1:${port}`;
	let proc: ChildProcess | null = null;
	let output = '';
	const app: AppServer = {
		url,
		port,
		dataDir,
		cookie: '',
		async start() {
			const p = spawnOwned(process.execPath, [...(opts.nodeArgs ?? []), 'build'], {
				cwd: opts.cwd,
				env: {
					...process.env,
					PORT: String(port),
					HOST: '127.0.0.1',
					DATA_DIR: dataDir,
					LOG_LEVEL: 'warn',
					ORIGIN: url,
					ADMIN_EMAIL: TEST_ADMIN.email,
					ADMIN_PASSWORD: TEST_ADMIN.password,
					...env
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
			proc = p;
			p.stdout?.on('data', (b) => (output += b));
			p.stderr?.on('data', (b) => (output += b));
			const end = Date.now() + 120_000;
			while (Date.now() < end) {
				if (p.exitCode !== null || p.signalCode !== null)
					throw new Error(
						`node build exited with ${p.exitCode ?? p.signalCode}: ${output.slice(-2000)}`
					);
				try {
					if (!app.cookie) app.cookie = (await signIn(url)).header;
					const r = await fetch(`${url}/api/wall`, { headers: { cookie: app.cookie } });
					if (r.ok && (await r.json()).kpis) return;
				} catch {
					/* not up yet */
				}
				await new Promise((r) => setTimeout(r, 250));
			}
			await killChild(p);
			throw new Error(`node build did not come up: ${output.slice(-2000)}`);
		},
		async kill() {
			if (proc) await killChild(proc);
		},
		async term(withinMs = 10_000) {
			if (!proc) return { code: null, signal: null, ms: 0 };
			const r = await stopChild(proc, withinMs);
			return { code: r.code, signal: r.signal, ms: r.ms };
		},
		async stop() {
			if (proc) await stopChild(proc, 10_000);
			folder.release();
		},
		log: () => output,
		pid: () =>
			proc && proc.exitCode === null && proc.signalCode === null ? (proc.pid ?? null) : null
	};
	return app;
}
