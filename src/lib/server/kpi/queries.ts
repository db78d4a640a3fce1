/**
 * The wall's ClickHouse queries: counts per school from the rollups, bound parameters only.
 * Times go in as epoch milliseconds (`{x:Int64}`) and are compared with rollup buckets, so the
 * same query runs on chDB and on a server whatever the session time zone.
 */
import { rows, type CH } from '../platform/clickhouse/client';
import { msParam } from '../platform/clickhouse/sql';
import { VN_OFFSET_MS } from '../../shared/calendar';
import { DAY_WIDTH, FIELD, type DaySpan, type SourceOpts } from './day-cache';
import { COMPLETENESS_LOOKBACK_DAYS, readDays } from './flows';
import { dayOfBucket, rollupSource } from './source';

const n = (v: unknown): number => Number(v ?? 0);
/**
 * The real time, for choosing rollups (what the minute rollups still hold, whether a range ends
 * at the present). `now` may be a replayed moment; never later than the real time.
 */
const clockNow = (now: number): number => Math.max(now, Date.now());
type Raw = Record<string, string>;
/** Rows keyed by school. */
const bySchool = <T>(r: Raw[], f: (x: Raw) => T): Map<string, T> =>
	new Map(r.map((x) => [x.school_id, f(x)]));

export interface AttendanceRow {
	school_id: string;
	reports: number;
	enrolled: number;
	present: number;
	absent_excused: number;
	absent_unexcused: number;
}

/** Attendance sums per school for reports in [from, to): whole hours from the hourly rollup, the rest by the minute. */
export async function attendanceBySchool(
	ch: CH,
	from: number,
	to: number,
	now: number
): Promise<Map<string, AttendanceRow>> {
	const src = rollupSource('attendance', from, to, { now: clockNow(now), dailyAligned: false });
	const r = await rows<Raw>(
		ch,
		`SELECT school_id, sum(reports) AS s_reports, sum(enrolled) AS s_enrolled, sum(present) AS s_present,
		        sum(absent_excused) AS s_excused, sum(absent_unexcused) AS s_unexcused
		 FROM ${src.sql} GROUP BY school_id`,
		src.params
	);
	return bySchool(r, (x) => ({
		school_id: x.school_id,
		reports: n(x.s_reports),
		enrolled: n(x.s_enrolled),
		present: n(x.s_present),
		absent_excused: n(x.s_excused),
		absent_unexcused: n(x.s_unexcused)
	}));
}

export interface DeviceRow {
	school_id: string;
	up_seconds: number;
	heartbeats: number;
	up_seconds_prev: number;
	heartbeats_prev: number;
	/** the first minute with a heartbeat in the window (ms), 0 when none */
	first_ms: number;
}

/** A school's heartbeats in one hour (its start, ms); first_ms: its first minute heard. */
export interface DeviceHourRow {
	school_id: string;
	hour: number;
	up_seconds: number;
	heartbeats: number;
	first_ms: number;
}

/** Heartbeat seconds per school in the window [w0, w1) and in the comparison window [p0, p1). */
export async function devicesBySchool(
	ch: CH,
	w0: number,
	w1: number,
	p0: number,
	p1: number
): Promise<Map<string, DeviceRow>> {
	const inW = `bucket >= ${msParam('w0')} AND bucket < ${msParam('w1')}`;
	const inP = `bucket >= ${msParam('p0')} AND bucket < ${msParam('p1')}`;
	const r = await rows<Raw>(
		ch,
		`SELECT school_id,
		        sumIf(up_seconds, ${inW}) AS s_up, sumIf(heartbeats, ${inW}) AS s_hb,
		        sumIf(up_seconds, ${inP}) AS s_up_prev, sumIf(heartbeats, ${inP}) AS s_hb_prev,
		        toUnixTimestamp(minIf(bucket, ${inW})) * 1000 AS s_first
		 FROM device_rollup WHERE grain = 1 AND ((${inW}) OR (${inP})) GROUP BY school_id`,
		{ w0, w1, p0, p1 }
	);
	return bySchool(r, (x) => ({
		school_id: x.school_id,
		up_seconds: n(x.s_up),
		heartbeats: n(x.s_hb),
		up_seconds_prev: n(x.s_up_prev),
		heartbeats_prev: n(x.s_hb_prev),
		first_ms: n(x.s_first)
	}));
}

/** The start of the newest minute with a heartbeat since `from` (ms), or null: how far the stream has got. */
export async function newestDeviceMinute(ch: CH, from: number): Promise<number | null> {
	const r = await rows<{ t: string }>(
		ch,
		`SELECT toUnixTimestamp(max(bucket)) * 1000 AS t FROM device_rollup WHERE grain = 1 AND bucket >= ${msParam('from')}`,
		{ from }
	);
	const t = n(r[0]?.t);
	return t > 0 ? t : null;
}

/** Up seconds per school and hour from `from` on (today's uptime curve), with the first minute heard in each hour. */
export async function deviceHoursBySchool(
	ch: CH,
	from: number,
	to: number
): Promise<DeviceHourRow[]> {
	const r = await rows<Raw>(
		ch,
		`SELECT school_id, toUnixTimestamp(toStartOfHour(bucket)) * 1000 AS hour, sum(up_seconds) AS s_up, sum(heartbeats) AS s_hb,
		        toUnixTimestamp(min(bucket)) * 1000 AS s_first
		 FROM device_rollup WHERE grain = 1 AND bucket >= ${msParam('from')} AND bucket < ${msParam('to')} GROUP BY school_id, hour`,
		{ from, to }
	);
	return r.map(deviceHourRow);
}

/** A row with `school_id`, `hour`, `s_up`, `s_hb` and `s_first` as a DeviceHourRow. */
export const deviceHourRow = (x: Record<string, string>): DeviceHourRow => ({
	school_id: x.school_id,
	hour: n(x.hour),
	up_seconds: n(x.s_up),
	heartbeats: n(x.s_hb),
	first_ms: n(x.s_first)
});

export interface LibraryRow {
	school_id: string;
	/** activity in each range, in the order given */
	ranges: number[];
}

/** Library activity (loans + returns + e-book opens + visits) per school in each [from, to) range. */
export async function libraryBySchool(
	ch: CH,
	ranges: readonly (readonly [number, number])[]
): Promise<Map<string, LibraryRow>> {
	if (ranges.length === 0) return new Map();
	const params: Record<string, number> = {};
	const cols = ranges.map(([a, b], i) => {
		params[`a${i}`] = a;
		params[`b${i}`] = b;
		return `sumIf(loans + returns + ebook_opens + visits, bucket >= ${msParam(`a${i}`)} AND bucket < ${msParam(`b${i}`)}) AS r${i}`;
	});
	// only the ranges' minutes are read (an empty range [a, a) reads nothing and sums to 0)
	const where = ranges
		.map(([a, b], i) =>
			b > a ? `(bucket >= ${msParam(`a${i}`)} AND bucket < ${msParam(`b${i}`)})` : null
		)
		.filter(Boolean)
		.join(' OR ');
	const r = await rows<Raw>(
		ch,
		`SELECT school_id, ${cols.join(', ')} FROM library_rollup WHERE grain = 1 AND (${where || '0'}) GROUP BY school_id`,
		params
	);
	return bySchool(r, (x) => ({
		school_id: x.school_id,
		ranges: ranges.map((_, i) => n(x[`r${i}`]))
	}));
}

/**
 * Library activity per school in [from, to), from the coarsest rollups that fit (whole hours from
 * the hourly rollup, the rest by the minute): what libraryBySchool([[from, to]]) gives, for a
 * range as long as today so far, reading an hour's row per school where that reads 60 minutes'.
 */
export async function libraryOver(
	ch: CH,
	from: number,
	to: number,
	now: number
): Promise<Map<string, number>> {
	const src = rollupSource('library', from, to, { now: clockNow(now), dailyAligned: false });
	const r = await rows<Raw>(
		ch,
		`SELECT school_id, sum(loans + returns + ebook_opens + visits) AS v FROM ${src.sql} GROUP BY school_id`,
		src.params
	);
	return new Map(r.map((x) => [x.school_id, n(x.v)]));
}

export interface CompletenessRow {
	school_id: string;
	datasets: number;
	required: number;
	filled: number;
	/** as it stood before `asOf` (yesterday's picture) */
	datasets_prev: number;
	required_prev: number;
	filled_prev: number;
	last_sync_department: number | null;
	last_sync_ministry: number | null;
}

/**
 * The latest report of every dataset per school before `until`, and the latest before `asOf`,
 * looking back COMPLETENESS_LOOKBACK_DAYS (a dataset silent for longer is not counted), in one
 * merge. The wall and the alerts read the same through completeness-cache.ts (the day's start
 * kept, the day's reports read); this one query is what that cache must equal, and its test
 * (completeness-cache.test.ts) compares the two.
 */
export async function completenessBySchool(
	ch: CH,
	asOf: number,
	until: number,
	now: number
): Promise<Map<string, CompletenessRow>> {
	const from = Math.min(asOf, until) - COMPLETENESS_LOOKBACK_DAYS * 86_400_000;
	const src = rollupSource('completeness', from, until, {
		now: clockNow(now),
		dailyAligned: false,
		prefix: 'src'
	});
	const r = await rows<Raw>(
		ch,
		`SELECT school_id, count() AS datasets, sum(req) AS required, sum(fil) AS filled,
		        countIf(has_prev) AS datasets_prev, sumIf(req_prev, has_prev) AS required_prev, sumIf(fil_prev, has_prev) AS filled_prev,
		        toUnixTimestamp64Milli(max(dep)) AS dep_ms, toUnixTimestamp64Milli(max(mins)) AS mins_ms
		 FROM (
		   SELECT school_id, dataset,
		          argMaxMerge(required_fields) AS req, argMaxMerge(filled_fields) AS fil,
		          countIf(bucket < ${msParam('asOf')}) > 0 AS has_prev,
		          argMaxMergeIf(required_fields, bucket < ${msParam('asOf')}) AS req_prev,
		          argMaxMergeIf(filled_fields, bucket < ${msParam('asOf')}) AS fil_prev,
		          max(last_sync_department) AS dep, max(last_sync_ministry) AS mins
		   FROM ${src.sql} GROUP BY school_id, dataset)
		 GROUP BY school_id`,
		{ asOf, ...src.params }
	);
	const ts = (v: string) => (n(v) > 0 ? n(v) : null);
	return bySchool(r, (x) => ({
		school_id: x.school_id,
		datasets: n(x.datasets),
		required: n(x.required),
		filled: n(x.filled),
		datasets_prev: n(x.datasets_prev),
		required_prev: n(x.required_prev),
		filled_prev: n(x.filled_prev),
		last_sync_department: ts(x.dep_ms),
		last_sync_ministry: ts(x.mins_ms)
	}));
}

const DAILY_FIELDS = {
	attendance: [FIELD.present, FIELD.enrolled],
	library: [FIELD.lib, -1],
	completeness: [FIELD.compF, FIELD.compR]
} as const;

/** Every day of [from, to) per school, for several dailyBySchool calls (null: the clock's days are shifted). */
export function dailyDays(
	ch: CH,
	from: number,
	to: number,
	dayOffsetS: number,
	now: number
): Promise<DaySpan | null> {
	// the trends need no devices (today's uptime curve has a read of its own)
	return readDays(
		ch,
		from,
		to,
		{ now: clockNow(now), dailyAligned: dayOffsetS === VN_OFFSET_MS / 1000, dayOffsetS },
		['attendance', 'library', 'completeness']
	);
}

export interface DailyRow {
	school_id: string;
	/** local day number of the measured calendar */
	day: number;
	a: number;
	b: number;
}

/** Per school and day: attendance (present, enrolled), library (activity, 0) or completeness (filled, required), in [from, to). */
export async function dailyBySchool(
	ch: CH,
	kind: 'attendance' | 'library' | 'completeness',
	from: number,
	to: number,
	dayOffsetS: number,
	now: number,
	/** the days already read for a wider range with the same end (dailyDays) */
	read?: DaySpan | null
): Promise<DailyRow[]> {
	// closed days from the day cache when days are Vietnam days (no demo shift), the rest from the rollups
	const o: SourceOpts = {
		now: clockNow(now),
		dailyAligned: dayOffsetS === VN_OFFSET_MS / 1000,
		dayOffsetS,
		read: read ?? undefined
	};
	const days = await readDays(ch, from, to, o, [kind]);
	if (days) {
		const [fa, fb] = DAILY_FIELDS[kind];
		const out: DailyRow[] = [];
		for (const t of days.tables) {
			t.ids.forEach((school_id, i) => {
				const a = t.vals[i * DAY_WIDTH + fa];
				const b = fb < 0 ? 0 : t.vals[i * DAY_WIDTH + fb];
				if (a || b) out.push({ school_id, day: t.day, a, b });
			});
		}
		return out;
	}
	const src = rollupSource(kind, from, to, o);
	const day = dayOfBucket();
	const sql =
		kind === 'attendance'
			? `SELECT school_id, ${day} AS day, sum(present) AS a, sum(enrolled) AS b FROM ${src.sql} GROUP BY school_id, day`
			: kind === 'library'
				? `SELECT school_id, ${day} AS day, sum(loans + returns + ebook_opens + visits) AS a, 0 AS b FROM ${src.sql} GROUP BY school_id, day`
				: `SELECT school_id, day, sum(f) AS a, sum(r) AS b FROM (
				     SELECT school_id, dataset, ${day} AS day, argMaxMerge(filled_fields) AS f, argMaxMerge(required_fields) AS r
				     FROM ${src.sql} GROUP BY school_id, dataset, day)
				   GROUP BY school_id, day`;
	const r = await rows<Raw>(ch, sql, { ...src.params, off: dayOffsetS });
	return r.map((x) => ({ school_id: x.school_id, day: n(x.day), a: n(x.a), b: n(x.b) }));
}
