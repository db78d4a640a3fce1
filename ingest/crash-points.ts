/**
 * Test only: the named instants at which the crash matrix (tests/integration/exactness.test.ts)
 * kills ingest with SIGKILL. Set by INGEST_CRASH_AT=<point>[:n] and honoured only when
 * NODE_ENV=test (config.ts); without it every `reached()` is a no-op.
 */
export const CRASH_POINTS = [
	/** a batch is formed and looked up; nothing of it written yet */
	'before-insert',
	/** one kind's raw table (and its views) written, the next kind's not */
	'between-tables',
	/** the raw part written, its materialized views not (the insert is made to fail in the views) */
	'in-views',
	/** everything written, nothing acked */
	'before-ack',
	/** half of the batch acked */
	'mid-ack',
	/** rejects written, not yet terminated */
	'before-term',
	/** SIGTERM received: the batch in hand written, not acked */
	'shutdown'
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export class CrashPoints {
	private count = 0;
	private stopping = false;

	constructor(private readonly at?: { point: string; n: number }) {
		if (at && !(CRASH_POINTS as readonly string[]).includes(at.point))
			throw new Error(`INGEST_CRASH_AT: unknown point "${at.point}" (${CRASH_POINTS.join(', ')})`);
	}

	/** Whether `point` is the armed one and this is its n-th arrival (counts the arrival). */
	due(point: CrashPoint): boolean {
		if (!this.at || this.at.point !== point) return false;
		if (point === 'shutdown' && !this.stopping) return false;
		return ++this.count === this.at.n;
	}

	/** Kill the process here if `point` is due. */
	reached(point: CrashPoint): void {
		if (this.due(point)) this.kill(point);
	}

	/** Kill the process now: no handler runs, nothing is flushed (what a power cut or OOM kill does). */
	kill(point: CrashPoint): never {
		process.stderr.write(`{"msg":"crash point","point":"${point}"}\n`);
		process.kill(process.pid, 'SIGKILL');
		throw new Error('unreachable: SIGKILL sent');
	}

	/** The shutdown point counts only batches written after SIGTERM. */
	stopRequested(): void {
		this.stopping = true;
	}
}

/** Disarmed: what production code gets. */
export const NO_CRASH = new CrashPoints();
