/** Counters of one ingest worker, for /api/health and the wall. */
import type { EventKind } from '#shared/contract';
import type { IngestSnapshot } from '#shared/health';

export class IngestStats {
	eventsTotal = 0;
	duplicatesTotal = 0;
	/** events looked up in the raw tables (the rest were proved new by JetStream: pipeline.ts); this process only */
	lookedUp = 0;
	rejectsTotal = 0;
	batchesTotal = 0;
	insertFailuresTotal = 0;
	/** consumer backlog as last seen (NATS: info.pending) */
	backlog = 0;
	/** messages in hand: buffered or waiting for a retry */
	inHand = 0;
	lastEventAt: number | null = null;
	readonly lastEventAtByKind: Partial<Record<EventKind, number>> = {};
	readonly eventsByKind: Partial<Record<EventKind, number>> = {};
	readonly startedAt = Date.now();

	written(kind: EventKind, count: number, at = Date.now()): void {
		if (count <= 0) return;
		this.eventsTotal += count;
		this.lastEventAt = at;
		this.lastEventAtByKind[kind] = at;
		this.eventsByKind[kind] = (this.eventsByKind[kind] ?? 0) + count;
	}

	/** Start from the newest writes already stored (a restart must not look like "never"). */
	restoreLastWrites(byKind: Partial<Record<EventKind, number>>): void {
		for (const [k, t] of Object.entries(byKind) as [EventKind, number][]) {
			if (!t) continue;
			if ((this.lastEventAtByKind[k] ?? 0) < t) this.lastEventAtByKind[k] = t;
			if ((this.lastEventAt ?? 0) < t) this.lastEventAt = t;
		}
	}

	snapshot(): IngestSnapshot {
		const iso = (t: number) => new Date(t).toISOString();
		return {
			events_total: this.eventsTotal,
			duplicates_total: this.duplicatesTotal,
			rejects_total: this.rejectsTotal,
			batches_total: this.batchesTotal,
			insert_failures_total: this.insertFailuresTotal,
			lag: this.backlog + this.inHand,
			last_event_at: this.lastEventAt === null ? null : iso(this.lastEventAt),
			last_event_at_by_kind: Object.fromEntries(
				Object.entries(this.lastEventAtByKind).map(([k, v]) => [k, iso(v as number)])
			),
			events_by_kind: { ...this.eventsByKind },
			started_at: iso(this.startedAt),
			reported_at: iso(Date.now())
		};
	}
}
