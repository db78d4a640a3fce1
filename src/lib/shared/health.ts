/** What /api/health returns; shared by the server, the app and tests. */
import type { EventKind } from './contract';

export interface IngestSnapshot {
	/** events written to ClickHouse (each event_id once) */
	events_total: number;
	/** redeliveries and repeats recognised by event_id and not counted again */
	duplicates_total: number;
	rejects_total: number;
	batches_total: number;
	insert_failures_total: number;
	/** messages waiting: the consumer's backlog plus what is in hand */
	lag: number;
	/** ISO time the newest event was written, null before the first */
	last_event_at: string | null;
	/** per kind, ISO time an event of that kind was last written */
	last_event_at_by_kind: Partial<Record<EventKind, string>>;
	/** per kind, events written (in process only; absent when read from workers' reports) */
	events_by_kind?: Partial<Record<EventKind, number>>;
	started_at: string;
	/** when these counters were read (server mode: the ingest worker's last report) */
	reported_at: string;
}

/** The live hub: screens connected and what serving them costs. */
export interface LiveStats {
	clients: number;
	frames_sent: number;
	clients_dropped: number;
	topics: Record<
		string,
		{
			computes: number;
			failures: number;
			last_ms: number;
			mean_ms: number;
			/** frames sent as patches of the value before (topics that patch: shared/live-patch.ts) */
			patches_sent?: number;
		}
	>;
}

export interface Health {
	status: 'ok' | 'degraded' | 'starting';
	mode: 'embedded' | 'server';
	/** where events come from: 'nats' or, with NATS_URL unset, the in-process demo feed */
	source: 'nats' | 'embedded-feed' | 'none';
	feed: boolean;
	/** the demo feed is still publishing earlier days (first start) */
	feed_backfilling?: boolean;
	schools: number;
	districts: number;
	ingest: IngestSnapshot;
	problems: string[];
	live?: LiveStats;
	/** the alert workflow: evaluations, open alerts, and whether transitions go out on NATS */
	alerts?: AlertsHealth;
	/** notifications: whether email is configured, the outbox by state, the last failure */
	notify?: NotifyHealth;
	/** the last reconciliation of the rollups against the raw tables; null before the first */
	reconciliation?: ReconciliationHealth | null;
}

/** A reconciliation (`npm run reconcile`, or the app's nightly check of the day before): docs/reconcile.md. */
export interface ReconciliationHealth {
	/** ISO time it finished */
	at: string;
	by: 'command' | 'app' | 'ingest';
	/** the Vietnam days asked, `YYYY-MM-DD` */
	from: string;
	to: string;
	repair: boolean;
	/** buckets (school × bucket) compared over every rollup */
	checked: number;
	/** buckets that differed */
	differing: number;
	/** buckets rebuilt from the raw tables */
	repaired: number;
	/** buckets that still differ */
	remaining: number;
}

export interface NotifyHealth {
	email: 'smtp' | 'off (SMTP_URL not set)';
	deliveries: { pending: number; sent: number; failed: number };
	planned: number;
	sent: number;
	failed_attempts: number;
	last_error: string | null;
	last_run_at: string | null;
}

export interface AlertsHealth {
	/** 'published': on NATS; 'skipped (embedded mode: no NATS)': this process has no NATS connection */
	nats: 'published' | 'skipped (embedded mode: no NATS)';
	evaluations: number;
	last_evaluated_at: string | null;
	last_error: string | null;
	/** how long the last evaluation took (rules, measures, store), ms */
	last_ms?: number;
	open: number;
	published: number;
}
