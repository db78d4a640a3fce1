/** /api/health: mode, registry size and ingest counters (in process, or from the ingest workers' reports). */
import type { Health, IngestSnapshot } from '../shared/health';
import { rows, type CH } from './platform/clickhouse/client';

const STALE_REPORT_MS = 30_000;

interface StatusRow {
	instance: string;
	ts: string;
	started_at: string;
	events_total: string;
	duplicates_total: string;
	rejects_total: string;
	batches_total: string;
	insert_failures_total: string;
	lag: string;
	last_event_at: Record<string, string>;
}

const toIso = (chTime: string) => new Date(chTime.replace(' ', 'T') + 'Z').toISOString();

/** Sum the latest report of every ingest worker heard from in the last 30 s; null when none. */
export async function ingestFromReports(ch: CH): Promise<IngestSnapshot | null> {
	const latest = await rows<StatusRow>(
		ch,
		`SELECT instance, argMax(ts, ts) AS ts, argMax(started_at, ts) AS started_at,
			argMax(events_total, ts) AS events_total, argMax(duplicates_total, ts) AS duplicates_total,
			argMax(rejects_total, ts) AS rejects_total, argMax(batches_total, ts) AS batches_total,
			argMax(insert_failures_total, ts) AS insert_failures_total, argMax(lag, ts) AS lag,
			argMax(last_event_at, ts) AS last_event_at
		 FROM ingest_status WHERE ts > now64(3) - toIntervalMillisecond({stale:UInt32})
		 GROUP BY instance`,
		{ stale: STALE_REPORT_MS }
	);
	if (latest.length === 0) return null;
	const sum = (k: keyof StatusRow) => latest.reduce((a, r) => a + Number(r[k]), 0);
	const byKind: Record<string, string> = {};
	for (const r of latest)
		for (const [k, v] of Object.entries(r.last_event_at)) {
			const iso = toIso(v);
			if (!byKind[k] || byKind[k] < iso) byKind[k] = iso;
		}
	const last = Object.values(byKind).sort().at(-1) ?? null;
	return {
		events_total: sum('events_total'),
		duplicates_total: sum('duplicates_total'),
		rejects_total: sum('rejects_total'),
		batches_total: sum('batches_total'),
		insert_failures_total: sum('insert_failures_total'),
		lag: sum('lag'),
		last_event_at: last,
		last_event_at_by_kind: byKind,
		started_at: latest.map((r) => toIso(r.started_at)).sort()[0],
		reported_at: latest
			.map((r) => toIso(r.ts))
			.sort()
			.at(-1)!
	};
}

export const EMPTY_INGEST: IngestSnapshot = {
	events_total: 0,
	duplicates_total: 0,
	rejects_total: 0,
	batches_total: 0,
	insert_failures_total: 0,
	lag: 0,
	last_event_at: null,
	last_event_at_by_kind: {},
	started_at: new Date(0).toISOString(),
	reported_at: new Date(0).toISOString()
};

/** Problems worth a line on the wall; empty when all is well. */
export function problemsOf(h: Omit<Health, 'status' | 'problems'>, now = Date.now()): string[] {
	const p: string[] = [];
	if (h.schools === 0) p.push('registry_empty');
	if (h.source === 'none') p.push('ingest_not_reporting');
	if (
		h.source !== 'none' &&
		h.ingest.last_event_at &&
		now - Date.parse(h.ingest.last_event_at) > 10 * 60_000
	)
		p.push('no_events_10_min');
	if (h.ingest.lag > 100_000) p.push('ingest_lagging');
	// the last reconciliation left rollups that differ from the raw tables (npm run reconcile -- --repair)
	if (h.reconciliation && h.reconciliation.remaining > 0) p.push('rollups_differ');
	return p;
}
