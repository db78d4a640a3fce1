/**
 * Demo history: a school year (or any range of days) of telemetry for every school, written
 * straight into an already-migrated ClickHouse / chDB with `INSERT … SELECT` generated in SQL.
 * Going through JSON and the ingest pipeline (~27k rows/s) would take hours; this takes minutes.
 *
 * How it works
 * - The registry is read from ClickHouse with `loadRegistry` (per school_id the newest row of a
 *   committed import, active only — the same reader the app uses), so the caller must have run
 *   `applyRegistry` first. `schools: n` keeps the first n schools by school_id (quick tests).
 * - Small facts are computed here in TypeScript, with the app's own rules, and loaded into five
 *   helper tables (`_history_*`, Memory engine, dropped at the end):
 *     schools × days  one row per school and school day (calendar.ts: no Sundays, Saturday
 *                     mornings for secondary only, Tết break, public holidays, school hours
 *                     per level): school hours, sessions held, outages, attendance base rate,
 *                     library volume, last sync times;
 *     classes         classesOf() from the simulator (~35 pupils a class, grade from the level:
 *                     preschool 0, primary 1–5, lower secondary 6–9, upper secondary 10–12);
 *     devices         devicesOf() (2,252 devices for the seed registry);
 *     datasets        the nine datasets per school: size, required fields, fields left empty.
 *   School traits (rural, ~5 % flaky, ~3 % chronic absence, ~8 % behind on data, attendance
 *   source) come from the simulator's schoolTraits() and the weather (rainy days May–Nov,
 *   correlated across the city) from its weatherOf(), so history and the live feed agree on
 *   which schools are which.
 * - The volume is expanded in SQL: days × classes × sessions, days × library slots, days ×
 *   datasets, days × devices × minutes. Per-row noise is cityHash64 of ids and day numbers,
 *   never rand(), so a range always regenerates the same rows. Event ids use the simulator's
 *   formats (sim-att-…, sim-dev-…, sim-chg-…, sim-lib-…, sim-cmp-…).
 * - Work goes month by month (a chunk of days at a time), so memory stays bounded; the
 *   materialized views fill the *_1m / *_1h / *_1d rollups from the raw inserts.
 *
 * What it generates (per school day)
 * - attendance: one report per class and session ('morning' / 'afternoon' / 'full_day' as the
 *   simulator shifts them), 07:00–08:00 or 13:30–14:00; ~96 % present in the city, ~93 % in
 *   the rural districts, rainy days cost rural schools 3–7 points (city ~1), Mondays and
 *   Saturdays a little, the days after Tết 3 points; chronic-absence schools 6–10 points.
 * - device: a heartbeat per device per minute of school hours (interval_s 60, status up, or
 *   down/hardware once a device breaks); no heartbeats while the school is cut off: flaky
 *   schools lose power or internet for 10–60 minutes most days, others rarely (rural 2 %,
 *   city 0.8 % of days), and afternoon downpours cut rural schools in the rainy season;
 *   a few heartbeats go missing (0.1–1 %). Change events: "down/power" when power goes,
 *   "up" when it is back, "down/hardware" when a device breaks.
 * - library (e-library schools only, as the simulator): 15-minute counts (period_s 900) of
 *   loans, returns, e-book opens and visits, busier at breaks and lunch; empty windows skipped.
 * - completeness: the 06:00 status round, one event per dataset, with required/filled fields,
 *   the names of empty fields when filled < required (slowly improving through the year),
 *   and the last department / ministry sync times (nightly syncs, some nights skipped).
 *
 * Device heartbeats: raw rows or rollups
 *   The year 2025-09-05..2026-05-29 has ~195M heartbeats (2,252 devices × ~470 minutes × 184
 *   school days). Measured on this 2-core machine (bench/history-check.ts, FULL=1): all of them
 *   as device_raw rows through the views took 333 s (~0.6M rows/s), against 30 s for the whole
 *   year with the rollup path below. Under the 8-minute budget, but wasted: device_raw keeps 90
 *   days (TTL, applied as rows are written) and device_1m 35 days, so on a clock after August
 *   2026 not one of those raw rows is stored (were they kept: ~19 bytes a row, ~3.7 GB). Hence,
 *   by default (`devices: 'auto'`), only days still inside device_raw's 90-day TTL (counted
 *   back from ClickHouse's now()) get per-device raw rows (and device_1m/1h/1d through the
 *   views); older days are aggregated in SQL from the very same per-minute rows straight into
 *   device_1h, device_1d and device_unit_1d (per device and day) with the views' expressions (heartbeats, up_heartbeats, up_seconds,
 *   reported_seconds, went_down, uniqState(device_id), uniqStateIf(device_id, status = 'up')):
 *   the rollups hold exactly what the views would have produced (history-check.ts generates a
 *   week both ways and compares device_1h and device_1d). `devices: 'raw'` / `'rollup'` force
 *   one path.
 *
 * Caveats
 * - Not idempotent: the rollups are sums, so generating a range twice counts it twice.
 *   Generate into a range that holds no telemetry yet.
 * - The raw tables' TTLs apply at insert: rows older than the TTL (attendance/library/
 *   completeness 400 days, device 90 days, *_1m 35 days) are dropped as they are written;
 *   the views still see them, so the 1h / 1d rollups are complete.
 * - Uses five helper tables named `_history_*`; do not run two generations on one database at
 *   the same time. Row counts are read back from the *_1d rollups (before/after each chunk),
 *   so other writers in the same range at the same time would be counted too.
 * - Days follow calendar.ts, whose school year ends on 25 May: a `to` of 2026-05-29 adds nothing
 *   after the 25th.
 * - Completeness is the 06:00 round on school days only; the live feed also sends the nightly
 *   sync round and reports on holidays.
 * - Event ids follow the live feed's formats, but times and counts are drawn differently: do
 *   not generate days the live feed will also play, or those days hold both.
 */
import { rows, type CH } from '#server/platform/clickhouse/client';
import { loadRegistry } from '#server/platform/registry/store';
import { DATASETS, type Dataset } from '#shared/contract';
import { devicesOf } from '#shared/devices';
import type { School, SchoolLevel } from '#shared/registry';
import {
	DAY_MS,
	civil,
	dateKey,
	dayOf,
	dayStartMs,
	hm,
	isTetBreak,
	localDay,
	minuteIntoHours,
	schoolHours,
	sessionsOn
} from '#shared/calendar';
import { DEFAULT_SEED, classesOf, schoolTraits, weatherOf } from '#ingest/feed/simulator';
import { between, hashStr, mix, mulberry32, u01 } from '#ingest/feed/random';

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
	 * and rollups (device_1h, device_1d) for older days; 'raw' / 'rollup' force one path.
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
const SEED_H = mix(DEFAULT_SEED >>> 0, 0x5eed);
/** Salts for the draws made here (the simulator's own salts run 1–24). */
const SALT = { outage: 101, syncSkip: 102, syncJitter: 103, completeness: 104 } as const;
const T = {
	days: '_history_days',
	classes: '_history_classes',
	devices: '_history_devices',
	datasets: '_history_datasets',
	deviceHour: '_history_device_hour'
} as const;

const DEVICE_SOURCE: Record<string, string> = {
	interactive_board: 'board-fw-4.2',
	projector: 'proj-agent-2.3',
	smart_tv: 'tv-agent-1.6',
	pc: 'pc-agent-3.1',
	library_kiosk: 'kiosk-fw-2.1'
};
const GRADES_TAUGHT: Record<SchoolLevel, number> = {
	preschool: 4,
	primary: 5,
	lower_secondary: 4,
	upper_secondary: 3
};

/** The datasets as the simulator sizes them: fields per record, record count, fields often left empty. */
const DATASET_SPECS: Record<
	Dataset,
	{
		fields: number;
		records: (s: School, classes: number, rural: boolean) => number;
		missing: string[];
	}
> = {
	school: {
		fields: 48,
		records: () => 1,
		missing: [
			'ma_so_thue',
			'so_dien_thoai',
			'email',
			'website',
			'so_quyet_dinh_thanh_lap',
			'ngay_thanh_lap',
			'toa_do_gps'
		]
	},
	sites: {
		fields: 14,
		records: (s, _c, rural) => 1 + (hashStr(s.school_id) % (rural ? 3 : 2)),
		missing: [
			'toa_do_gps',
			'dien_tich_dat',
			'so_giay_chung_nhan_qsdd',
			'khoang_cach_diem_chinh',
			'dia_chi_chi_tiet'
		]
	},
	classes: {
		fields: 16,
		records: (_s, c) => c,
		missing: [
			'giao_vien_chu_nhiem',
			'phong_hoc',
			'so_buoi_hoc_tuan',
			'hoc_ngoai_ngu',
			'ngay_cap_nhat'
		]
	},
	students: {
		fields: 32,
		records: (s) => s.enrolment,
		missing: [
			'so_dien_thoai_phu_huynh',
			'ma_dinh_danh',
			'noi_sinh',
			'dan_toc',
			'dien_chinh_sach',
			'ho_ten_me',
			'ho_ten_cha',
			'ngay_cap_nhat',
			'khuyet_tat'
		]
	},
	staff: {
		fields: 44,
		records: (s) => Math.max(3, Math.round(s.enrolment / 18) + 4),
		missing: [
			'trinh_do_chuyen_mon',
			'chung_chi_tin_hoc',
			'so_so_bhxh',
			'ngay_vao_nganh',
			'hang_chuc_danh_nghe_nghiep',
			'so_dien_thoai'
		]
	},
	facilities: {
		fields: 12,
		records: (s) => s.classrooms + 3 + (hashStr(s.school_id) % 5),
		missing: ['nam_xay_dung', 'tinh_trang', 'dien_tich', 'nguon_von', 'so_thiet_bi_dinh_kem']
	},
	finance: {
		fields: 22,
		records: () => 12,
		missing: [
			'du_toan_ngan_sach',
			'nguon_thu_hoc_phi',
			'chi_thuong_xuyen',
			'ngay_cap_nhat',
			'quyet_toan_nam_truoc'
		]
	},
	enrolment: {
		fields: 18,
		records: (s) =>
			Math.max(
				1,
				Math.round(
					s.enrolment /
						Math.max(
							1,
							s.levels.reduce((n, l) => n + GRADES_TAUGHT[l], 0)
						)
				)
			),
		missing: [
			'ngay_nhap_hoc',
			'truong_cu',
			'ket_qua_tuyen_sinh',
			'noi_thuong_tru',
			'doi_tuong_uu_tien'
		]
	},
	learning_results: {
		fields: 26,
		records: (s) => s.enrolment,
		missing: [
			'diem_trung_binh_hk1',
			'nhan_xet_giao_vien',
			'ket_qua_ren_luyen',
			'ngay_cap_nhat',
			'danh_hieu_thi_dua'
		]
	}
};

// ---------------------------------------------------------------------------------------------
// SQL helpers. Everything variable is a bound parameter; the literals below are salts and
// model constants.

/** A uniform draw in [0, 1) from a hash of SQL expressions. */
const U = (...args: string[]) => `(cityHash64(${args.join(', ')}) % 1000000 / 1000000.)`;
/** A standard-normal-ish draw (Irwin–Hall of four uniforms, scaled to variance 1). */
const Z = (...args: string[]) =>
	`((${[1, 2, 3, 4].map((i) => U(...args, `'z${i}'`)).join(' + ')} - 2) * 1.7320508)`;
/** Local day range and schools: the parameters every generating query takes. */
const DAY_FILTER = `d.day BETWEEN {from:Date} AND {to:Date}`;
/** ts of minute `m` (local) second `s` of the day starting at unix second `t0`. */
const tsAt = (t0: string, m: string, s: string) =>
	`toDateTime64(toDateTime((${t0}) + (${m}) * 60 + (${s}), 'UTC'), 3, 'UTC')`;

const ATTENDANCE_SQL = `
INSERT INTO attendance_raw (event_id, school_id, ts, ingested_at, source, class, grade, session, enrolled, present, absent_excused, absent_unexcused)
SELECT event_id, school_id, ts, ts + toIntervalSecond(20 + cityHash64(event_id) % 240), source, class, grade, session,
       size, size - absent, excused, absent - excused
FROM (
	SELECT *, session,
		concat('sim-att-', sid, '-', key, '-', code, '-', session) AS event_id,
		pow(${U('school_id', 'code', 'dn', 'session', "'minute'")}, 1.6) AS r,
		if(session = 'afternoon', ${hm(13, 30)} + toUInt32(30 * r), ${hm(7)} + toUInt32(60 * r)) AS minute,
		${tsAt('t0', 'minute', `toUInt32(60 * ${U('school_id', 'code', 'dn', 'session', "'second'")})`)} AS ts,
		att_base + lvl_adj + if(session = 'afternoon', -0.005, 0) + 0.012 * ${Z('school_id', 'code', 'dn', 'session', "'rate'")} AS rate,
		least(0.5, greatest(0.002, 1 - rate)) AS p,
		toUInt16(least(size, greatest(0, round(size * p + sqrt(size * p * (1 - p)) * ${Z('school_id', 'code', 'dn', 'session', "'absent'")})))) AS absent,
		toUInt16(least(absent, greatest(0, round(absent * excused_share + sqrt(absent * excused_share * (1 - excused_share)) * ${Z('school_id', 'code', 'dn', 'session', "'excused'")})))) AS excused
	FROM (
		SELECT d.school_id AS school_id, d.sid AS sid, d.key AS key, d.dn AS dn, d.t0 AS t0, d.held AS held, d.att_base AS att_base,
		       d.excused_share AS excused_share, d.att_source AS source,
		       c.code AS code, c.name AS class, c.grade AS grade, c.level AS level, c.size AS size, c.lvl_adj AS lvl_adj, c.sessions AS sessions
		FROM ${T.days} AS d INNER JOIN ${T.classes} AS c ON c.school_id = d.school_id
		WHERE ${DAY_FILTER}
	)
	ARRAY JOIN sessions AS session
	WHERE has(held, concat(level, ':', session))
)`;

/** Library profile (weights per local minute of the day), as the simulator's LIBRARY_PROFILE. */
const LIB_WEIGHT = (s: string) =>
	`multiIf(${s} < ${hm(7)}, 0.3, ${s} < ${hm(7, 30)}, 0.4, ${s} < ${hm(9)}, 0.7, ${s} < ${hm(9, 30)}, 3, ${s} < ${hm(11, 15)}, 0.7, ${s} < ${hm(12, 30)}, 2, ` +
	`${s} < ${hm(13, 30)}, 1, ${s} < ${hm(14, 45)}, 0.6, ${s} < ${hm(15, 15)}, 2.5, ${s} < ${hm(16, 30)}, 0.7, 0.5)`;
/** A Poisson-ish count with mean `l` (rounded normal, never negative). */
const POIS = (l: string, salt: string) =>
	`toUInt32(greatest(0, round(${l} + sqrt(${l}) * ${Z('school_id', 'dn', 'slot', `'${salt}'`)})))`;

const LIBRARY_SQL = `
INSERT INTO library_raw (event_id, school_id, ts, ingested_at, source, period_s, loans, returns, ebook_opens, visits)
SELECT concat('sim-lib-', sid, '-', key, '-', leftPad(toString(intDiv(slot, 60)), 2, '0'), leftPad(toString(slot % 60), 2, '0')) AS event_id,
       school_id, ${tsAt('t0', 'slot + 14', 'sec')} AS ts, ts + toIntervalSecond(3 + cityHash64(event_id) % 30), 'elib', 900,
       loans, returns, ebook_opens, visits
FROM (
	SELECT *, slot, w,
		w / tw AS share,
		0.5 * (w + 1) / (0.5 * (tw + n)) AS share_ebook,
		${POIS('0.03 * e * share', 'loans')} AS loans,
		${POIS('0.028 * e * share', 'returns')} AS returns,
		${POIS('0.15 * e * share_ebook', 'ebook')} AS ebook_opens,
		${POIS('0.12 * e * share', 'visits')} AS visits
	FROM (
		SELECT d.school_id AS school_id, d.sid AS sid, d.key AS key, d.dn AS dn, d.t0 AS t0, d.lib_e AS e, d.lib_sec AS sec,
		       arrayMap(k -> d.open + 15 * k, range(intDiv(d.close - d.open, 15))) AS slots,
		       arrayMap(s -> ${LIB_WEIGHT('s')}, slots) AS ws, arraySum(ws) AS tw, length(slots) AS n
		FROM ${T.days} AS d
		WHERE ${DAY_FILTER} AND d.lib_e > 0
	)
	ARRAY JOIN slots AS slot, ws AS w
)
WHERE loans + returns + ebook_opens + visits > 0`;

const COMPLETENESS_SQL = `
INSERT INTO completeness_raw (event_id, school_id, ts, ingested_at, source, dataset, required_fields, filled_fields, records, missing_fields, last_sync_department, last_sync_ministry)
SELECT event_id, school_id, ts, ts + toIntervalSecond(1 + cityHash64(event_id) % 20), 'csdl-nganh', dataset, required, filled, records,
       if(filled < required, arraySlice(pool, 1, required - filled), []), sync_dept, sync_ministry
FROM (
	SELECT d.school_id AS school_id, d.sid AS sid, d.key AS key, d.dn AS dn, d.t0 AS t0, d.cmp_sec AS cmp_sec, d.year_day AS year_day,
	       d.sync_dept AS sync_dept, d.sync_ministry AS sync_ministry,
	       x.dataset AS dataset, x.idx AS idx, x.records AS records, x.required AS required, x.pool AS pool,
	       concat('sim-cmp-', sid, '-', key, '-0600-', dataset) AS event_id,
	       ${tsAt('t0', '0', 'cmp_sec + idx * 6')} AS ts,
	       least(1., greatest(0., x.r0 + x.slope * year_day + x.jitter * (${U('school_id', 'dataset', 'dn', "'filled'")} - 0.5))) AS ratio,
	       toUInt32(least(required, round(required * ratio))) AS filled
	FROM ${T.days} AS d INNER JOIN ${T.datasets} AS x ON x.school_id = d.school_id
	WHERE ${DAY_FILTER}
)`;

/**
 * Device-days of the range: one row per device and school day, with its minutes of school
 * hours, the school's outages and, when the device breaks that day, the minute it breaks
 * (0 = broken all day, -1 = works).
 */
const DEVICE_DAYS = `
	SELECT d.school_id AS school_id, d.t0 AS t0, d.outages AS outages,
	       v.device_id AS device_id, v.did AS did, v.room AS room, v.device_kind AS device_kind, v.source AS source, v.sec AS sec, v.miss_ppm AS miss_ppm,
	       arrayFlatten(arrayMap(s -> range(s.1, s.2), d.hours)) AS mins,
	       cityHash64('broken', v.device_id, d.dn) % 1000000 AS rb,
	       toInt32(multiIf(rb < 4000, 0, rb < 4000 + if(d.rural, 3000, 2000), toInt32(mins[1 + cityHash64('broken-at', v.device_id, d.dn) % length(mins)]), -1)) AS broken_from
	FROM ${T.days} AS d INNER JOIN ${T.devices} AS v ON v.school_id = d.school_id
	WHERE ${DAY_FILTER}`;

/** Heartbeats: one per device and minute of school hours, none while the school is cut off, a few lost. */
const DEVICE_HEARTBEATS = `
	SELECT school_id, t0, device_id, did, room, device_kind, source, sec, m, 'heartbeat' AS event,
	       if(broken_from >= 0 AND m >= broken_from, 'down', 'up') AS status, if(status = 'down', 'hardware', '') AS reason
	FROM (${DEVICE_DAYS})
	ARRAY JOIN mins AS m
	WHERE NOT arrayExists(o -> m >= o.1 AND m < o.2, outages)
	  AND cityHash64(device_id, intDiv(t0, 60) + m) % 1000000 >= miss_ppm`;

/** Change events: a device breaking, the "dying gasp" when power goes, "up" when it is back. */
const DEVICE_CHANGES = `
	SELECT school_id, t0, device_id, did, room, device_kind, source, sec, c.1 AS m, 'change' AS event, c.2 AS status, c.3 AS reason
	FROM (
		SELECT *,
		       arrayConcat(
		         arrayMap(b -> (toUInt16(b), 'down', 'hardware'), arrayFilter(b -> b > 0, [broken_from])),
		         arrayMap(o -> (o.1, 'down', 'power'), arrayFilter(o -> o.3 = 'power' AND NOT (broken_from >= 0 AND o.1 >= broken_from)
		                                                         AND NOT arrayExists(q -> o.1 - 1 >= q.1 AND o.1 - 1 < q.2, outages), outages)),
		         arrayMap(o -> (o.2, 'up', o.3), arrayFilter(o -> o.4 = 0 AND NOT (broken_from >= 0 AND o.2 >= broken_from)
		                                                       AND NOT arrayExists(q -> o.2 >= q.1 AND o.2 < q.2, outages), outages))
		       ) AS changes
		FROM (${DEVICE_DAYS})
	)
	ARRAY JOIN changes AS c`;

/** Every device row of the range, with its minute `m` of the local day. */
const DEVICE_ROWS = `${DEVICE_HEARTBEATS}\n\tUNION ALL${DEVICE_CHANGES}`;

const DEVICE_RAW_SQL = `
INSERT INTO device_raw (event_id, school_id, ts, ingested_at, source, device_id, room, device_kind, status, event, interval_s, reason)
SELECT concat(if(event = 'heartbeat', 'sim-dev-', 'sim-chg-'), did, '-', toString(intDiv(t0, 60) + m)) AS event_id,
       school_id, ${tsAt('t0', 'm', 'sec')} AS ts, ts + toIntervalSecond(1 + sec % 3), source, device_id, room, device_kind, status, event, 60, reason
FROM (${DEVICE_ROWS})
SETTINGS max_insert_threads = 2`;

/** The device views' aggregation, per school and hour, into the staging table. */
const DEVICE_HOUR_SQL = `
INSERT INTO ${T.deviceHour}
SELECT school_id, toStartOfHour(toDateTime(t0 + m * 60 + sec, 'UTC')) AS bucket,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'heartbeat' AND status = 'up') AS up_heartbeats,
       sumIf(toUInt64(60), event = 'heartbeat' AND status = 'up') AS up_seconds,
       sumIf(toUInt64(60), event = 'heartbeat') AS reported_seconds,
       countIf(event = 'change' AND status = 'down') AS went_down,
       uniqState(device_id) AS devices,
       uniqStateIf(device_id, status = 'up') AS devices_up
FROM (${DEVICE_ROWS})
GROUP BY school_id, bucket`;

/** The same rows per device and Vietnam day, as device_unit_1d_mv (migration 0010) writes them. */
const DEVICE_UNIT_SQL = `
INSERT INTO device_unit_1d
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, device_id,
       argMaxState(room, toUnixTimestamp64Milli(ts)),
       argMaxState(toString(device_kind), toUnixTimestamp64Milli(ts)),
       sumIf(toUInt64(60), event = 'heartbeat' AND status = 'up'),
       countIf(event = 'heartbeat'),
       countIf(event = 'change' AND status = 'down'),
       max(ts),
       argMaxState(concat(status, char(31), reason), toUnixTimestamp64Milli(ts) * 2 + (event = 'change'))
FROM (SELECT school_id, device_id, room, device_kind, status, event, reason, ${tsAt('t0', 'm', 'sec')} AS ts FROM (${DEVICE_ROWS}))
GROUP BY school_id, day, device_id`;

const DEVICE_CHANGES_COUNT_SQL = `SELECT count() AS n FROM (${DEVICE_CHANGES})`;

// ---------------------------------------------------------------------------------------------

interface DayRow {
	school_id: string;
	sid: string;
	dn: number;
	day: string;
	key: string;
	t0: number;
	year_day: number;
	rural: number;
	hours: [number, number][];
	held: string[];
	outages: [number, number, string, number][];
	att_base: number;
	excused_share: number;
	att_source: string;
	lib_e: number;
	lib_sec: number;
	open: number;
	close: number;
	cmp_sec: number;
	sync_dept: string | null;
	sync_ministry: string | null;
}

const isoDate = (day: number) => {
	const k = dateKey(day);
	return `${k.slice(0, 4)}-${k.slice(4, 6)}-${k.slice(6, 8)}`;
};

function parseDate(s: string, what: string): number {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	const day = m ? dayOf(Number(m[1]), Number(m[2]), Number(m[3])) : NaN;
	if (!m || isoDate(day) !== s)
		throw new Error(`history: ${what} must be a date YYYY-MM-DD, got ${JSON.stringify(s)}`);
	return day;
}

/** Day number of the 5 September that opened the school year a day falls in. */
function yearStartDay(day: number): number {
	const { year, month, day: d } = civil(day);
	return dayOf(month > 9 || (month === 9 && d >= 5) ? year : year - 1, 9, 5);
}

interface SchoolFacts {
	school: School;
	h: number;
	sid: string;
	tr: ReturnType<typeof schoolTraits>;
}

function syncedOn(f: SchoolFacts, night: number): boolean {
	return u01(SEED_H, f.h, SALT.syncSkip, night) >= f.tr.skipRate;
}
/** The nightly sync of a night: 22:00 + the school's usual delay + up to 14 minutes. */
function syncIso(f: SchoolFacts, night: number): string {
	const minute = hm(22) + f.tr.syncBase + Math.floor(14 * u01(SEED_H, f.h, SALT.syncJitter, night));
	return new Date(dayStartMs(night) + minute * 60_000 + (f.h % 50) * 1000).toISOString();
}

/** The school's day: hours, sessions, outages, attendance base, library volume, sync state. */
function dayRow(f: SchoolFacts, day: number): DayRow | null {
	const { school, tr, h } = f;
	const hours = schoolHours({ day }, school.levels);
	if (hours.length === 0) return null;
	const { weekday } = civil(day);
	const weather = weatherOf(school.area_id, { day });
	const inHours = (m: number) => hours.some(([a, b]) => m >= a && m < b);
	const hoursTotal = hours.reduce((n, [a, b]) => n + b - a, 0);
	const minuteAt = (offset: number): number => minuteIntoHours(hours, offset);

	// outages: flaky schools most days, others rarely; afternoon downpours cut rural schools
	const outages: [number, number, string, number][] = [];
	const rng = mulberry32(mix(SEED_H, h, SALT.outage, day));
	const addOutage = (start: number, minutes: number, reason: string) => {
		const span = hours.find(([a, b]) => start >= a && start < b);
		if (!span) return;
		const stop = Math.min(start + minutes, span[1]);
		outages.push([start, stop, reason, stop === span[1] ? 1 : 0]);
	};
	if (tr.flaky) {
		const r = rng();
		const n = r < 0.3 ? 0 : r < 0.75 ? 1 : 2;
		for (let k = 0; k < n; k++)
			addOutage(
				minuteAt(Math.floor(rng() * hoursTotal)),
				between(rng(), 10, 60),
				rng() < 0.65 ? 'network' : 'power'
			);
	} else if (rng() < (tr.rural ? 0.02 : 0.008)) {
		addOutage(
			minuteAt(Math.floor(rng() * hoursTotal)),
			between(rng(), 10, 45),
			rng() < 0.6 ? 'network' : 'power'
		);
	}
	if (weather.rainy && inHours(weather.stormStart)) {
		const p = tr.rural
			? (0.12 + 0.3 * weather.intensity) * (tr.flaky ? 1.5 : 1)
			: 0.02 * weather.intensity;
		if (rng() < p)
			addOutage(
				weather.stormStart + Math.floor(rng() * 30),
				between(rng(), 15, 60),
				rng() < 0.7 ? 'power' : 'network'
			);
	}

	// attendance: the simulator's base rate for the school and the day
	let dayAdj = 0;
	if (weekday === 1) dayAdj -= 0.005;
	if (weekday === 6) dayAdj -= 0.01;
	if (
		!isTetBreak({ day }) &&
		(isTetBreak({ day: day - 1 }) || isTetBreak({ day: day - 2 }) || isTetBreak({ day: day - 3 }))
	)
		dayAdj -= 0.03;
	const rainDip = weather.rainy
		? tr.rural
			? 0.03 + 0.04 * weather.intensity
			: 0.01 * weather.intensity
		: 0;

	// completeness: the 06:00 status round reports the last night that synced
	let last = day - 1;
	while (last > day - 60 && !syncedOn(f, last)) last--;
	const dept = syncedOn(f, last) ? syncIso(f, last) : null;
	const ministry = tr.ministryNever
		? null
		: tr.ministryEvery <= 1
			? dept
			: syncIso(f, last - ((last + tr.ministryPhase) % tr.ministryEvery));

	return {
		school_id: school.school_id,
		sid: f.sid,
		dn: day,
		day: isoDate(day),
		key: dateKey(day),
		t0: dayStartMs(day) / 1000,
		year_day: Math.max(0, day - yearStartDay(day)),
		rural: tr.rural ? 1 : 0,
		hours,
		held: school.levels.flatMap((l) => sessionsOn({ day }, l).map((s) => `${l}:${s.session}`)),
		outages,
		att_base: (tr.rural ? 0.935 : 0.965) + tr.attendanceOffset + dayAdj - rainDip - tr.chronicDip,
		excused_share: tr.chronic ? 0.4 : weather.rainy ? 0.7 : 0.6,
		att_source: tr.attendanceSource,
		lib_e: school.elibrary
			? school.enrolment * tr.libraryEngagement * (weekday === 6 ? 0.5 : 1)
			: 0,
		lib_sec: 5 + (h % 50),
		open: hours[0][0],
		close: hours[hours.length - 1][1],
		cmp_sec: (hm(6) + (h % 15)) * 60,
		sync_dept: dept,
		sync_ministry: ministry
	};
}

function classRows(f: SchoolFacts) {
	return classesOf(f.school).map((c) => ({
		school_id: f.school.school_id,
		code: c.code,
		name: c.name,
		grade: c.grade,
		level: c.level,
		size: c.size,
		lvl_adj: c.level === 'preschool' ? -0.02 : c.level === 'upper_secondary' ? -0.005 : 0,
		sessions: c.shift === 'both' ? ['morning', 'afternoon'] : [c.shift]
	}));
}

function deviceRows(f: SchoolFacts) {
	return devicesOf(f.school).map((d, i) => ({
		school_id: f.school.school_id,
		device_id: d.device_id,
		did: f.sid === f.school.school_id ? d.device_id : `${f.sid}-d${i + 1}`,
		room: d.room,
		device_kind: d.device_kind,
		source: DEVICE_SOURCE[d.device_kind] ?? 'device-agent',
		sec: hashStr(d.device_id) % 60,
		miss_ppm: Math.round(f.tr.missRate * 1e6)
	}));
}

function datasetRows(f: SchoolFacts) {
	const classes = classesOf(f.school).length;
	return DATASETS.map((dataset, i) => {
		const spec = DATASET_SPECS[dataset];
		const records = spec.records(f.school, classes, f.tr.rural);
		const u = u01(SEED_H, f.h, SALT.completeness, i + 1);
		const behind = f.tr.behind;
		// behind: 60–85 % filled, +1 point a hundred days; 30 % of the rest complete; others 90–99 %
		const [r0, slope, jitter] = behind
			? [0.6 + 0.25 * u, 0.0001, 0.004]
			: u < 0.3
				? [1, 0, 0]
				: [1 - 0.1 * u * u, 0.00005, 0.002];
		const rng = mulberry32(mix(SEED_H, f.h, SALT.completeness, 77 + i));
		const left = [...spec.missing];
		const want = Math.min(left.length, 1 + Math.floor(rng() * (behind ? 5 : 3)));
		const pool: string[] = [];
		for (let k = 0; k < want; k++) pool.push(left.splice(Math.floor(rng() * left.length), 1)[0]);
		return {
			school_id: f.school.school_id,
			dataset,
			idx: i,
			records,
			required: Math.max(1, records) * spec.fields,
			r0,
			slope,
			jitter,
			pool
		};
	});
}

const DDL = [
	`CREATE TABLE ${T.days} (school_id String, sid String, dn UInt32, day Date, key String, t0 UInt32, year_day UInt16, rural UInt8,
		hours Array(Tuple(UInt16, UInt16)), held Array(String), outages Array(Tuple(UInt16, UInt16, String, UInt8)),
		att_base Float64, excused_share Float64, att_source String, lib_e Float64, lib_sec UInt8, open UInt16, close UInt16, cmp_sec UInt32,
		sync_dept Nullable(DateTime64(3, 'UTC')), sync_ministry Nullable(DateTime64(3, 'UTC'))) ENGINE = Memory`,
	`CREATE TABLE ${T.classes} (school_id String, code String, name String, grade UInt8, level String, size UInt16, lvl_adj Float64,
		sessions Array(String)) ENGINE = Memory`,
	`CREATE TABLE ${T.devices} (school_id String, device_id String, did String, room String, device_kind String, source String, sec UInt8,
		miss_ppm UInt32) ENGINE = Memory`,
	`CREATE TABLE ${T.datasets} (school_id String, dataset String, idx UInt8, records UInt32, required UInt32, r0 Float64, slope Float64,
		jitter Float64, pool Array(String)) ENGINE = Memory`,
	`CREATE TABLE ${T.deviceHour} AS device_1h ENGINE = Memory`
];

async function dropHelpers(ch: CH): Promise<void> {
	for (const t of Object.values(T)) await ch.command({ query: `DROP TABLE IF EXISTS ${t}` });
}

async function insertAll(ch: CH, table: string, values: Record<string, unknown>[]): Promise<void> {
	for (let i = 0; i < values.length; i += 20_000)
		await ch.insert({ table, values: values.slice(i, i + 20_000), format: 'JSONEachRow' });
}

/** [first, last] day ranges: calendar months, or `chunkDays` days at a time. */
function chunksOf(from: number, to: number, chunkDays?: number): [number, number][] {
	const out: [number, number][] = [];
	let a = from;
	while (a <= to) {
		let b: number;
		if (chunkDays) b = a + chunkDays - 1;
		else {
			const { year, month } = civil(a);
			b = dayOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1;
		}
		b = Math.min(b, to);
		out.push([a, b]);
		a = b + 1;
	}
	return out;
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
	const facts: SchoolFacts[] = schools.map((school) => {
		const h = hashStr(school.school_id);
		return {
			school,
			h,
			sid: school.school_id.length <= 40 ? school.school_id : `h${h.toString(36)}`,
			tr: schoolTraits(school, { areas: reg.areas })
		};
	});

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
						await ch.command({ query: `INSERT INTO device_1h SELECT * FROM ${T.deviceHour}` });
						await ch.command({ query: DEVICE_UNIT_SQL, query_params: p });
						await ch.command({
							query: `INSERT INTO device_1d
								SELECT school_id, toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, sum(heartbeats), sum(up_heartbeats), sum(up_seconds),
								       sum(reported_seconds), sum(went_down), uniqMergeState(devices), uniqMergeState(devices_up)
								FROM ${T.deviceHour} GROUP BY school_id, day`
						});
						// rows written straight to the rollups count in the days' versions as ingest's would
						await ch.command({
							query: `INSERT INTO day_versions SELECT 'device', toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, sum(heartbeats) FROM ${T.deviceHour} GROUP BY day`
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
