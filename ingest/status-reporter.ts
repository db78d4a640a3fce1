/** Writes this worker's counters to `ingest_status` every few seconds, for the app in server mode. */
import { hostname } from 'node:os';
import type { CH } from '#server/platform/clickhouse/client';
import type { Logger } from '#server/platform/log';
import type { IngestStats } from './stats';
import { inBackground } from '#server/platform/clickhouse/lane';

export const STATUS_INTERVAL_MS = 5000;

export class StatusReporter {
	private timer: NodeJS.Timeout | null = null;
	readonly instance = `${hostname()}:${process.pid}`;

	constructor(
		private readonly ch: CH,
		private readonly stats: IngestStats,
		private readonly log: Logger
	) {}

	start(): void {
		this.timer = setInterval(() => void inBackground(() => this.report()), STATUS_INTERVAL_MS);
		this.timer.unref();
	}

	async report(): Promise<void> {
		const s = this.stats.snapshot();
		try {
			await this.ch.insert({
				table: 'ingest_status',
				values: [
					{
						ts: s.reported_at,
						instance: this.instance,
						started_at: s.started_at,
						events_total: s.events_total,
						duplicates_total: s.duplicates_total,
						rejects_total: s.rejects_total,
						batches_total: s.batches_total,
						insert_failures_total: s.insert_failures_total,
						lag: s.lag,
						last_event_at: s.last_event_at_by_kind
					}
				],
				format: 'JSONEachRow'
			});
		} catch (error) {
			this.log.warn('could not write ingest status', { error });
		}
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.report();
	}
}
