/**
 * The SQL of the history: the helper tables, the draws (cityHash64 of ids and day numbers, never
 * rand()), and the INSERT … SELECTs for attendance, library and completeness. The device
 * queries are in device-sql.ts. Everything variable is a bound parameter; the literals are salts
 * and model constants.
 */
import { hm } from '#shared/calendar';
import {
	LIBRARY_DAILY,
	LIBRARY_OFF_PROFILE,
	LIBRARY_PROFILE
} from '#ingest/feed/simulator/library';

/** The helper tables (Memory engine, dropped at the end). */
export const T = {
	days: '_history_days',
	classes: '_history_classes',
	devices: '_history_devices',
	datasets: '_history_datasets',
	deviceHour: '_history_device_hour'
} as const;

/** A uniform draw in [0, 1) from a hash of SQL expressions. */
const U = (...args: string[]) => `(cityHash64(${args.join(', ')}) % 1000000 / 1000000.)`;
/** A standard-normal-ish draw (Irwin–Hall of four uniforms, scaled to variance 1). */
const Z = (...args: string[]) =>
	`((${[1, 2, 3, 4].map((i) => U(...args, `'z${i}'`)).join(' + ')} - 2) * 1.7320508)`;
/** Local day range and schools: the parameters every generating query takes. */
export const DAY_FILTER = `d.day BETWEEN {from:Date} AND {to:Date}`;
/** ts of minute `m` (local) second `s` of the day starting at unix second `t0`. */
export const tsAt = (t0: string, m: string, s: string) =>
	`toDateTime64(toDateTime((${t0}) + (${m}) * 60 + (${s}), 'UTC'), 3, 'UTC')`;

export const ATTENDANCE_SQL = `
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

/**
 * The library's weight of local minute `s` of the day: the simulator's LIBRARY_PROFILE as one
 * multiIf (its spans follow each other from the first to midnight).
 */
const LIB_WEIGHT = (s: string) => {
	const arms = [
		`${s} < ${LIBRARY_PROFILE[0][0]}, ${LIBRARY_OFF_PROFILE}`,
		...LIBRARY_PROFILE.slice(0, -1).map(([, to, w]) => `${s} < ${to}, ${w}`)
	];
	return `multiIf(${arms.join(', ')}, ${LIBRARY_PROFILE[LIBRARY_PROFILE.length - 1][2]})`;
};
/** A Poisson-ish count with mean `l` (rounded normal, never negative). */
const POIS = (l: string, salt: string) =>
	`toUInt32(greatest(0, round(${l} + sqrt(${l}) * ${Z('school_id', 'dn', 'slot', `'${salt}'`)})))`;

export const LIBRARY_SQL = `
INSERT INTO library_raw (event_id, school_id, ts, ingested_at, source, period_s, loans, returns, ebook_opens, visits)
SELECT concat('sim-lib-', sid, '-', key, '-', leftPad(toString(intDiv(slot, 60)), 2, '0'), leftPad(toString(slot % 60), 2, '0')) AS event_id,
       school_id, ${tsAt('t0', 'slot + 14', 'sec')} AS ts, ts + toIntervalSecond(3 + cityHash64(event_id) % 30), 'elib', 900,
       loans, returns, ebook_opens, visits
FROM (
	SELECT *, slot, w,
		w / tw AS share,
		0.5 * (w + 1) / (0.5 * (tw + n)) AS share_ebook,
		${POIS(`${LIBRARY_DAILY.loans} * e * share`, 'loans')} AS loans,
		${POIS(`${LIBRARY_DAILY.returns} * e * share`, 'returns')} AS returns,
		${POIS(`${LIBRARY_DAILY.ebook_opens} * e * share_ebook`, 'ebook')} AS ebook_opens,
		${POIS(`${LIBRARY_DAILY.visits} * e * share`, 'visits')} AS visits
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

export const COMPLETENESS_SQL = `
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

export const DDL = [
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
	`CREATE TABLE ${T.deviceHour} ENGINE = Memory AS SELECT * FROM device_1h WHERE 0`
];
