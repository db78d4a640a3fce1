/** Everything ingest writes to ClickHouse, behind one interface so faults can be injected in tests. */
import {
	TELEMETRY_KINDS,
	type EventOf,
	type RegistryEvent,
	type TelemetryKind
} from '#shared/contract';
import { rows, type CH } from '#server/platform/clickhouse/client';
import { applyRegistry } from '#server/platform/registry/store';
import { RAW_TABLE, toRow } from './rows';

export interface RejectRow {
	received_at: string;
	subject: string;
	reason: string;
	detail: string;
	kind: string;
	event_id: string;
	school_id: string;
	stream_seq: number;
	payload: string;
}

export interface EventWriter {
	/** event_ids of `events` already stored (a redelivery after a crash between insert and ack) */
	existingIds(kind: TelemetryKind, events: EventOf<TelemetryKind>[]): Promise<Set<string>>;
	insertEvents(kind: TelemetryKind, events: EventOf<TelemetryKind>[]): Promise<void>;
	applyRegistryEvents(events: RegistryEvent[]): Promise<void>;
	insertRejects(rows: RejectRow[]): Promise<void>;
}

export class ClickHouseWriter implements EventWriter {
	constructor(private readonly ch: CH) {}

	async existingIds(kind: TelemetryKind, events: EventOf<TelemetryKind>[]): Promise<Set<string>> {
		if (events.length === 0) return new Set();
		let from = Infinity;
		let to = -Infinity;
		const schools = new Set<string>();
		for (const e of events) {
			const t = Date.parse(e.ts);
			if (t < from) from = t;
			if (t > to) to = t;
			schools.add(e.school_id);
		}
		// ts and school_id lead the sort key, so this reads only the granules of this batch.
		const found = await rows<{ event_id: string }>(
			this.ch,
			`SELECT event_id FROM {table:Identifier}
			 WHERE school_id IN {schools:Array(String)}
			   AND ts BETWEEN parseDateTime64BestEffort({from:String}, 3) AND parseDateTime64BestEffort({to:String}, 3)
			   AND event_id IN {ids:Array(String)}`,
			{
				table: RAW_TABLE[kind],
				schools: [...schools],
				from: new Date(from).toISOString(),
				to: new Date(to).toISOString(),
				ids: events.map((e) => e.event_id)
			}
		);
		return new Set(found.map((r) => r.event_id));
	}

	async insertEvents(kind: TelemetryKind, events: EventOf<TelemetryKind>[]): Promise<void> {
		if (events.length === 0) return;
		await this.ch.insert({
			table: RAW_TABLE[kind],
			values: events.map(toRow),
			format: 'JSONEachRow'
		});
	}

	async applyRegistryEvents(events: RegistryEvent[]): Promise<void> {
		// One import per event keeps each change's provenance (its event_id) in registry_imports.
		for (const e of events) {
			await applyRegistry(
				this.ch,
				{ areas: [], schools: [e.payload.school] },
				{ source: `event:${e.event_id}`, mode: 'upsert', importId: `event:${e.event_id}` }
			);
		}
	}

	async insertRejects(rejects: RejectRow[]): Promise<void> {
		if (rejects.length === 0) return;
		await this.ch.insert({ table: 'rejects', values: rejects, format: 'JSONEachRow' });
	}
}

/** When each kind was last written (ms; absent when its table is empty). */
export async function lastWritesByKind(ch: CH): Promise<Partial<Record<TelemetryKind, number>>> {
	const parts = TELEMETRY_KINDS.map(
		(k, i) =>
			`SELECT {k${i}:String} AS kind, toUnixTimestamp64Milli(max(ingested_at)) AS t FROM {t${i}:Identifier}`
	);
	const params = Object.fromEntries(
		TELEMETRY_KINDS.flatMap((k, i) => [
			[`k${i}`, k],
			[`t${i}`, RAW_TABLE[k]]
		])
	);
	const r = await rows<{ kind: TelemetryKind; t: string }>(ch, parts.join(' UNION ALL '), params);
	return Object.fromEntries(r.filter((x) => Number(x.t) > 0).map((x) => [x.kind, Number(x.t)]));
}
