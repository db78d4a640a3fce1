/**
 * The processes a test or bench starts (`node build`, nats-server …) end with it, whichever way
 * it ends: a child left running holds its port, its data folder and a core.
 *
 * - On exit (a finished run, a thrown error, process.exit) every child still running is killed
 *   (SIGKILL: an exit hook cannot wait) and the temporary folders are removed.
 * - On SIGINT/SIGTERM/SIGHUP, when nothing else in this process handles that signal (a bench run
 *   from a shell; test runners handle their own, and their exit runs the hook above), each child
 *   is asked to stop (SIGTERM), given a few seconds, and the process exits with 128 + the
 *   signal's number.
 *
 * A child runs in its own process group, so one that starts processes of its own is ended with
 * them (and a Ctrl-C reaches it through this process, which stops it in order).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
const folders = new Set<string>();
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
/** how long a child gets to stop before it is killed (the app stops within 4 s) */
const GRACE_MS = 8000;
let hooked = false;

const running = (p: ChildProcess) => p.exitCode === null && p.signalCode === null;

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
	if (proc.pid === undefined || !running(proc)) return;
	try {
		process.kill(-proc.pid, signal);
	} catch {
		try {
			proc.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function hook(): void {
	if (hooked) return;
	hooked = true;
	process.on('exit', () => {
		for (const p of children) signalGroup(p, 'SIGKILL');
		for (const dir of folders) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
	});
	for (const [signal, n] of Object.entries(SIGNALS) as [NodeJS.Signals, number][]) {
		if (process.listenerCount(signal) > 0) continue;
		process.once(signal, () => {
			process.stderr.write(`${signal}: stopping what this run started\n`);
			void Promise.all([...children].map((p) => stopChild(p)))
				.catch(() => undefined)
				.finally(() => process.exit(128 + n));
		});
	}
}

/** Spawn a child this run owns: in its own process group, stopped or killed when the run ends. */
export function spawnOwned(command: string, args: string[], options: SpawnOptions): ChildProcess {
	hook();
	const proc = spawn(command, args, { ...options, detached: true });
	children.add(proc);
	proc.once('exit', () => children.delete(proc));
	// an error event (e.g. ENOENT) the caller may not listen for must not crash the run
	proc.on('error', () => undefined);
	return proc;
}

/**
 * Stop a child: SIGTERM to its group, SIGKILL after `graceMs`. Resolves when it is gone, with its
 * exit code or signal and how long it took.
 */
export async function stopChild(
	proc: ChildProcess,
	graceMs = GRACE_MS
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; killed: boolean }> {
	const t0 = Date.now();
	let killed = false;
	if (running(proc)) {
		const gone = new Promise<void>((r) => proc.once('exit', () => r()));
		signalGroup(proc, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
		if ((await Promise.race([gone, late])) === 'late') {
			killed = true;
			signalGroup(proc, 'SIGKILL');
			await gone;
		}
		clearTimeout(timer);
	}
	return { code: proc.exitCode, signal: proc.signalCode, ms: Date.now() - t0, killed };
}

/** Kill a child now (SIGKILL to its group) and wait until it is gone. */
export async function killChild(proc: ChildProcess): Promise<void> {
	if (!running(proc)) return;
	const gone = new Promise<void>((r) => proc.once('exit', () => r()));
	signalGroup(proc, 'SIGKILL');
	await gone;
}

/** A temporary folder removed at exit unless `release` removed it before. */
export function ownFolder(dir: string): { release(): void } {
	hook();
	folders.add(dir);
	return {
		release() {
			folders.delete(dir);
			rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
		}
	};
}
