/**
 * npm run bench:ingest-profile — where a flush's time goes (issue 16's "profile first").
 *
 * A flush at 2,000 events/s holds ~100 events of the four kinds: one dedup lookup and one
 * insert per kind, each insert writing its raw part and every materialized view's part. To see
 * what each piece costs on this machine, the same schema is built several times side by side in
 * one chDB (one database per variant, each with a piece removed) and the same kind of flush is
 * written to each in turn, round after round, so a noisy machine slows every variant alike:
 * compare the ratios. Variants: the whole schema; without the rollups' time projections; without the raw tables' skip indexes (0011); raw tables
 * only (no views); the whole schema with the views written side by side
 * (parallel_view_processing = 1; ingest leaves it at ClickHouse's default, 0); and the schema
 * before migration 0013, each grain in a table of its own written by its own view. Then the
 * lookups: one query per kind against one UNION ALL for all kinds.
 * Last line: ingest-profile flush_ms=<n> raw_only_ms=<n> views_share=<n> parallel_views_ms=<n> three_rollups_per_kind_ms=<n> lookup_ms=<n> lookup_per_kind_ms=<n>
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { RAW_TABLE, toRow } from '#ingest/rows';
import { ClickHouseWriter } from '#ingest/writer';
import { validateMessage, type EventOf, type TelemetryKind } from '#shared/contract';
import { rows } from '#server/platform/clickhouse/client';
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
const VIEWS = [...ROLLUPS.map((k) => `${k}_rollup_mv`), 'device_unit_1d_mv'];
/** Statements that change a variant's schema, run in its database after the migrations. */
type Change = string | ((database: string) => Promise<string[]>);
const VARIANTS: Record<string, Change[]> = {
	whole: [],
	no_projections: ROLLUPS.map((k) => `ALTER TABLE ${k}_rollup DROP PROJECTION by_bucket`),
	no_skip_indexes: ROLLUPS.flatMap((k) => [
		`ALTER TABLE ${k}_raw DROP INDEX stream_seq_mm`,
		`ALTER TABLE ${k}_raw DROP INDEX ingested_at_mm`
	]),
	raw_only: VIEWS.map((v) => `DROP VIEW ${v}`),
	// the schema before migration 0013, for comparison: each grain in its own table (with the time
	// projection) written by its own view, the view's SELECT being the real one for that grain
	three_rollups_per_kind: ROLLUPS.map((k) => async (database: string) => {
		const [{ q }] = await rows<{ q: string }>(
			db.ch,
			`SELECT as_select AS q FROM system.tables WHERE database = {d:String} AND name = {n:String}`,
			{ d: database, n: `${k}_rollup_mv` }
		);
		return [
			`DROP VIEW ${k}_rollup_mv`,
			...[1, 2, 3].flatMap((g) => [
				`CREATE TABLE ${k}_g${g} AS ${k}_rollup`,
				`CREATE MATERIALIZED VIEW ${k}_g${g}_mv TO ${k}_g${g} AS ${q.replace(/ARRAY JOIN \[1, 2, 3, 4\]/, `ARRAY JOIN [${g}]`)}`
			]),
			// and day_versions fed by a view of its own (migration 0008)
			`CREATE TABLE IF NOT EXISTS dv (kind LowCardinality(String), day Date, events UInt64)
			 ENGINE = SummingMergeTree ORDER BY (kind, day) SETTINGS non_replicated_deduplication_window = 40000`,
			`CREATE MATERIALIZED VIEW ${k}_dv_mv TO dv AS
			 SELECT '${k}' AS kind, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS events FROM ${k}_raw GROUP BY day`
		];
	})
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
		for (const c of changes)
			for (const q of typeof c === 'string' ? [c] : await c(`p_${name}`))
				await db.ch.command({ query: q });
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
		`ingest-profile flush_ms=${whole.toFixed(1)} raw_only_ms=${med('raw_only').toFixed(1)} views_share=${(1 - med('raw_only') / whole).toFixed(2)} parallel_views_ms=${med('whole_parallel_views').toFixed(1)} three_rollups_per_kind_ms=${med('three_rollups_per_kind').toFixed(1)} lookup_ms=${pct(one, 50).toFixed(1)} lookup_per_kind_ms=${pct(perKind, 50).toFixed(1)}`
	);
} finally {
	await db.cleanup();
}
