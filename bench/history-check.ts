/**
 * npx tsx bench/history-check.ts — a quick look at bench/history.ts on a temporary chDB:
 *  1. the seed registry, one school week (2025-09-08..2025-09-14, all schools): rows per kind,
 *     seconds, and sanity figures from the rollups (city attendance per day, rural vs city,
 *     device uptime, library use, completeness, rows in the 1h rollups);
 *  2. the two device paths agree: the same week once through device_raw and the views, once
 *     aggregated straight into device_1h / device_1d;
 *  3. with FULL=1, the school year 2025-09-05..2026-05-29 (DEVICES=auto|raw|rollup picks the
 *     device path, default auto): rows, seconds and disk MB.
 * The temporary data directory is removed at the end.
 */
import { rows, type CH } from '#server/platform/clickhouse/client';
import { seedRegistry } from '#server/platform/registry/seed';
import { applyRegistry, loadRegistry } from '#server/platform/registry/store';
import { civil, dateKey, dayOf, schoolHours } from '#shared/calendar';
import { RURAL_DISTRICTS } from '#ingest/feed/simulator';
import { startClickHouse } from '#harness/chdb';
import { generateHistory, type HistoryOptions } from './history';

const say = (s: string) => console.log(s);
const RURAL = [...RURAL_DISTRICTS];
const dayNum = (s: string) => dayOf(...(s.split('-').map(Number) as [number, number, number]));
const isoDay = (d: number) => dateKey(d).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');
const WEEK = { from: '2025-09-08', to: '2025-09-14' };
const FULL_YEAR = { from: '2025-09-05', to: '2026-05-29' };
const TELEMETRY_TABLES = ['attendance', 'device', 'library', 'completeness'].flatMap((k) =>
	['raw', '1m', '1h', '1d'].map((s) => `${k}_${s}`)
);

async function truncateTelemetry(ch: CH): Promise<void> {
	for (const t of TELEMETRY_TABLES)
		await ch.command({ query: 'TRUNCATE TABLE {t:Identifier}', query_params: { t } });
}

function table(r: Record<string, unknown>[]): void {
	console.table(r);
}

async function sanity(
	ch: CH,
	range: { from: string; to: string },
	by: 'day' | 'month' = 'day'
): Promise<void> {
	const p = range;
	// the grouping key: one of two fixed SQL fragments
	const per = (col: string) => (by === 'month' ? `toStartOfMonth(${col})` : col);
	say(
		`city attendance per ${by} (attendance_1d), rural = vinh-thanh, co-do, thoi-lai, phong-dien:`
	);
	table(
		await rows(
			ch,
			`SELECT ${per('a.day')} AS period, sum(a.reports) AS reports, sum(a.enrolled) AS enrolled,
			        round(100 * sum(a.present) / sum(a.enrolled), 2) AS present_pct,
			        round(100 * sumIf(a.present, s.rural) / sumIf(a.enrolled, s.rural), 2) AS rural_pct,
			        round(100 * sumIf(a.present, NOT s.rural) / sumIf(a.enrolled, NOT s.rural), 2) AS city_pct,
			        round(100 * sum(a.absent_unexcused) / greatest(1, sum(a.enrolled - a.present)), 1) AS unexcused_pct_of_absent
			 FROM attendance_1d AS a
			 INNER JOIN (SELECT school_id, area_id IN {rural:Array(String)} AS rural FROM schools FINAL) AS s USING school_id
			 WHERE a.day BETWEEN {from:Date} AND {to:Date} GROUP BY period ORDER BY period`,
			{ ...p, rural: RURAL }
		)
	);
	// Uptime as the wall counts it: up-seconds over the scheduled device-seconds of school hours
	// (a cut-off school sends nothing, so up/reported alone would not show outages).
	const scheduled = new Map<string, { city: number; rural: number }>();
	const reg = await loadRegistry(ch);
	for (let d = dayNum(range.from); d <= dayNum(range.to); d++) {
		const { year, month } = civil(d);
		const key = by === 'month' ? `${year}-${String(month).padStart(2, '0')}-01` : isoDay(d);
		const e = scheduled.get(key) ?? { city: 0, rural: 0 };
		for (const sc of reg.schools) {
			const secs =
				schoolHours({ day: d }, sc.levels).reduce((n, [a, b]) => n + (b - a) * 60, 0) * sc.devices;
			if (RURAL.includes(sc.area_id)) e.rural += secs;
			else e.city += secs;
		}
		scheduled.set(key, e);
	}
	const dev = await rows<Record<string, string>>(
		ch,
		`SELECT toString(${per('day')}) AS period, sum(heartbeats) AS heartbeats, round(100 * sum(up_seconds) / sum(reported_seconds), 2) AS up_of_reported_pct,
		        sumIf(up_seconds, rural) AS up_rural, sumIf(up_seconds, NOT rural) AS up_city,
		        sum(went_down) AS went_down, sum(n) AS devices, sum(n_up) AS devices_up
		 FROM (SELECT school_id, day, sum(heartbeats) AS heartbeats, sum(up_seconds) AS up_seconds, sum(reported_seconds) AS reported_seconds,
		              sum(went_down) AS went_down, uniqMerge(devices) AS n, uniqMerge(devices_up) AS n_up
		       FROM device_1d WHERE day BETWEEN {from:Date} AND {to:Date} GROUP BY school_id, day) AS x
		 INNER JOIN (SELECT school_id, area_id IN {rural:Array(String)} AS rural FROM schools FINAL) AS s USING school_id
		 GROUP BY period ORDER BY period`,
		{ ...p, rural: RURAL }
	);
	say(
		`devices per ${by} (device_1d): uptime = up-seconds / scheduled device-seconds; devices = sum over days of devices seen:`
	);
	table(
		dev.map(({ up_rural, up_city, ...r }) => {
			const sch = scheduled.get(r.period) ?? { city: 0, rural: 0 };
			const pct = (a: number, b: number) => (b ? Math.round((10000 * a) / b) / 100 : null);
			return {
				...r,
				uptime_pct: pct(Number(up_rural) + Number(up_city), sch.rural + sch.city),
				rural_pct: pct(Number(up_rural), sch.rural),
				city_pct: pct(Number(up_city), sch.city)
			};
		})
	);
	say(`library and completeness per ${by}:`);
	table(
		await rows(
			ch,
			`SELECT period, l.schools AS lib_schools, l.visits AS visits, l.loans AS loans, l.ebook_opens AS ebook_opens,
			        c.schools AS cmp_schools, c.filled_pct AS filled_pct, c.dept_sync_age_h AS dept_sync_age_h
			 FROM (SELECT ${per('day')} AS period, uniqExact(school_id) AS schools, sum(visits) AS visits, sum(loans) AS loans, sum(ebook_opens) AS ebook_opens
			       FROM library_1d WHERE day BETWEEN {from:Date} AND {to:Date} GROUP BY period) AS l
			 FULL JOIN (SELECT ${per('day')} AS period, uniqExact(school_id) AS schools,
			                   round(100 * sum(f) / sum(r), 2) AS filled_pct,
			                   round(avg(dateDiff('second', dept, toDateTime(day, 'Asia/Ho_Chi_Minh') + 6 * 3600)) / 3600, 1) AS dept_sync_age_h
			            FROM (SELECT school_id, dataset, day, argMaxMerge(required_fields) AS r, argMaxMerge(filled_fields) AS f,
			                         max(last_sync_department) AS dept
			                  FROM completeness_1d WHERE day BETWEEN {from:Date} AND {to:Date} GROUP BY school_id, dataset, day)
			            GROUP BY period) AS c USING period
			 ORDER BY period`,
			p
		)
	);
	say('rows in the rollups:');
	table(
		await rows(
			ch,
			`SELECT 'attendance_1h' AS t, count() AS rows, sum(reports) AS reports FROM attendance_1h
			 UNION ALL SELECT 'device_1h', count(), sum(heartbeats) FROM device_1h
			 UNION ALL SELECT 'library_1h', count(), sum(reports) FROM library_1h
			 UNION ALL SELECT 'completeness_1h', count(), sum(reports) FROM completeness_1h
			 UNION ALL SELECT 'attendance_raw', count(), 0 FROM attendance_raw
			 UNION ALL SELECT 'device_raw', count(), 0 FROM device_raw`
		)
	);
	const sample = await rows<Record<string, unknown>>(
		ch,
		`SELECT 'attendance' AS kind, event_id, toString(ts) AS ts, class AS what FROM (SELECT * FROM attendance_raw ORDER BY event_id LIMIT 1)
		 UNION ALL SELECT 'library', event_id, toString(ts), toString(visits) FROM (SELECT * FROM library_raw ORDER BY event_id LIMIT 1)
		 UNION ALL SELECT 'completeness', event_id, toString(ts), arrayStringConcat(missing_fields, ',') FROM (SELECT * FROM completeness_raw WHERE length(missing_fields) > 0 ORDER BY event_id LIMIT 1)`
	);
	if (sample.length) {
		say('sample raw rows (rows older than the raw TTLs are dropped on insert):');
		table(sample);
	}
}

/** device_1h per school and hour, as comparable text. */
async function deviceSnapshot(ch: CH): Promise<Map<string, string>> {
	const r = await rows<{ k: string; v: string }>(
		ch,
		`SELECT concat(school_id, ' ', toString(bucket)) AS k,
		        concat(toString(sum(heartbeats)), '/', toString(sum(up_heartbeats)), '/', toString(sum(up_seconds)), '/', toString(sum(reported_seconds)),
		               '/', toString(sum(went_down)), '/', toString(uniqMerge(devices)), '/', toString(uniqMerge(devices_up))) AS v
		 FROM device_1h GROUP BY school_id, bucket`
	);
	return new Map(r.map((x) => [x.k, x.v]));
}
async function deviceDaySnapshot(ch: CH): Promise<string> {
	const r = await rows<{ v: string }>(
		ch,
		`SELECT toString(groupArray((school_id, day, h, u, us, rs, wd, n, nu))) AS v FROM (
		   SELECT school_id, day, sum(heartbeats) AS h, sum(up_heartbeats) AS u, sum(up_seconds) AS us, sum(reported_seconds) AS rs,
		          sum(went_down) AS wd, uniqMerge(devices) AS n, uniqMerge(devices_up) AS nu
		   FROM device_1d GROUP BY school_id, day ORDER BY school_id, day)`
	);
	return r[0].v;
}

/** device_unit_1d per device and day, as comparable text. */
async function deviceUnitSnapshot(ch: CH): Promise<string> {
	const r = await rows<{ v: string }>(
		ch,
		`SELECT toString(groupArray((school_id, day, device_id, room, kind, us, h, wd, t, st, rs))) AS v FROM (
		   SELECT school_id, day, device_id, argMaxMerge(room) AS room, argMaxMerge(device_kind) AS kind, sum(up_seconds) AS us,
		          sum(heartbeats) AS h, sum(went_down) AS wd, max(last_ts) AS t, argMaxMerge(last_state) AS st, 0 AS rs
		   FROM device_unit_1d GROUP BY school_id, day, device_id ORDER BY school_id, day, device_id)`
	);
	return r[0].v;
}

async function diskMb(ch: CH): Promise<{ total: number; byTable: Record<string, unknown>[] }> {
	const byTable = await rows<{ table: string; rows: string; mb: number }>(
		ch,
		`SELECT table, sum(rows) AS rows, round(sum(bytes_on_disk) / 1e6, 1) AS mb FROM system.parts WHERE active GROUP BY table HAVING mb > 0.1 ORDER BY mb DESC`
	);
	const total = await rows<{ mb: number }>(
		ch,
		`SELECT round(sum(bytes_on_disk) / 1e6, 1) AS mb FROM system.parts WHERE active`
	);
	return { total: Number(total[0].mb), byTable };
}

const db = await startClickHouse();
try {
	await applyRegistry(db.ch, seedRegistry(), { source: 'history-check', mode: 'replace' });

	// 1. one week, all schools
	const week = await generateHistory(db.ch, WEEK, say);
	say(
		`week ${WEEK.from}..${WEEK.to}: ${JSON.stringify(week.rows)} in ${week.seconds.toFixed(1)} s`
	);
	await sanity(db.ch, WEEK);

	// 2. both device paths give the same rollups
	const rollupPath = await deviceSnapshot(db.ch);
	const rollupDays = await deviceDaySnapshot(db.ch);
	const rollupUnits = await deviceUnitSnapshot(db.ch);
	for (const t of ['device_rollup', 'device_unit_1d'])
		await db.ch.command({ query: 'TRUNCATE TABLE {t:Identifier}', query_params: { t } });
	const raw = await generateHistory(db.ch, { ...WEEK, kinds: ['device'], devices: 'raw' });
	const rawPath = await deviceSnapshot(db.ch);
	const rawDays = await deviceDaySnapshot(db.ch);
	const rawUnits = await deviceUnitSnapshot(db.ch);
	const diff = [...new Set([...rollupPath.keys(), ...rawPath.keys()])].filter(
		(k) => rollupPath.get(k) !== rawPath.get(k)
	);
	say(
		`device paths: raw (device_raw + views) ${raw.rows.device.toLocaleString('en')} rows in ${raw.seconds.toFixed(1)} s vs rollup path; ` +
			`device_1h ${rawPath.size} school-hours, ${diff.length} differ; device_1d ${rawDays === rollupDays ? 'identical' : 'DIFFERENT'}; ` +
			`device_unit_1d ${rawUnits === rollupUnits ? 'identical' : 'DIFFERENT'} (${rawUnits.length.toLocaleString('en')} characters)`
	);
	if (rawUnits !== rollupUnits) {
		let i = 0;
		while (i < rawUnits.length && rawUnits[i] === rollupUnits[i]) i++;
		say(
			`  device_unit_1d first differs at ${i}: rollup …${rollupUnits.slice(i - 120, i + 80)} raw …${rawUnits.slice(i - 120, i + 80)}`
		);
	}
	for (const k of diff.slice(0, 5))
		say(`  ${k}: rollup ${rollupPath.get(k)} raw ${rawPath.get(k)}`);

	// 3. the whole school year
	if (process.env.FULL === '1') {
		await truncateTelemetry(db.ch);
		const devices = (process.env.DEVICES ?? 'auto') as HistoryOptions['devices'];
		const year = await generateHistory(db.ch, { ...FULL_YEAR, devices }, say);
		const disk = await diskMb(db.ch);
		const total = Object.values(year.rows).reduce((a, b) => a + b, 0);
		say(
			`full year ${FULL_YEAR.from}..${FULL_YEAR.to} (devices ${devices}): ${JSON.stringify(year.rows)} = ${total.toLocaleString('en')} rows ` +
				`in ${year.seconds.toFixed(1)} s (${Math.round(total / year.seconds).toLocaleString('en')} rows/s), disk ${disk.total} MB`
		);
		table(disk.byTable);
		await sanity(db.ch, { from: '2025-09-01', to: '2026-06-01' }, 'month');
	}
} finally {
	await db.cleanup();
}
