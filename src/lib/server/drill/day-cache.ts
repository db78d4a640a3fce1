/**
 * Closed days, per school, kept in memory: what every drill-down view and the wall's trends read
 * most. A past day's counts rarely change, yet a view over a year read them (and merged their
 * completeness states) on every request; now only the day in progress is read from ClickHouse.
 *
 * - A day is served from here only when it is a whole Vietnam day before today (real clock, so
 *   the daily rollups `*_1d` hold exactly it) and inside the range asked.
 * - Nothing is trusted without a check: each request first reads every asked day's **version**
 *   from the daily rollups (per kind, the sum of a count that each written event increments:
 *   attendance and library reports, heartbeats + state changes, completeness reports). A day
 *   whose version moved (a late event, a backfill, an import, a TTL drop) is read again. The check
 *   is one small query (a few hundred rows), and it works whichever process wrote the events
 *   (embedded ingest, or an ingest service on a ClickHouse server).
 * - One cache per ClickHouse client (`dayCache(ch)`); at most MAX_DAYS days, the least recently
 *   used dropped first (≈ 40 bytes × 10 fields × schools × days: ~20 MB for a year of 467 schools).
 */
import { dayStartMs, localDay } from '../../shared/calendar';
import { formatDay } from '../../shared/range';
import { rows, type CH } from '../clickhouse/client';

/** What a school's day holds, in this order in `DayTable.vals`. */
export const DAY_FIELDS = ['present', 'enrolled', 'unexcused', 'up', 'hb', 'down', 'lib', 'compF', 'compR'] as const;
export type DayField = (typeof DAY_FIELDS)[number];
const F = DAY_FIELDS.length;
export const FIELD: Record<DayField, number> = Object.fromEntries(DAY_FIELDS.map((f, i) => [f, i])) as Record<DayField, number>;

/** One closed day: the schools with anything that day and their fields (row-major: `vals[i * F + field]`). */
export interface DayTable {
	day: number;
	ids: string[];
	vals: Float64Array;
	version: string;
}

/** Days kept at most (the retention, the previous period and the lookbacks fit). */
export const MAX_DAYS = 900;

const VERSION_SQL = `
	SELECT 'a' AS k, toInt64(day) AS d, toString(sum(reports)) AS v FROM attendance_1d WHERE day >= {d0:Date} AND day <= {d1:Date} GROUP BY day
	UNION ALL SELECT 'd', toInt64(day), toString(sum(heartbeats) + sum(went_down)) FROM device_1d WHERE day >= {d0:Date} AND day <= {d1:Date} GROUP BY day
	UNION ALL SELECT 'l', toInt64(day), toString(sum(reports)) FROM library_1d WHERE day >= {d0:Date} AND day <= {d1:Date} GROUP BY day
	UNION ALL SELECT 'c', toInt64(day), toString(sum(reports)) FROM completeness_1d WHERE day >= {d0:Date} AND day <= {d1:Date} GROUP BY day`;

/** Per school and day, every field; `{days}` the days to read. */
const DAYS_SQL = `
	SELECT school_id, toInt64(day) AS d,
	       sum(present) AS f0, sum(enrolled) AS f1, sum(absent_unexcused) AS f2, 0 AS f3, 0 AS f4, 0 AS f5, 0 AS f6, 0 AS f7, 0 AS f8
	FROM attendance_1d WHERE day IN {days:Array(Date)} GROUP BY school_id, day
	UNION ALL
	SELECT school_id, toInt64(day), 0, 0, 0, sum(up_seconds), sum(heartbeats), sum(went_down), 0, 0, 0
	FROM device_1d WHERE day IN {days:Array(Date)} GROUP BY school_id, day
	UNION ALL
	SELECT school_id, toInt64(day), 0, 0, 0, 0, 0, 0, sum(loans + returns + ebook_opens + visits), 0, 0
	FROM library_1d WHERE day IN {days:Array(Date)} GROUP BY school_id, day
	UNION ALL
	SELECT school_id, d, 0, 0, 0, 0, 0, 0, 0, sum(f), sum(r) FROM (
	  SELECT school_id, dataset, toInt64(day) AS d, argMaxMerge(filled_fields) AS f, argMaxMerge(required_fields) AS r
	  FROM completeness_1d WHERE day IN {days:Array(Date)} GROUP BY school_id, dataset, day)
	GROUP BY school_id, d`;

type Raw = Record<string, string>;

export interface DayCacheStats {
	days: number;
	hits: number;
	reads: number;
}

export class DayCache {
	private readonly days = new Map<number, DayTable>();
	private chain: Promise<unknown> = Promise.resolve();
	readonly stats: DayCacheStats = { days: 0, hits: 0, reads: 0 };

	constructor(
		private readonly ch: CH,
		private readonly maxDays = MAX_DAYS
	) {}

	/** Days d0..d1 (local day numbers, both included), each checked against its version first. */
	get(d0: number, d1: number): Promise<DayTable[]> {
		// one at a time: two views asking the same days read them once
		const run = this.chain.then(() => this.load(d0, d1));
		this.chain = run.catch(() => {});
		return run;
	}

	private async load(d0: number, d1: number): Promise<DayTable[]> {
		if (d1 < d0) return [];
		const vr = await rows<Raw>(this.ch, VERSION_SQL, { d0: formatDay(d0), d1: formatDay(d1) });
		const parts = new Map<number, Record<string, string>>();
		for (const x of vr) {
			const d = Number(x.d);
			const p = parts.get(d) ?? {};
			p[x.k] = x.v;
			parts.set(d, p);
		}
		const versionOf = (d: number) => {
			const p = parts.get(d);
			return p ? `${p.a ?? 0}|${p.d ?? 0}|${p.l ?? 0}|${p.c ?? 0}` : '0|0|0|0';
		};
		const stale: number[] = [];
		for (let d = d0; d <= d1; d++) {
			const t = this.days.get(d);
			if (!t || t.version !== versionOf(d)) stale.push(d);
		}
		this.stats.hits += d1 - d0 + 1 - stale.length;
		if (stale.length) await this.read(stale, versionOf);
		const out: DayTable[] = [];
		for (let d = d0; d <= d1; d++) {
			const t = this.days.get(d)!;
			// least recently used last out: re-inserting moves the day to the end
			this.days.delete(d);
			this.days.set(d, t);
			out.push(t);
		}
		while (this.days.size > this.maxDays) this.days.delete(this.days.keys().next().value!);
		this.stats.days = this.days.size;
		return out;
	}

	private async read(days: number[], versionOf: (d: number) => string): Promise<void> {
		this.stats.reads += days.length;
		const r = await rows<Raw>(this.ch, DAYS_SQL, { days: days.map(formatDay) });
		const byDay = new Map<number, Map<string, number[]>>(days.map((d) => [d, new Map()]));
		for (const x of r) {
			const m = byDay.get(Number(x.d));
			if (!m) continue;
			let v = m.get(x.school_id);
			if (!v) m.set(x.school_id, (v = new Array<number>(F).fill(0)));
			for (let f = 0; f < F; f++) v[f] += Number(x[`f${f}`]);
		}
		for (const [day, m] of byDay) {
			const ids = [...m.keys()];
			const vals = new Float64Array(ids.length * F);
			ids.forEach((id, i) => vals.set(m.get(id)!, i * F));
			this.days.set(day, { day, ids, vals, version: versionOf(day) });
		}
	}
}

const caches = new WeakMap<CH, DayCache>();

/** The day cache of a ClickHouse client (one per client, made on first use). */
export function dayCache(ch: CH): DayCache {
	let c = caches.get(ch);
	if (!c) caches.set(ch, (c = new DayCache(ch)));
	return c;
}

/**
 * The closed days of [from, to) the cache can serve: whole Vietnam days before the real clock's
 * today, from `from` on (a day's start). Null when none, when `from` is not a day's start, or when
 * measured days are not Vietnam days (a demo clock's shift).
 */
export function closedDays(from: number, to: number, o: { now: number; dailyAligned: boolean }): { d0: number; d1: number } | null {
	if (!o.dailyAligned) return null;
	const d0 = localDay(from);
	const d1 = Math.min(localDay(to) - 1, localDay(o.now) - 1); // the last day ending by `to`, before today
	// from a day's start only: the rest of the range is read from the rollups as one span after d1
	if (dayStartMs(d0) !== from || d1 < d0) return null;
	return { d0, d1 };
}
