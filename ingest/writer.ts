/** Everything ingest writes to ClickHouse, behind one interface so faults can be injected in tests. */
import { randomUUID } from 'node:crypto';
import {
	TELEMETRY_KINDS,
	type EventOf,
	type RegistryEvent,
	type TelemetryKind
} from '#shared/contract';
import { localDay } from '#shared/calendar';
import {
	insertBody,
	laneOf,
	rows,
	settingsClause,
	type CH
} from '#server/platform/clickhouse/client';
import { daysWritten } from '#server/platform/clickhouse/written';
import { applyRegistry } from '#server/platform/registry/store';
import { NO_CRASH, type CrashPoints } from './crash-points';
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

/** A raw row already stored for an event_id: which message brought it, which insert wrote it. */
export interface StoredCopy {
	event_id: string;
	/** the JetStream sequence of the message it came from (0: not from a stream) */
	stream_seq: number;
	/** the insert that wrote it; also that insert's deduplication token */
	ingest_block: string;
	ingested_at: string;
	/** toYYYYMM(ts): the raw partition, one per insert */
	month: number;
}

export interface EventWriter {
	/**
	 * the raw rows already stored for the event_ids of each kind's events (a redelivery, or a
	 * producer's repeat), every kind in one query
	 */
	existingIds(
		groups: Map<TelemetryKind, EventOf<TelemetryKind>[]>
	): Promise<Map<TelemetryKind, Map<string, StoredCopy[]>>>;
	/**
	 * Insert `events` (their messages' stream sequences in `seqs`, same order), one insert per raw
	 * partition; returns the blocks written, each whole. A failed insert throws InsertError with
	 * its block id.
	 */
	insertEvents(
		kind: TelemetryKind,
		events: EventOf<TelemetryKind>[],
		seqs: number[]
	): Promise<string[]>;
	/**
	 * Repeat the insert that wrote `block`, from its raw rows and with its token: ClickHouse
	 * skips each part (raw or a view's) that exists and writes each one a crash left missing.
	 * false: not repeated, the block is too old for the deduplication windows to vouch for it.
	 */
	repeatBlock(kind: TelemetryKind, block: StoredCopy): Promise<boolean>;
	/** the blocks holding a row from a stream sequence above `seq` (messages maybe not acked) */
	blocksAfter(kind: TelemetryKind, seq: number): Promise<StoredCopy[]>;
	/** the highest stream sequence any raw table holds a row from, if above `seq`; else `seq` */
	maxStreamSeq(seq: number): Promise<number>;
	/** every raw row's kind, event_id and time (ms) from `from` on, passed to `add` (ingest/recent-ids.ts) */
	recentIds(
		from: number,
		add: (kind: TelemetryKind, id: string, ts: number) => void
	): Promise<void>;
	applyRegistryEvents(events: RegistryEvent[]): Promise<void>;
	/**
	 * Settles when the engine would take this writer's next call (an embedded engine's lane:
	 * platform/clickhouse/lane.ts): a batch formed then also holds what came while requests were
	 * served, so a busy engine gets fewer, larger inserts. Absent, or at once: no wait.
	 */
	turn?(): Promise<void>;
	/** which of these stream sequences are already in `rejects` */
	storedRejects(seqs: number[]): Promise<Set<number>>;
	insertRejects(rows: RejectRow[]): Promise<void>;
}

/** An insert failed: its block may or may not be in the raw table (and in some of its views). */
export class InsertError extends Error {
	override name = 'InsertError';
	constructor(
		readonly block: string,
		options: { cause: unknown }
	) {
		super(`insert of block ${block} failed`, options);
	}
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * SETTINGS of an ingest insert. In the SQL text, not in `clickhouse_settings`: over chDB those
 * become session-wide SETs, and a token left behind would silently drop the next insert.
 * Only a UUID we made is ever put in the text.
 */
function dedupSettingsOf(token: string): Record<string, string | number> {
	if (!UUID_RE.test(token)) throw new Error(`not an ingest block id: ${token}`);
	return {
		insert_deduplication_token: token,
		deduplicate_blocks_in_dependent_materialized_views: 1
	};
}

const dedupSettings = (token: string, extra: Record<string, string | number> = {}): string =>
	settingsClause({ ...dedupSettingsOf(token), ...extra });

/**
 * A block is repeated only if it is at most this much older than the newest write to its raw
 * table. So fewer blocks than the deduplication windows hold (10,000; 40,000 for day_versions)
 * were written to any table since: one worker writes at most ~20-30 batches a second. An older
 * block would be written again where its tokens were forgotten: counted twice.
 */
export const REPEAT_HORIZON_S = 60;

/** A lookup names its batch's schools when they are this few (see existingIds). */
const LOOKUP_SCHOOLS_MAX = 32;

const monthOf = (iso: string) => {
	const d = new Date(iso);
	return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
};

export class ClickHouseWriter implements EventWriter {
	constructor(
		private readonly ch: CH,
		private readonly crash: CrashPoints = NO_CRASH
	) {}

	async turn(): Promise<void> {
		await laneOf(this.ch)?.run(async () => undefined);
	}

	async existingIds(
		groups: Map<TelemetryKind, EventOf<TelemetryKind>[]>
	): Promise<Map<TelemetryKind, Map<string, StoredCopy[]>>> {
		const out = new Map<TelemetryKind, Map<string, StoredCopy[]>>();
		const branches: string[] = [];
		const params: Record<string, unknown> = {};
		for (const [kind, events] of groups) {
			out.set(kind, new Map());
			if (events.length === 0) continue;
			let from = Infinity;
			let to = -Infinity;
			const schools = new Set<string>();
			for (const e of events) {
				const t = Date.parse(e.ts);
				if (t < from) from = t;
				if (t > to) to = t;
				schools.add(e.school_id);
			}
			const i = branches.length;
			// The ids filter the rows (PREWHERE: the one column read for every granule left); the time
			// range and, for a batch of a few schools, the schools choose the parts and granules
			// (school_id and ts lead the sort key). A backlog's batch spans every school and an hour:
			// naming its 467 schools prunes nothing. (Alone, against 200,000 rows, this shape was the
			// faster; in bench:ingest's drain the two shapes measured alike: docs/ingest-performance.md.)
			const bySchool = schools.size <= LOOKUP_SCHOOLS_MAX;
			branches.push(
				`SELECT {k${i}:String} AS kind, event_id, stream_seq, toString(ingest_block) AS ingest_block,
				        ingested_at, toYYYYMM(ts) AS month
				 FROM {t${i}:Identifier}
				 PREWHERE event_id IN {e${i}:Array(String)}
				 WHERE ts BETWEEN fromUnixTimestamp64Milli({f${i}:Int64}, 'UTC') AND fromUnixTimestamp64Milli({u${i}:Int64}, 'UTC')${
						bySchool ? ` AND school_id IN {s${i}:Array(String)}` : ''
					}`
			);
			Object.assign(params, {
				[`k${i}`]: kind,
				[`t${i}`]: RAW_TABLE[kind],
				...(bySchool ? { [`s${i}`]: [...schools] } : {}),
				[`f${i}`]: from,
				[`u${i}`]: to,
				[`e${i}`]: events.map((e) => e.event_id)
			});
		}
		if (branches.length === 0) return out;
		// one round trip for every kind of the batch (chDB runs one query at a time: each costs)
		const found = await rows<StoredCopy & { kind: TelemetryKind }>(
			this.ch,
			branches.join('\nUNION ALL\n'),
			params
		);
		for (const { kind, ...r } of found) {
			const copy = { ...r, stream_seq: Number(r.stream_seq), month: Number(r.month) };
			const byId = out.get(kind)!;
			const list = byId.get(r.event_id);
			if (list) list.push(copy);
			else byId.set(r.event_id, [copy]);
		}
		return out;
	}

	async insertEvents(
		kind: TelemetryKind,
		events: EventOf<TelemetryKind>[],
		seqs: number[]
	): Promise<string[]> {
		const blocks: string[] = [];
		if (events.length === 0) return blocks;
		// One insert per raw partition: each is then one raw part, all there or not at all, so a
		// block's raw rows are exactly what its repeat must push through the views again.
		const byMonth = new Map<number, number[]>();
		let [t0, t1] = [Infinity, -Infinity];
		events.forEach((e, i) => {
			const m = monthOf(e.ts);
			(byMonth.get(m) ?? byMonth.set(m, []).get(m)!).push(i);
			const t = Date.parse(e.ts);
			if (t < t0) t0 = t;
			if (t > t1) t1 = t;
		});
		// written, or perhaps written in part: this process's readers of those days look again
		try {
			for (const idx of byMonth.values()) {
				// A new block id for every attempt: ClickHouse records a block's token just before it
				// moves the part into place, so a token is reused only for a block whose raw part is
				// known to exist (repeatBlock), never for a retry of one that may not.
				const block = randomUUID();
				const body = idx
					.map((i) => {
						const row = toRow(events[i]);
						row.stream_seq = seqs[i];
						row.ingest_block = block;
						return JSON.stringify(row);
					})
					.join('\n');
				const failViews = this.crash.due('in-views');
				try {
					await insertBody(this.ch, RAW_TABLE[kind], body, {
						...dedupSettingsOf(block),
						// test only: make the views' GROUP BY fail after the raw part is written
						...(failViews ? { max_rows_to_group_by: 1, group_by_overflow_mode: 'throw' } : {})
					});
				} catch (cause) {
					if (failViews) this.crash.kill('in-views');
					throw new InsertError(block, { cause });
				}
				if (failViews) this.crash.kill('in-views');
				blocks.push(block);
			}
		} finally {
			daysWritten(this.ch, localDay(t0), localDay(t1));
		}
		return blocks;
	}

	async repeatBlock(kind: TelemetryKind, block: StoredCopy): Promise<boolean> {
		const [recent] = await rows<{ ok: number }>(
			this.ch,
			`SELECT {at:DateTime64(3, 'UTC')} >= max(ingested_at) - INTERVAL {h:UInt32} SECOND AS ok
			 FROM {table:Identifier}`,
			{ table: RAW_TABLE[kind], at: block.ingested_at, h: REPEAT_HORIZON_S }
		);
		if (!Number(recent?.ok)) return false;
		// max_threads = 1 and the order by stream_seq: the rows come back as one block, the same rows
		// the first attempt inserted, so the views compute the same parts under the same tokens.
		await this.ch.command({
			query: `INSERT INTO {table:Identifier} ${dedupSettings(block.ingest_block, { max_threads: 1 })}
			 SELECT * FROM {table:Identifier}
			 WHERE toYYYYMM(ts) = {month:UInt32} AND ingested_at = {at:DateTime64(3, 'UTC')}
			   AND ingest_block = {block:UUID}
			 ORDER BY stream_seq`,
			query_params: {
				table: RAW_TABLE[kind],
				month: block.month,
				at: block.ingested_at,
				block: block.ingest_block
			}
		});
		return true;
	}

	async blocksAfter(kind: TelemetryKind, seq: number): Promise<StoredCopy[]> {
		// aliases unlike the columns: ClickHouse would read an alias in WHERE as the aggregate
		const found = await rows<{ id: string; s: string; block: string; at: string; m: string }>(
			this.ch,
			`SELECT any(event_id) AS id, min(stream_seq) AS s, toString(ingest_block) AS block,
			        any(ingested_at) AS at, any(toYYYYMM(ts)) AS m
			 FROM {table:Identifier}
			 WHERE stream_seq > {seq:UInt64} AND ingest_block != toUUID('00000000-0000-0000-0000-000000000000')
			   AND ingested_at >= (SELECT max(ingested_at) FROM {table:Identifier}) - INTERVAL {h:UInt32} SECOND
			 GROUP BY ingest_block`,
			{ table: RAW_TABLE[kind], seq, h: REPEAT_HORIZON_S }
		);
		return found.map((r) => ({
			event_id: r.id,
			stream_seq: Number(r.s),
			ingest_block: r.block,
			ingested_at: r.at,
			month: Number(r.m)
		}));
	}

	async maxStreamSeq(seq: number): Promise<number> {
		// the minmax index on stream_seq (migration 0011) skips every granule at or below `seq`
		const [r] = await rows<{ s: string }>(
			this.ch,
			`SELECT greatest({seq:UInt64}, max(s)) AS s FROM (
			   ${TELEMETRY_KINDS.map((k) => `SELECT max(stream_seq) AS s FROM ${RAW_TABLE[k]} WHERE stream_seq > {seq:UInt64}`).join('\n UNION ALL ')})`,
			{ seq }
		);
		return Number(r.s);
	}

	async recentIds(
		from: number,
		add: (kind: TelemetryKind, id: string, ts: number) => void
	): Promise<void> {
		// tab-separated and streamed: at 10× the city an hour and a half is millions of rows
		const rs = await this.ch.query({
			query: TELEMETRY_KINDS.map(
				(k, i) =>
					`SELECT {k${i}:String} AS kind, event_id, toUnixTimestamp64Milli(ts) AS t FROM {t${i}:Identifier} WHERE ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')`
			).join(' UNION ALL '),
			query_params: {
				from,
				...Object.fromEntries(
					TELEMETRY_KINDS.flatMap((k, i) => [
						[`k${i}`, k],
						[`t${i}`, RAW_TABLE[k]]
					])
				)
			},
			format: 'TabSeparated'
		});
		for await (const batch of rs.stream())
			for (const row of batch as { text: string }[]) {
				const [kind, id, t] = row.text.split('\t');
				add(kind as TelemetryKind, id, Number(t));
			}
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

	async storedRejects(seqs: number[]): Promise<Set<number>> {
		if (seqs.length === 0) return new Set();
		// a redelivery comes within the stream's 7 days: older rows are another stream's sequences
		const found = await rows<{ s: string }>(
			this.ch,
			`SELECT DISTINCT stream_seq AS s FROM rejects
			 WHERE stream_seq IN {seqs:Array(UInt64)} AND received_at > now64(3) - INTERVAL 8 DAY`,
			{ seqs }
		);
		return new Set(found.map((r) => Number(r.s)));
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

/** The first and last event time (ms) of the rows these inserts wrote to a raw table; null: none. */
export async function spanOfBlocks(
	ch: CH,
	kind: TelemetryKind,
	blocks: StoredCopy[]
): Promise<{ from: number; to: number } | null> {
	if (blocks.length === 0) return null;
	const [r] = await rows<{ n: string; a: string; b: string }>(
		ch,
		`SELECT count() AS n, toUnixTimestamp64Milli(min(ts)) AS a, toUnixTimestamp64Milli(max(ts)) AS b
		 FROM {table:Identifier}
		 WHERE toYYYYMM(ts) IN {months:Array(UInt32)} AND ingest_block IN {blocks:Array(UUID)}`,
		{
			table: RAW_TABLE[kind],
			months: [...new Set(blocks.map((b) => b.month))],
			blocks: blocks.map((b) => b.ingest_block)
		}
	);
	return r && Number(r.n) > 0 ? { from: Number(r.a), to: Number(r.b) } : null;
}
