/**
 * The production build (`node build`) as a child process the test controls: started against a
 * nats-server the test owns, killed (SIGKILL) and started again on the same port and data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './nats-server';
import { TEST_ADMIN, signIn } from './sign-in';

export interface AppServer {
	url: string;
	dataDir: string;
	/** the test admin's session cookie (`edu_session=…`), set by start() */
	cookie: string;
	start(): Promise<void>;
	kill(): Promise<void>;
	stop(): Promise<void>;
	log(): string;
	/** the running process id (for CPU and memory readings), null when stopped */
	pid(): number | null;
}

export async function appServer(
	env: Record<string, string>,
	opts: { cwd?: string } = {}
): Promise<AppServer> {
	const port = await freePort();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'edu-wall-'));
	const url = `http://127.0.0.1:${port}`;
	let proc: ChildProcess | null = null;
	let output = '';
	const app: AppServer = {
		url,
		dataDir,
		cookie: '',
		async start() {
			proc = spawn(process.execPath, ['build'], {
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
			proc.stdout?.on('data', (b) => (output += b));
			proc.stderr?.on('data', (b) => (output += b));
			const end = Date.now() + 120_000;
			while (Date.now() < end) {
				if (proc.exitCode !== null)
					throw new Error(`node build exited with ${proc.exitCode}: ${output.slice(-2000)}`);
				try {
					if (!app.cookie) app.cookie = (await signIn(url)).header;
					const r = await fetch(`${url}/api/wall`, { headers: { cookie: app.cookie } });
					if (r.ok && (await r.json()).kpis) return;
				} catch {
					/* not up yet */
				}
				await new Promise((r) => setTimeout(r, 250));
			}
			throw new Error(`node build did not come up: ${output.slice(-2000)}`);
		},
		async kill() {
			const p = proc;
			if (!p || p.exitCode !== null) return;
			const done = new Promise((r) => p.once('exit', r));
			p.kill('SIGKILL');
			await done;
		},
		async stop() {
			const p = proc;
			if (p && p.exitCode === null) {
				const done = new Promise((r) => p.once('exit', r));
				p.kill('SIGTERM');
				await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
				if (p.exitCode === null) p.kill('SIGKILL');
			}
			rmSync(dataDir, { recursive: true, force: true });
		},
		log: () => output,
		pid: () => (proc && proc.exitCode === null ? (proc.pid ?? null) : null)
	};
	return app;
}
