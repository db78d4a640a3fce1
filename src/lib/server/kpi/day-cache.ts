/**
 * Closed days, per school, kept in memory: what every drill-down view and the wall's trends read
 * most. A past day's counts rarely change, yet a view over a year read them (and merged their
 * completeness states) on every request; now only the day in progress is read from ClickHouse.
 *
 * - A day is served from here only when it is a whole measured day inside the range asked, every
 *   hour of it in a Vietnam day before today. Measured days are Vietnam days with the real clock;
 *   under a demo clock's shift (kpi/day-clock.ts) they start that many hours later, and a cache is
 *   kept per shift: such a day spans two Vietnam days and is read from the hourly rollups. The
 *   measured day that reaches into today's Vietnam day (under a shift, yesterday) is not kept: its
 *   version is today's, which moves with every write.
 * - Nothing is trusted without a check: each request first looks up every asked day's **version**
 *   (per kind and day, the events ever written for it: `day_versions`, migration 0013). A day
 *   whose version moved (a late event, a backfill, an import) is read again. The versions come
 *   from the version board below, read once per tick for every view: a change lands in views at
 *   once when this process wrote it, within 10 s when another did (an ingest service on a
 *   server; docs/drill-down.md, "Read once per tick").
 * - One cache per ClickHouse client and shift (`dayCache(ch, shiftMs)`); at most MAX_DAYS days, the least recently
 *   used dropped first (≈ 40 bytes × 12 fields × schools × days: ~24 MB for a year of 467 schools).
 */
import { VN_OFFSET_MS, dayStartMs, localDay } from '../../shared/calendar';
import { formatDay } from '../../shared/range';
import { compactRows, rows, type CH, perClient } from '../platform/clickhouse/client';
import { DayClock } from './day-clock';
import { dayOfBucket, rollupSource, type RollupKind } from './source';
import { sharedPerClient } from './tick-shared';

/** What a school's day holds, in this order in `DayTable.vals`. */
/** How a measure reads its days (the options every read of kpi/flows.ts takes). */
export interface SourceOpts {
	now: number;
	/** measured days are Vietnam days (real clock): the 1d rollups can be read */
	dailyAligned: boolean;
	/** DayClock.sqlDayOffsetSeconds */
	dayOffsetS: number;
	/** read closed days from the rollups, not the day cache (tests compare the two) */
	noCache?: boolean;
	/** the days a request already read (readDays), reused by every read of the same range end */
	read?: DaySpan;
}

export interface DaySpan {
	from: number;
	to: number;
	tables: DayTable[];
	/** the kinds the tables hold (closed days from the cache hold all; the rest holds what was asked) */
	kinds: readonly DayKind[];
}

export const DAY_FIELDS = [
	'present',
	'enrolled',
	'unexcused',
	'up',
	'hb',
	'down',
	'lib',
	'compF',
	'compR',
	'reports',
	'excused'
] as const;
export type DayField = (typeof DAY_FIELDS)[number];
/** Numbers per school in `DayTable.vals`. */
export const DAY_WIDTH = DAY_FIELDS.length;
const F = DAY_WIDTH;
export const FIELD: Record<DayField, number> = Object.fromEntries(
	DAY_FIELDS.map((f, i) => [f, i])
) as Record<DayField, number>;

/** One closed day: the schools with anything that day and their fields (row-major: `vals[i * F + field]`). */
export interface DayTable {
	day: number;
	ids: string[];
	vals: Float64Array;
	/** the day's version when cached ('' when read for one request; see `shiftMs`) */
	version: string;
	/**
	 * a cached day under a demo clock's shift: its version is that of each Vietnam day it spans
	 * (`;` between them), no one Vietnam day's (absent: a Vietnam day, `version` is its own)
	 */
	shiftMs?: number;
	/** the first and last bucket with a heartbeat that day, any school (ms; 0 when none) */
	first: number;
	last: number;
}

/** Calls `f(id, vals, offset)` for each school of a day table (its fields at `vals[offset + FIELD.x]`). */
export function eachSchool(
	t: DayTable,
	f: (id: string, vals: Float64Array, offset: number) => void
): void {
	for (let s = 0; s < t.ids.length; s++) f(t.ids[s], t.vals, s * DAY_WIDTH);
}

/**
 * One kind's versions of the cached days among `tables` (a cached day's `version` holds every
 * kind's, in DAY_KINDS order; a day read for one request has none).
 */
export function knownVersions(tables: readonly DayTable[], kind: DayKind): Map<number, string> {
	const out = new Map<number, string>();
	const k = DAY_KINDS.indexOf(kind);
	for (const t of tables) if (t.version && !t.shiftMs) out.set(t.day, t.version.split('|')[k]);
	return out;
}

/** Days kept at most (the retention, the previous period and the lookbacks fit). */
export const MAX_DAYS = 900;

/** Per kind and day, the version (events ever written) of days d0..d1 (one kind, or all). */
async function readVersions(
	ch: CH,
	d0: number,
	d1: number,
	kind?: RollupKind
): Promise<KindVersions> {
	const r = await rows<Record<'k' | 'd' | 'v', string>>(
		ch,
		`SELECT kind AS k, toInt64(day) AS d, toString(sum(events)) AS v FROM day_versions
		 WHERE ${kind ? 'kind = {kind:String} AND ' : ''}day >= {d0:Date} AND day <= {d1:Date} GROUP BY kind, day`,
		{ kind, d0: formatDay(d0), d1: formatDay(d1) }
	);
	const out: KindVersions = new Map();
	for (const x of r) {
		let m = out.get(x.k);
		if (!m) out.set(x.k, (m = new Map()));
		m.set(Number(x.d), x.v);
	}
	return out;
}

/** Per kind, each day's version (a day without events: absent). */
export type KindVersions = Map<string, Map<number, string>>;

/**
 * The days' versions, every kind at once, read once per tick and shared by every view and
 * screen (tick-shared.ts): before, each view's request read day_versions (a view over the four
 * rollups' city-wide day rows, 30-60 ms) once or several times. Two shares: the closed days (the
 * last MAX_DAYS; a version moves only when a late event, a backfill or a repair lands for one)
 * and today. What this process writes is seen at once (its writer says which days it wrote),
 * what another process writes within 10 s (closed days) or STALE_MS (today). Older or later
 * days are read each time.
 */
export class VersionBoard {
	constructor(private readonly ch: CH) {}

	/** The versions of days d0..d1 (all kinds, or `kind`'s; a kind's map may hold more days). */
	async read(d0: number, d1: number, kind?: RollupKind): Promise<KindVersions> {
		const today = localDay(Date.now());
		const w0 = today - MAX_DAYS;
		const closedTo = Math.min(d1, today - 1);
		const [closed, open] = await Promise.all([
			d0 > closedTo
				? null
				: d0 >= w0
					? closedVersions(this.ch).get(`${today}`, undefined, () =>
							readVersions(this.ch, w0, today - 1)
						)
					: readVersions(this.ch, d0, closedTo, kind),
			d1 < today
				? null
				: d0 <= today && d1 === today
					? openVersions(this.ch).get(`${today}`, undefined, () =>
							readVersions(this.ch, today, today)
						)
					: readVersions(this.ch, Math.max(d0, today), d1, kind)
		]);
		if (!open) return closed ?? new Map();
		if (!closed) return open;
		const out: KindVersions = new Map();
		for (const [k, m] of closed) out.set(k, new Map(m));
		for (const [k, m] of open) {
			const o = out.get(k) ?? new Map<number, string>();
			for (const [d, v] of m) o.set(d, v);
			out.set(k, o);
		}
		return out;
	}

	/** Forget the versions read (a writer elsewhere changed some, and a test will not wait a tick). */
	expire(): void {
		closedVersions(this.ch).expire();
		openVersions(this.ch).expire();
	}
}

/** The closed days' versions (MAX_DAYS of them), forgotten when this process writes one of them. */
const closedVersions = sharedPerClient<KindVersions>(
	// they rarely move, and this process's own writes are seen at once: another process's late
	// event or repair is seen within 10 s, and the board is read at most every 5 s
	{ max: 2, tickMs: 5000, staleMs: 10_000 },
	(d0) => d0 < localDay(Date.now())
);
/** Today's versions, forgotten when this process writes for today. */
const openVersions = sharedPerClient<KindVersions>(
	{ max: 2 },
	(_d0, d1) => d1 >= localDay(Date.now())
);

/** The version board of a ClickHouse client (one per client, made on first use). */
export const versionBoard = perClient((ch) => new VersionBoard(ch));

/**
 * One kind's version of each Vietnam day d0..d1: `known` (versions this request already read, a
 * view's day cache) when it has every day, else from the version board (a day without events: absent).
 */
export async function versionsFor(
	ch: CH,
	kind: RollupKind,
	d0: number,
	d1: number,
	known?: ReadonlyMap<number, string>
): Promise<ReadonlyMap<number, string>> {
	let covered = !!known;
	for (let d = d0; covered && d <= d1; d++) covered = known!.has(d);
	return covered ? known! : kindVersions(ch, kind, d0, d1);
}

/** One string for the versions of days d0..d1 of a kind (versionsFor), each day in order ('0': none). */
export async function spanVersion(
	ch: CH,
	kind: RollupKind,
	d0: number,
	d1: number,
	known?: ReadonlyMap<number, string>
): Promise<string> {
	const v = await versionsFor(ch, kind, d0, d1, known);
	const out: string[] = [];
	for (let d = d0; d <= d1; d++) out.push(v.get(d) ?? '0');
	return out.join(',');
}

/** The version of each Vietnam day d0..d1 for one kind: the events ever written for it (absent: none). */
export async function kindVersions(
	ch: CH,
	kind: RollupKind,
	d0: number,
	d1: number
): Promise<ReadonlyMap<number, string>> {
	return (await versionBoard(ch).read(d0, d1, kind)).get(kind) ?? new Map();
}

/** What a day table can hold, by kind (a read may ask fewer: the wall's trends need no devices). */
export const DAY_KINDS = [
	'attendance',
	'device',
	'library',
	'completeness'
] as const satisfies readonly RollupKind[];
export type DayKind = (typeof DAY_KINDS)[number];

/**
 * Per school and measured day, the fields of `kinds`, over [from, to) (`days`: only those days):
 * from the coarsest rollups that fit (source.ts). Device rows also give the first and last minute heard.
 */
function daysSql(
	from: number,
	to: number,
	o: SourceOpts,
	days?: readonly number[],
	kinds: readonly DayKind[] = DAY_KINDS
): { sql: string; params: Record<string, unknown> } {
	const params: Record<string, unknown> = { off: o.dayOffsetS };
	const src = (kind: RollupKind) => {
		const s = rollupSource(kind, from, to, {
			...o,
			prefix: kind.slice(0, 3),
			days: days ? { list: days, offsetS: o.dayOffsetS } : undefined
		});
		Object.assign(params, s.params);
		return s.sql;
	};
	const D = dayOfBucket();
	const branch: Record<DayKind, () => string> = {
		attendance:
			() => `SELECT school_id, ${D} AS d, sum(present) AS f0, sum(enrolled) AS f1, sum(absent_unexcused) AS f2,
	0 AS f3, 0 AS f4, 0 AS f5, 0 AS f6, 0 AS f7, 0 AS f8, sum(reports) AS f9, sum(absent_excused) AS f10, 0 AS first, 0 AS last
	FROM ${src('attendance')} GROUP BY school_id, d`,
		device:
			() => `SELECT school_id, ${D} AS d, 0 AS f0, 0 AS f1, 0 AS f2, sum(up_seconds) AS f3, sum(heartbeats) AS f4,
	sum(went_down) AS f5, 0 AS f6, 0 AS f7, 0 AS f8, 0 AS f9, 0 AS f10,
	toUnixTimestamp(min(bucket)) * 1000 AS first, toUnixTimestamp(max(bucket)) * 1000 AS last
	FROM ${src('device')} GROUP BY school_id, d`,
		library:
			() => `SELECT school_id, ${D} AS d, 0 AS f0, 0 AS f1, 0 AS f2, 0 AS f3, 0 AS f4, 0 AS f5,
	sum(loans + returns + ebook_opens + visits) AS f6, 0 AS f7, 0 AS f8, 0 AS f9, 0 AS f10, 0 AS first, 0 AS last
	FROM ${src('library')} GROUP BY school_id, d`,
		completeness:
			() => `SELECT school_id, d, 0 AS f0, 0 AS f1, 0 AS f2, 0 AS f3, 0 AS f4, 0 AS f5, 0 AS f6, sum(f) AS f7, sum(r) AS f8, 0 AS f9, 0 AS f10, 0 AS first, 0 AS last FROM (
	  SELECT school_id, dataset, ${D} AS d, argMaxMerge(filled_fields) AS f, argMaxMerge(required_fields) AS r
	  FROM ${src('completeness')} GROUP BY school_id, dataset, d)
	GROUP BY school_id, d`
	};
	// one row per school and day, the kinds summed in the engine: a fourth of the rows to parse
	// (a read of the day in progress at 5,000 schools was ~20,000 rows); the stream's first and
	// last minute are the device row's
	const fields = Array.from({ length: F }, (_, f) => `sum(f${f})`).join(', ');
	const sql = `SELECT school_id, d, ${fields}, minIf(first, f4 > 0), maxIf(last, f4 > 0) FROM (
	${kinds.map((k) => branch[k]()).join('\n\tUNION ALL\n\t')}
	) GROUP BY school_id, d`;
	return { sql, params };
}

/** Read days per school (see daysSql) into one table per day of `want` (a day without rows gets an empty table). */
export async function readDayTables(
	ch: CH,
	from: number,
	to: number,
	o: SourceOpts,
	want: readonly number[],
	only?: boolean,
	kinds?: readonly DayKind[]
): Promise<DayTable[]> {
	const q = daysSql(from, to, o, only ? want : undefined, kinds);
	// [school_id, d, f0 … f(F-1), first, last]: arrays, not objects (compactRows)
	const r = await compactRows<(string | number)[]>(ch, q.sql, q.params);
	const byDay = new Map<number, { rows: (string | number)[][]; first: number; last: number }>(
		want.map((d) => [d, { rows: [], first: Infinity, last: 0 }])
	);
	for (const x of r) {
		const day = byDay.get(Number(x[1]));
		if (!day) continue;
		day.rows.push(x);
		if (Number(x[2 + FIELD.hb]) > 0) {
			day.first = Math.min(day.first, Number(x[2 + F]));
			day.last = Math.max(day.last, Number(x[3 + F]));
		}
	}
	return [...byDay].map(([d, { rows, first, last }]) => {
		const ids = rows.map((x) => String(x[0]));
		const vals = new Float64Array(ids.length * F);
		rows.forEach((x, i) => {
			for (let f = 0; f < F; f++) vals[i * F + f] = Number(x[2 + f]);
		});
		return { day: d, ids, vals, version: '', first: last > 0 ? first : 0, last };
	});
}

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
		/** the measured days' shift (a demo clock's; 0: Vietnam days) */
		private readonly shiftMs = 0,
		private readonly maxDays = MAX_DAYS
	) {}

	/** Measured days d0..d1 (day numbers, both included), each checked against its version first. */
	get(d0: number, d1: number): Promise<DayTable[]> {
		// one at a time: two views asking the same days read them once
		const run = this.chain.then(() => this.load(d0, d1));
		this.chain = run.catch(() => {});
		return run;
	}

	/** The Vietnam days measured day `d` spans (one, or two under a shift). */
	private vnDays(d: number): [number, number] {
		const clock = new DayClock(this.shiftMs);
		return [localDay(clock.startOf(d)), localDay(clock.startOf(d + 1) - 1)];
	}

	private async load(d0: number, d1: number): Promise<DayTable[]> {
		if (d1 < d0) return [];
		const versions = await versionBoard(this.ch).read(this.vnDays(d0)[0], this.vnDays(d1)[1]);
		const vnVersion = (d: number) => DAY_KINDS.map((k) => versions.get(k)?.get(d) ?? '0').join('|');
		const versionOf = (d: number) => {
			const [a, b] = this.vnDays(d);
			const out: string[] = [];
			for (let v = a; v <= b; v++) out.push(vnVersion(v));
			return out.join(';');
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
		const s = this.shiftMs;
		const clock = new DayClock(s);
		const o = { now: Date.now(), dailyAligned: s === 0, dayOffsetS: clock.sqlDayOffsetSeconds };
		const from = clock.startOf(Math.min(...days));
		const to = clock.startOf(Math.max(...days) + 1);
		for (const t of await readDayTables(this.ch, from, to, o, days, true))
			this.days.set(t.day, {
				...t,
				version: versionOf(t.day),
				...(s ? { shiftMs: s } : {})
			});
	}
}

/** A shift's day cache of a ClickHouse client (made on first use; a demo clock's shift rarely changes). */
export function dayCache(ch: CH, shiftMs = 0): DayCache {
	const caches = dayCaches(ch);
	let c = caches.get(shiftMs);
	if (!c) {
		// the shift moves only when a demo is restarted at another hour: the last two are kept
		if (caches.size >= 2) caches.delete(caches.keys().next().value!);
		caches.set(shiftMs, (c = new DayCache(ch, shiftMs)));
	}
	return c;
}
const dayCaches = perClient(() => new Map<number, DayCache>());

/** The demo clock's shift of the measured days of `o` (0: Vietnam days; DayClock.sqlDayOffsetSeconds). */
export const shiftOf = (o: { dayOffsetS: number }): number => VN_OFFSET_MS - o.dayOffsetS * 1000;

/** The clock whose measured days `o` reads (its shift from `o.dayOffsetS`). */
export const clockOf = (o: { dayOffsetS: number }): DayClock => new DayClock(shiftOf(o));

/**
 * The closed measured days of [from, to) the cache can serve: from `from` on (a measured day's
 * start), the days ending by `to` whose every hour lies in a Vietnam day before the real clock's
 * today. Null when none, or when `from` is not a measured day's start.
 */
export function closedDays(
	from: number,
	to: number,
	o: { now: number; dayOffsetS: number }
): { d0: number; d1: number } | null {
	const clock = clockOf(o);
	const d0 = clock.day(from);
	// the last measured day ending by `to`, and the last ending by today's Vietnam midnight
	const d1 = Math.min(clock.day(to) - 1, clock.day(dayStartMs(localDay(o.now))) - 1);
	// from a day's start only: the rest of the range is read from the rollups as one span after d1
	if (clock.startOf(d0) !== from || d1 < d0) return null;
	return { d0, d1 };
}
