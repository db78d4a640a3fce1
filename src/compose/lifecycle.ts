/**
 * How the app process starts and ends, around its runtime (runtime.ts):
 *
 * - Before anything is opened, the port is tried: a taken port ends the start with one line
 *   naming it and exit code 1 (chDB is never opened, so nothing can crash at exit).
 * - A failed start prints one line and exits 1 after closing what it had opened.
 * - SIGTERM/SIGINT (or adapter-node's idle shutdown): the runtime stops within STOP_BUDGET_MS
 *   (open SSE streams are ended, not waited for; the batch in hand is written or left to be
 *   redelivered; chDB is closed once no query runs in it), then the process exits 0.
 * - An uncaught error: one line, the same stop, exit 1.
 *
 * chDB cannot interrupt a query: a process that exits while one runs tears the engine down under
 * it (SIGSEGV or SIGABRT at exit). So every end goes through the runtime's stop, never a bare
 * exit; a stop that runs out of time ends with SIGKILL, not exit().
 */
import { createServer } from 'node:net';
import { ConfigError } from '../lib/server/platform/config';
import type { Logger } from '../lib/server/platform/log';

/**
 * The whole stop, signal to exit: within docker's 10 s grace and, with the process's own exit
 * (chDB's teardown: a few hundred ms on a busy machine), within 5 s.
 */
export const STOP_BUDGET_MS = 3500;

/** A start that cannot go on, for a reason the operator can fix; the message is the one line printed. */
export class StartError extends Error {
	override name = 'StartError';
}

/** The line printed when `HOST:PORT` cannot be listened on (npm start says the same: scripts/start.js). */
export function portProblem(code: string | undefined, host: string, port: number): string | null {
	if (code === 'EADDRINUSE')
		return `port ${port} is in use (another npm start?): set PORT or stop it`;
	if (code === 'EACCES') return `port ${port} needs privileges here: set PORT to 1024 or above`;
	if (code === 'EADDRNOTAVAIL') return `HOST ${host} is not an address of this machine: set HOST`;
	return null;
}

/** Throws StartError when `host:port` cannot be listened on; run before anything is opened. */
export async function checkPort(host: string, port: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const probe = createServer();
		probe.once('error', (e: NodeJS.ErrnoException) => {
			const line = portProblem(e.code, host, port);
			reject(line ? new StartError(line, { cause: e }) : e);
		});
		probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
	});
}

/**
 * One line for a failed start (or a crash, `what` then says so): what went wrong and, where we
 * know it, what to do.
 */
export function failureLine(error: unknown, dataDir: string, what = 'cannot start'): string {
	if (error instanceof StartError) return error.message;
	// ConfigError names each bad variable on its own line: one line, separated by ';'
	if (error instanceof ConfigError)
		return error.message.replace(/:\n\s+/, ': ').replace(/\n\s+/g, '; ');
	const code = (error as { code?: unknown } | null)?.code;
	if (code === 'CHDB_CONNECTION')
		return `cannot open chDB in ${dataDir} (another npm start or npm run ingest on the same DATA_DIR?): set DATA_DIR or stop it`;
	const listen = error as NodeJS.ErrnoException & {
		syscall?: string;
		port?: number;
		address?: string;
	};
	if (listen?.syscall === 'listen' && typeof listen.port === 'number') {
		const line = portProblem(listen.code, listen.address ?? '', listen.port);
		if (line) return line;
	}
	const e = error instanceof Error ? error : new Error(String(error));
	const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
	return `${what}: ${e.name}: ${e.message}${cause}`.replace(/\s*\n\s*/g, ' ');
}

/**
 * Make `promise` settle within `ms`: resolves true when it did (fulfilled or rejected: the caller
 * logs nothing here), false when the time ran out. Never rejects.
 */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const out = new Promise<false>((r) => (timer = setTimeout(() => r(false), Math.max(0, ms))));
	const settled = promise.then(
		() => true as const,
		() => true as const
	);
	const r = await Promise.race([settled, out]);
	clearTimeout(timer);
	return r;
}

export interface ProcessEnd {
	/**
	 * Stop everything by `deadline` (ms since the epoch); resolves when stopped. `signalled`: the
	 * HTTP server is closing too (adapter-node closes it on SIGTERM/SIGINT; not on a crash).
	 */
	stop(deadline: number, signalled: boolean): Promise<void>;
	log: Logger;
	/** named in the line an uncaught error prints (chDB's folder) */
	dataDir: string;
	/** where one-line messages go (stderr) */
	say?: (line: string) => void;
	exit?: (code: number) => void;
	kill?: () => void;
}

/**
 * Take over how the process ends: on SIGTERM/SIGINT or adapter-node's `sveltekit:shutdown`, stop
 * once and exit 0; on an uncaught error, one line, stop, exit 1. When the stop is not done within
 * STOP_BUDGET_MS, the process says so and kills itself: an exit() would tear chDB down under the
 * query still running in it (a crash), SIGKILL ends it without that (NATS redelivers what was
 * not acked). Returns the function that ends the process.
 */
export function ownProcessEnd(o: ProcessEnd): (why: string, code: number) => void {
	const say = o.say ?? ((line: string) => process.stderr.write(line + '\n'));
	const exit = o.exit ?? ((code: number) => process.exit(code));
	const kill = o.kill ?? (() => process.kill(process.pid, 'SIGKILL'));
	let ending = false;
	const end = (why: string, code: number, signalled = true) => {
		if (ending) return;
		ending = true;
		const started = Date.now();
		const deadline = started + STOP_BUDGET_MS;
		o.log.info('shutting down', { reason: why });
		const watchdog = setTimeout(() => {
			say(`shutdown did not finish within ${STOP_BUDGET_MS} ms (${why}): killing this process`);
			kill();
		}, STOP_BUDGET_MS + 300);
		o.stop(deadline, signalled)
			.catch((error) => o.log.error('shutdown failed', { error }))
			.finally(() => {
				clearTimeout(watchdog);
				o.log.info('stopped', { reason: why, ms: Date.now() - started });
				exit(code);
			});
	};
	// adapter-node also listens for these and closes the HTTP server: both run
	process.once('SIGTERM', () => end('SIGTERM', 0));
	process.once('SIGINT', () => end('SIGINT', 0));
	// adapter-node's idle shutdown (systemd socket activation) comes without a signal
	process.once('sveltekit:shutdown', (reason: unknown) => end(String(reason), 0));
	process.on('uncaughtException', (error) => {
		if (ending) return o.log.warn('uncaught error while stopping', { error });
		const line = failureLine(error, o.dataDir, 'stopping after an uncaught error');
		say(line);
		// the HTTP server's listen error (a port taken after the check) needs no more than its line
		if ((error as { syscall?: string }).syscall !== 'listen')
			o.log.error('uncaught error: stopping', { error, stack: error.stack });
		end('uncaught error', 1, false);
	});
	return end;
}
