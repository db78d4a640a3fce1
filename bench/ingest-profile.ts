/**
 * npm run bench:ingest-profile — where a flush's time goes (issue 16's "profile first").
 *
 * A flush at 2,000 events/s holds ~100 events of the four kinds: one dedup lookup and one
 * insert per kind, each insert writing its raw part and every materialized view's part. To see
 * what each piece costs on this machine, the same schema is built several times side by side in
 * one chDB (one database per variant, each with a piece removed) and the same kind of flush is
 * written to each in turn, round after round, so a noisy machine slows every variant alike:
 * compare the ratios. Variants: the whole schema; without the rollups' time projections (0009);
 * without day_versions' views (0008); without the raw tables' skip indexes (0011); raw tables
 * only (no views); the whole schema with the views written side by side
 * (parallel_view_processing = 1; ingest leaves it at ClickHouse's default, 0); and a sketch of a leaner schema, each kind's
 * three rollups in one table written by one view. Then the lookups: one query per kind
 * against one UNION ALL for all kinds.
 * Last line: ingest-profile flush_ms=<n> raw_only_ms=<n> views_share=<n> parallel_views_ms=<n> one_rollup_per_kind_ms=<n> lookup_ms=<n> lookup_per_kind_ms=<n>
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { RAW_TABLE, toRow } from '#ingest/rows';
import { ClickHouseWriter } from '#ingest/writer';
import { validateMessage, type EventOf, type TelemetryKind } from '#shared/contract';
import { migrate } from '#server/platform/clickhouse/migrations';
import { setLogLevel } from '#server/platform/log';
import { RegistryCache } from '#server/platform/registry/cache';
import { seedRegistry } from '#server/platform/registry/seed';
import { applyRegistry } from '#server/platform/registry/store';
import { startClickHouse } from '#harness/chdb';
import { enc, makeEvents } from '#harness/events';
import { pct } from './live-load';

const BATCH = Number(process.env.PROFILE_BATCH ?? 100);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 60);
setLogLevel('warn');

const ROLLUPS = ['attendance', 'device', 'library', 'completeness'];
const VIEWS = [
	...ROLLUPS.flatMap((k) => [`${k}_1m_mv`, `${k}_1h_mv`, `${k}_1d_mv`, `day_versions_${k}_mv`]),
	'device_unit_1d_mv'
];
const VARIANTS: Record<string, string[]> = {
	whole: [],
	no_projections: ROLLUPS.flatMap((k) => [
		`ALTER TABLE ${k}_1m DROP PROJECTION by_bucket`,
		`ALTER TABLE ${k}_1h DROP PROJECTION by_bucket`
	]),
	no_day_versions: ROLLUPS.map((k) => `DROP VIEW day_versions_${k}_mv`),
	no_skip_indexes: ROLLUPS.flatMap((k) => [
		`ALTER TABLE ${k}_raw DROP INDEX stream_seq_mm`,
		`ALTER TABLE ${k}_raw DROP INDEX ingested_at_mm`
	]),
	raw_only: VIEWS.map((v) => `DROP VIEW ${v}`),
	// a sketch of a leaner schema: each kind's minute, hour and day rollups as one table written
	// by one view (a grain column, ARRAY JOIN over the three grains), with its time projection
	one_rollup_per_kind: ROLLUPS.flatMap((k) => [
		`DROP VIEW ${k}_1m_mv`,
		`DROP VIEW ${k}_1h_mv`,
		`DROP VIEW ${k}_1d_mv`,
		`CREATE TABLE ${k}_roll (grain UInt8, school_id LowCardinality(String), bucket DateTime('UTC'),
		   reports SimpleAggregateFunction(sum, UInt64), a SimpleAggregateFunction(sum, UInt64),
		   b SimpleAggregateFunction(sum, UInt64), c SimpleAggregateFunction(sum, UInt64),
		   PROJECTION by_bucket (SELECT * ORDER BY bucket))
		 ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(bucket) ORDER BY (grain, school_id, bucket)
		 SETTINGS non_replicated_deduplication_window = 10000, deduplicate_merge_projection_mode = 'rebuild'`,
		`CREATE MATERIALIZED VIEW ${k}_roll_mv TO ${k}_roll AS
		 SELECT g AS grain, school_id,
		        multiIf(g = 0, toStartOfMinute(ts), g = 1, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'))) AS bucket,
		        count() AS reports, count() AS a, count() AS b, count() AS c
		 FROM ${k}_raw ARRAY JOIN [0, 1, 2] AS g GROUP BY grain, school_id, bucket`
	])
};
// as ingest inserts (ingest/writer.ts): its own token, the views' parts deduplicated with it
const AS_INGEST = 'deduplicate_blocks_in_dependent_materialized_views = 1';
const PARALLEL = `${AS_INGEST}, parallel_view_processing = 1`;

const db = await startClickHouse();
try {
	const reg = seedRegistry();
	await applyRegistry(db.ch, reg, { source: 'bench', mode: 'replace' });
	const registry = new RegistryCache(db.ch);
	await registry.reload();
	// chDB keeps one session per process: USE switches where the migrations create their tables
	for (const [name, changes] of Object.entries(VARIANTS)) {
		await db.ch.command({ query: `CREATE DATABASE IF NOT EXISTS p_${name}` });
		await db.ch.command({ query: `USE p_${name}` });
		await migrate(db.ch);
		for (const q of changes) await db.ch.command({ query: q });
	}
	await db.ch.command({ query: 'USE default' });
	const runs = [
		...Object.keys(VARIANTS).map((v) => ({ name: v, db: `p_${v}`, set: AS_INGEST })),
		{ name: 'whole_parallel_views', db: 'p_whole', set: PARALLEL }
	];
	const events = makeEvents(BATCH * ROUNDS * runs.length, reg.schools, 'prof').map((m) => {
		const r = validateMessage(m.subject, enc.encode(JSON.stringify(m.event)), registry);
		if (!r.ok) throw new Error(r.detail);
		return r.event as EventOf<TelemetryKind>;
	});
	console.log(
		`profile: ${ROUNDS} rounds of ${BATCH}-event flushes into ${runs.length} variants, cpus ${(await import('node:os')).cpus().length}`
	);
	let offset = 0;
	const flush = async (database: string, set: string) => {
		const byKind = new Map<TelemetryKind, string[]>();
		for (const e of events.slice(offset, (offset += BATCH)))
			(byKind.get(e.kind) ?? byKind.set(e.kind, []).get(e.kind)!).push(JSON.stringify(toRow(e)));
		const t0 = performance.now();
		for (const [kind, lines] of byKind) {
			const r = await db.ch.exec({
				query: `INSERT INTO ${database}.${RAW_TABLE[kind]} SETTINGS insert_deduplication_token = '${randomUUID()}', ${set} FORMAT JSONEachRow`,
				values: Readable.from([lines.join('\n')])
			});
			r.stream.resume();
		}
		return performance.now() - t0;
	};
	const times = new Map<string, number[]>(runs.map((r) => [r.name, []]));
	for (let round = 0; round < ROUNDS; round++)
		for (const r of runs) times.get(r.name)!.push(await flush(r.db, r.set));
	const med = (name: string) => pct(times.get(name)!, 50);
	const whole = med('whole');
	for (const r of runs)
		console.log(
			`${r.name.padEnd(20)} flush p50 ${med(r.name).toFixed(1)} ms, p95 ${pct(times.get(r.name)!, 95).toFixed(1)} ms (${(med(r.name) / whole).toFixed(2)} of whole)`
		);

	// lookups: the whole schema's tables hold ROUNDS flushes now; ask for the last flush's ids
	await db.ch.command({ query: 'USE p_whole' });
	const writer = new ClickHouseWriter(db.ch);
	const groups = new Map<TelemetryKind, EventOf<TelemetryKind>[]>();
	for (const e of events.slice(0, BATCH))
		(groups.get(e.kind) ?? groups.set(e.kind, []).get(e.kind)!).push(e);
	const one: number[] = [];
	const perKind: number[] = [];
	for (let i = 0; i < ROUNDS; i++) {
		let t0 = performance.now();
		await writer.existingIds(groups);
		one.push(performance.now() - t0);
		t0 = performance.now();
		for (const [kind, list] of groups) await writer.existingIds(new Map([[kind, list]]));
		perKind.push(performance.now() - t0);
	}
	await db.ch.command({ query: 'USE default' });
	console.log(
		`lookup: one query for ${groups.size} kinds p50 ${pct(one, 50).toFixed(1)} ms; one query per kind p50 ${pct(perKind, 50).toFixed(1)} ms`
	);
	console.log(
		`ingest-profile flush_ms=${whole.toFixed(1)} raw_only_ms=${med('raw_only').toFixed(1)} views_share=${(1 - med('raw_only') / whole).toFixed(2)} parallel_views_ms=${med('whole_parallel_views').toFixed(1)} one_rollup_per_kind_ms=${med('one_rollup_per_kind').toFixed(1)} lookup_ms=${pct(one, 50).toFixed(1)} lookup_per_kind_ms=${pct(perKind, 50).toFixed(1)}`
	);
} finally {
	await db.cleanup();
}
