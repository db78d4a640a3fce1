/**
 * Where a drill-down query reads a time range from: the coarsest rollups that fit it.
 *   - whole local days from the daily rollups (`*_1d`), when days are Vietnam days (real clock);
 *   - whole hours from the hourly rollups (`*_1h`, kept 800 days);
 *   - the minutes of a part-hour from the minute rollups (`*_1m`, kept 35 days). Older than that,
 *     a part-hour end is rounded down to the hour: replay is to the minute for the last month.
 * Each part becomes one `SELECT … UNION ALL …` branch over the same columns, so the query above
 * it does not know which rollup a row came from. Since migration 0013 the three grains are rows of
 * one table per kind (`<kind>_rollup`, `grain` 1, 2, 3), a day row's `bucket` its Vietnam day's
 * start; the branches read it by grain, not through the old names' views.
 */
import { DAY_MS, VN_OFFSET_MS } from '../../shared/calendar';
import { msParam } from '../platform/clickhouse/sql';

export type RollupKind = 'attendance' | 'device' | 'library' | 'completeness';
export type Grain = '1d' | '1h' | '1m';

const COLUMNS: Record<RollupKind, string[]> = {
	attendance: ['reports', 'enrolled', 'present', 'absent_excused', 'absent_unexcused'],
	device: [
		'heartbeats',
		'up_heartbeats',
		'up_seconds',
		'reported_seconds',
		'went_down',
		'devices',
		'devices_up'
	],
	library: ['reports', 'loans', 'returns', 'ebook_opens', 'visits'],
	completeness: [
		'dataset',
		'reports',
		'required_fields',
		'filled_fields',
		'records',
		'last_sync_department',
		'last_sync_ministry'
	]
};

const HOUR_MS = 3_600_000;
/** The `grain` of each rollup table's rows (migration 0013). */
const GRAIN: Record<Grain, number> = { '1m': 1, '1h': 2, '1d': 3 };

/** The minute rollups keep 35 days; stay a day inside that. */
export const MINUTE_ROLLUP_DAYS = 34;

export interface Part {
	grain: Grain;
	from: number;
	to: number;
}

const floorTo = (t: number, unit: number, offset = 0) =>
	Math.floor((t + offset) / unit) * unit - offset;
const ceilTo = (t: number, unit: number, offset = 0) =>
	Math.ceil((t + offset) / unit) * unit - offset;

/**
 * Split [from, to) into rollup parts. `dailyAligned`: whether measured days are Vietnam days
 * (the 1d rollups' `day`), i.e. the real clock. `now` decides whether the minute rollups still
 * hold a part-hour.
 */
export function planParts(
	from: number,
	to: number,
	opts: { now: number; dailyAligned: boolean }
): Part[] {
	const parts: Part[] = [];
	if (to <= from) return parts;
	const hours = (a: number, b: number) => {
		const h0 = ceilTo(a, HOUR_MS);
		const h1 = floorTo(b, HOUR_MS);
		if (h1 <= h0) return minutes(a, b);
		minutes(a, h0);
		parts.push({ grain: '1h', from: h0, to: h1 });
		minutes(h1, b);
	};
	const minutes = (a: number, b: number) => {
		if (b <= a) return;
		// a range that ends now: nothing is stored after now, so the current hour's row is the
		// part-hour (the minute rollups cost a granule a school to search)
		if (b >= opts.now && a === floorTo(b, HOUR_MS))
			parts.push({ grain: '1h', from: a, to: a + HOUR_MS });
		else if (b > opts.now - MINUTE_ROLLUP_DAYS * DAY_MS)
			parts.push({ grain: '1m', from: a, to: b });
	};
	if (opts.dailyAligned) {
		const d0 = ceilTo(from, DAY_MS, VN_OFFSET_MS);
		const d1 = floorTo(to, DAY_MS, VN_OFFSET_MS);
		if (d1 > d0) {
			hours(from, d0);
			parts.push({ grain: '1d', from: d0, to: d1 });
			hours(d1, to);
			return coalesce(parts);
		}
	}
	hours(from, to);
	return coalesce(parts);
}

/** Adjacent parts of one grain read as one (each part is a table read). */
function coalesce(parts: Part[]): Part[] {
	const out: Part[] = [];
	for (const p of parts.sort((a, b) => a.from - b.from)) {
		const last = out[out.length - 1];
		if (last && last.grain === p.grain && last.to === p.from) last.to = p.to;
		else out.push({ ...p });
	}
	return out;
}

export interface Source {
	/** a parenthesised subquery with `school_id`, `bucket` (DateTime UTC) and the kind's columns */
	sql: string;
	params: Record<string, unknown>;
	parts: Part[];
}

/**
 * The rows of a rollup kind in [from, to), optionally for some schools only.
 * `prefix` keeps parameter names apart when one query reads several sources.
 */
export function rollupSource(
	kind: RollupKind,
	from: number,
	to: number,
	opts: {
		now: number;
		dailyAligned: boolean;
		schools?: readonly string[];
		prefix?: string;
		days?: { list: readonly number[]; offsetS: number };
	}
): Source {
	const parts = planParts(from, to, opts);
	const p = opts.prefix ?? kind.slice(0, 3);
	const params: Record<string, unknown> = {};
	const cols = COLUMNS[kind].join(', ');
	const schoolFilter = opts.schools ? ` AND school_id IN {${p}_schools:Array(String)}` : '';
	if (opts.schools) params[`${p}_schools`] = opts.schools;
	// only some measured days (a sampled trend): filtered in each branch, before any state is read
	let dayFilter = '';
	if (opts.days) {
		params[`${p}_days`] = opts.days.list;
		params[`${p}_off`] = opts.days.offsetS;
		dayFilter = ` AND intDiv(toInt64(toUnixTimestamp(bucket)) + {${p}_off:Int64}, 86400) IN {${p}_days:Array(Int64)}`;
	}
	// the rollup table itself, by grain (migration 0013): the old names (`*_1m`, …) are views of
	// it, and a view costs its analysis on every query (~4 ms of a 5-10 ms read)
	const branches = parts.map((part, i) => {
		const a = `${p}_${i}a`;
		const b = `${p}_${i}b`;
		params[a] = part.from;
		params[b] = part.to;
		// a day row's bucket is its Vietnam day's start, so the same bounds and day filter apply
		return `SELECT school_id, bucket, ${cols} FROM ${kind}_rollup WHERE grain = ${GRAIN[part.grain]} AND bucket >= ${msParam(a)} AND bucket < ${msParam(b)}${schoolFilter}${dayFilter}`;
	});
	// an empty range still yields a well-typed, empty source
	if (branches.length === 0)
		branches.push(`SELECT school_id, bucket, ${cols} FROM ${kind}_rollup WHERE 0`);
	return { sql: `(${branches.join(' UNION ALL ')})`, params, parts };
}

/** SQL for the measured day of a `bucket`: `intDiv(unix + offset, 86400)` (see DayClock.sqlDayOffsetSeconds). */
export const dayOfBucket = (offsetParam = 'off') =>
	`intDiv(toInt64(toUnixTimestamp(bucket)) + {${offsetParam}:Int64}, 86400)`;
