/**
 * Reports are made in the background, one at a time, so a long one never holds a request open nor
 * starves the wall: a request gets a job at once, the page polls its progress (the step it is on)
 * and offers the files when they are ready. Jobs are the asker's own (another account gets the
 * same 404 as for an unknown id) and are kept in memory for 24 hours (a restart forgets them: a
 * report is made again in seconds, from the same data).
 */
import type { Locale } from '../../i18n/dictionary';
import { randomBytes } from 'node:crypto';
import type { ReportSpec } from './request';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface ReportJob {
	id: string;
	owner: string;
	locale: Locale;
	/** what it is, for the list: "Báo cáo năm thực hiện Kế hoạch 83 · 2026 · Cờ Đỏ" */
	label: string;
	state: JobState;
	step: string;
	created_at: number;
	started_at: number | null;
	finished_at: number | null;
	pages: number | null;
	error: string | null;
	name: string;
	files: { pdf: Buffer; docx: Buffer } | null;
}

/** A job as the page sees it (no file bodies). */
export type JobView = Omit<ReportJob, 'files' | 'owner'> & { ready: boolean };

export interface JobResult {
	pdf: Buffer;
	docx: Buffer;
	pages: number;
	name: string;
}

export type Runner = (
	spec: ReportSpec,
	locale: Locale,
	step: (name: string) => void
) => Promise<JobResult>;

export const KEEP_MS = 24 * 3_600_000;
/** jobs waiting or running at once, over all accounts */
export const MAX_PENDING = 4;
/** jobs kept at most (the oldest finished ones go first) */
const MAX_KEPT = 100;

export class ReportJobs {
	private readonly jobs = new Map<string, ReportJob>();
	private readonly queue: { job: ReportJob; spec: ReportSpec }[] = [];
	private running: Promise<void> | null = null;

	constructor(
		private readonly run: Runner,
		private readonly now: () => number = Date.now,
		private readonly onError: (job: ReportJob, e: unknown) => void = () => {}
	) {}

	/** Queue a report; null when MAX_PENDING are already waiting or running. */
	submit(
		owner: string,
		spec: ReportSpec,
		locale: Locale,
		label: string,
		name: string
	): ReportJob | null {
		this.prune();
		if (this.pending() >= MAX_PENDING) return null;
		const job: ReportJob = {
			id: randomBytes(9).toString('base64url'),
			owner,
			locale,
			label,
			state: 'queued',
			step: 'queued',
			created_at: this.now(),
			started_at: null,
			finished_at: null,
			pages: null,
			error: null,
			name,
			files: null
		};
		this.jobs.set(job.id, job);
		this.queue.push({ job, spec });
		this.kick();
		return job;
	}

	pending(): number {
		return [...this.jobs.values()].filter((j) => j.state === 'queued' || j.state === 'running')
			.length;
	}

	/** The owner's job, or null (unknown, expired, or someone else's). */
	get(id: string, owner: string): ReportJob | null {
		this.prune();
		const j = this.jobs.get(id);
		return j && j.owner === owner ? j : null;
	}

	/** The owner's jobs, newest first. */
	list(owner: string): JobView[] {
		this.prune();
		return [...this.jobs.values()]
			.filter((j) => j.owner === owner)
			.sort((a, b) => b.created_at - a.created_at)
			.map(view);
	}

	/** Resolves when the queue is empty (tests, benches, shutdown). */
	async idle(): Promise<void> {
		while (this.running) await this.running;
	}

	private kick(): void {
		if (this.running) return;
		this.running = (async () => {
			for (let next = this.queue.shift(); next; next = this.queue.shift()) {
				const { job, spec } = next;
				job.state = 'running';
				job.started_at = this.now();
				try {
					const r = await this.run(spec, job.locale, (s) => (job.step = s));
					job.files = { pdf: r.pdf, docx: r.docx };
					job.pages = r.pages;
					job.name = r.name;
					job.state = 'done';
				} catch (e) {
					job.state = 'failed';
					job.error = e instanceof Error ? e.message : String(e);
					this.onError(job, e);
				}
				job.finished_at = this.now();
				job.step = job.state;
				// let requests in between two reports
				await new Promise((r) => setImmediate(r));
			}
		})().finally(() => {
			this.running = null;
		});
	}

	private prune(): void {
		const t = this.now();
		for (const [id, j] of this.jobs)
			if (j.finished_at !== null && t - j.finished_at > KEEP_MS) this.jobs.delete(id);
		const done = [...this.jobs.values()]
			.filter((j) => j.finished_at !== null)
			.sort((a, b) => a.finished_at! - b.finished_at!);
		while (this.jobs.size > MAX_KEPT && done.length) this.jobs.delete(done.shift()!.id);
	}
}

export function view(j: ReportJob): JobView {
	const { files, owner: _, ...rest } = j;
	return { ...rest, ready: files !== null };
}
