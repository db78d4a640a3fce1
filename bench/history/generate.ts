/**
 * generateHistory: the helper tables filled from rows.ts, then the volume expanded in SQL
 * (sql.ts, device-sql.ts) chunk by chunk, and the rows counted from the *_1d rollups.
 */
import { rows, type CH } from '#server/platform/clickhouse/client';
import { loadRegistry } from '#server/platform/registry/store';
import { DAY_MS, localDay } from '#shared/calendar';
import { chunksOf, isoDate, parseDate } from './days';
import {
	DEVICE_CHANGES_COUNT_SQL,
	DEVICE_HOUR_SQL,
	DEVICE_RAW_SQL,
	DEVICE_UNIT_SQL
} from './device-sql';
import {
	classRows,
	datasetRows,
	dayRow,
	deviceRows,
	schoolFacts,
	type DayRow,
	type SchoolFacts
} from './rows';
import { ATTENDANCE_SQL, COMPLETENESS_SQL, DDL, LIBRARY_SQL, T } from './sql';

/** device_rollup's columns as device_1h has them (its `events`, only read from the city-wide grain, stays 0 here) */
const DEVICE_COLS =
	'school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up';

export type HistoryKind = 'attendance' | 'device' | 'library' | 'completeness';

export interface HistoryOptions {
	/** first day, local (Vietnam) date 'YYYY-MM-DD' */
	from: string;
	/** last day, inclusive */
	to: string;
	/** only the first n schools (by school_id), for quick tests */
	schools?: number;
	/** only these kinds (default: all four) */
	kinds?: readonly HistoryKind[];
	/**
	 * Device heartbeats: 'auto' (default) writes raw rows for days inside device_raw's 90-day TTL
	 * and rollups (device_1h, device_1d: grains of device_rollup) for older days; 'raw' / 'rollup' force one path.
	 */
	devices?: 'auto' | 'raw' | 'rollup';
	/** days per chunk (default: calendar months) */
	chunkDays?: number;
}

export interface HistoryResult {
	/** rows generated per kind (for device: heartbeats + change events, whichever path) */
	rows: Record<HistoryKind, number>;
	seconds: number;
}

const KINDS: readonly HistoryKind[] = ['attendance', 'device', 'library', 'completeness'];

async function dropHelpers(ch: CH): Promise<void> {
	for (const t of Object.values(T)) await ch.command({ query: `DROP TABLE IF EXISTS ${t}` });
}

async function insertAll(ch: CH, table: string, values: Record<string, unknown>[]): Promise<void> {
	for (let i = 0; i < values.length; i += 20_000)
		await ch.insert({ table, values: values.slice(i, i + 20_000), format: 'JSONEachRow' });
}

const num = async (ch: CH, query: string, params: Record<string, unknown>) =>
	Number((await rows<{ n: string }>(ch, query, params))[0]?.n ?? 0);

/** Rows that reached the views for a range: the *_1d rollups count every raw row (device: heartbeats). */
const SUM_1D: Record<HistoryKind, string> = {
	attendance: `SELECT sum(reports) AS n FROM attendance_1d WHERE day BETWEEN {from:Date} AND {to:Date} AND school_id IN {ids:Array(String)}`,
	library: `SELECT sum(reports) AS n FROM library_1d WHERE day BETWEEN {from:Date} AND {to:Date} AND school_id IN {ids:Array(String)}`,
	completeness: `SELECT sum(reports) AS n FROM completeness_1d WHERE day BETWEEN {from:Date} AND {to:Date} AND school_id IN {ids:Array(String)}`,
	device: `SELECT sum(heartbeats) AS n FROM device_1d WHERE day BETWEEN {from:Date} AND {to:Date} AND school_id IN {ids:Array(String)}`
};

/**
 * Generate telemetry history for [from, to] (local days, both included) for the schools of the
 * registry already in ClickHouse, straight into the raw tables (and, for device days past
 * device_raw's TTL, into device_1h / device_1d). See the comment at the top of this file.
 */
export async function generateHistory(
	ch: CH,
	opts: HistoryOptions,
	log: (s: string) => void = () => {}
): Promise<HistoryResult> {
	const t0 = performance.now();
	const from = parseDate(opts.from, 'from');
	const to = parseDate(opts.to, 'to');
	if (to < from) throw new Error(`history: 'to' (${opts.to}) is before 'from' (${opts.from})`);
	const kinds = new Set(opts.kinds ?? KINDS);
	const deviceMode = opts.devices ?? 'auto';

	const reg = await loadRegistry(ch);
	let schools = [...reg.schools].sort((a, b) =>
		a.school_id < b.school_id ? -1 : a.school_id > b.school_id ? 1 : 0
	);
	if (opts.schools !== undefined) schools = schools.slice(0, Math.max(0, opts.schools));
	if (schools.length === 0)
		throw new Error('history: no schools in ClickHouse (apply the registry first)');
	const ids = schools.map((s) => s.school_id);
	const facts: SchoolFacts[] = schools.map((school) => schoolFacts(school, reg.areas));

	// device days still inside device_raw's TTL (90 days before ClickHouse's now) get raw rows
	const nowMs =
		Number((await rows<{ t: string }>(ch, `SELECT toUnixTimestamp(now()) AS t`))[0].t) * 1000;
	const rawFrom =
		deviceMode === 'raw'
			? -Infinity
			: deviceMode === 'rollup'
				? Infinity
				: localDay(nowMs - 90 * DAY_MS) + 1;

	await dropHelpers(ch);
	try {
		for (const q of DDL) await ch.command({ query: q });
		const dayRows: DayRow[] = [];
		for (const f of facts)
			for (let d = from; d <= to; d++) {
				const r = dayRow(f, d);
				if (r) dayRows.push(r);
			}
		await insertAll(ch, T.days, dayRows as unknown as Record<string, unknown>[]);
		await insertAll(ch, T.classes, facts.flatMap(classRows));
		await insertAll(ch, T.devices, facts.flatMap(deviceRows));
		await insertAll(ch, T.datasets, facts.flatMap(datasetRows));
		log(
			`history ${opts.from}..${opts.to}: ${schools.length} schools, ${dayRows.length} school-days, devices ${deviceMode}` +
				(deviceMode === 'auto'
					? ` (raw rows from ${isoDate(Math.max(from, Math.min(to + 1, rawFrom)))})`
					: '') +
				`, helper tables ${((performance.now() - t0) / 1000).toFixed(1)} s`
		);

		const total: Record<HistoryKind, number> = {
			attendance: 0,
			device: 0,
			library: 0,
			completeness: 0
		};
		for (const [a, b] of chunksOf(from, to, opts.chunkDays)) {
			const params = { from: isoDate(a), to: isoDate(b) };
			const counted = { ...params, ids };
			const parts: string[] = [];
			const run = async (kind: HistoryKind, work: () => Promise<number | void>) => {
				if (!kinds.has(kind)) return;
				const s = performance.now();
				const before = await num(ch, SUM_1D[kind], counted);
				const extra = (await work()) ?? 0;
				const n = (await num(ch, SUM_1D[kind], counted)) - before + extra;
				total[kind] += n;
				parts.push(
					`${kind} ${n.toLocaleString('en')} (${((performance.now() - s) / 1000).toFixed(1)} s)`
				);
			};
			await run('attendance', () =>
				ch.command({ query: ATTENDANCE_SQL, query_params: params }).then(() => {})
			);
			await run('library', () =>
				ch.command({ query: LIBRARY_SQL, query_params: params }).then(() => {})
			);
			await run('completeness', () =>
				ch.command({ query: COMPLETENESS_SQL, query_params: params }).then(() => {})
			);
			await run('device', async () => {
				let changes = 0;
				// split the chunk where raw rows start
				const spans: [number, number, boolean][] = [];
				if (b < rawFrom) spans.push([a, b, false]);
				else if (a >= rawFrom) spans.push([a, b, true]);
				else spans.push([a, rawFrom - 1, false], [rawFrom, b, true]);
				for (const [x, y, raw] of spans) {
					const p = { from: isoDate(x), to: isoDate(y) };
					changes += await num(ch, DEVICE_CHANGES_COUNT_SQL, p);
					if (raw) {
						await ch.command({ query: DEVICE_RAW_SQL, query_params: p });
					} else {
						await ch.command({ query: `TRUNCATE TABLE ${T.deviceHour}` });
						await ch.command({ query: DEVICE_HOUR_SQL, query_params: p });
						// the hour grain (2) and the day grain (3) of device_rollup (migration 0013)
						await ch.command({
							query: `INSERT INTO device_rollup (grain, ${DEVICE_COLS}) SELECT 2, ${DEVICE_COLS} FROM ${T.deviceHour}`
						});
						await ch.command({ query: DEVICE_UNIT_SQL, query_params: p });
						await ch.command({
							query: `INSERT INTO device_rollup (grain, ${DEVICE_COLS})
								SELECT 3 AS grain, school_id, toDateTime(toDate(bucket, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh') AS day_start,
								       sum(heartbeats), sum(up_heartbeats), sum(up_seconds),
								       sum(reported_seconds), sum(went_down), uniqMergeState(devices), uniqMergeState(devices_up)
								FROM ${T.deviceHour} GROUP BY school_id, day_start`
						});
						// rows written straight to the rollups count in the days' versions as ingest's would
						await ch.command({
							query: `INSERT INTO day_version_bumps SELECT 'device', toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, sum(heartbeats) FROM ${T.deviceHour} GROUP BY day`
						});
					}
				}
				return changes;
			});
			log(`  ${params.from}..${params.to}: ${parts.join(', ')}`);
		}
		const seconds = (performance.now() - t0) / 1000;
		log(
			`history done: ${KINDS.map((k) => `${k} ${total[k].toLocaleString('en')}`).join(', ')} rows in ${seconds.toFixed(1)} s`
		);
		return { rows: total, seconds };
	} finally {
		await dropHelpers(ch);
	}
}
