/**
 * Reconciliation: every rollup that a materialized view fills from a raw table, compared with the
 * same aggregation computed again from that raw table, per school and bucket, and (on request)
 * the differing buckets rebuilt from the raw table (docs/reconcile.md).
 *
 * - The raw side reads the raw table `FINAL` (ReplacingMergeTree: a redelivered event counts
 *   once), the rollup side finalizes its columns (sum of the SimpleAggregateFunction columns,
 *   -Merge of the states). One query per rollup: a FULL OUTER JOIN of the two aggregations, so a
 *   bucket missing on either side is a difference too.
 * - Only days both tables still hold are compared: a raw table's TTL (device_raw: 90 days)
 *   or a rollup's (the minute rollups: 35 days) removes rows from one side only.
 * - `day_versions` counts the events ever written per kind and day (it only grows): it differs
 *   when it holds fewer than the raw table. It is a view (migration 0013): each kind's rollup's
 *   city-wide day grain plus `day_version_bumps`, where a repair adds.
 * - A repair deletes the differing buckets of the rollup (a mutation, waited for: the minute and
 *   hour rollups have projections, which lightweight DELETE refuses) and inserts them again from
 *   the raw table with the view's own aggregation, then bumps the days' versions so the app's
 *   caches of closed days read them again. Then it compares again.
 */
import { TupleParam } from '@clickhouse/client';
import { DAY_MS, dayStartMs, localDay } from '../../../shared/calendar';
import type { TelemetryKind } from '../../../shared/contract';
import type { ReconciliationHealth } from '../../../shared/health';
import { formatDay, parseDay } from '../../../shared/range';
import type { Logger } from '../log';
import { rows, type CH } from './client';
import { daysWritten } from './written';

type Grain = 'minute' | 'hour' | 'day';

/** One rollup column: its aggregation over raw rows (finalized and as the view's state) and its finalization in the rollup. */
interface Field {
	name: string;
	/** over the raw rows of a bucket, finalized: what the rollup's finalized column must equal */
	raw: string;
	/** over the raw rows of a bucket, as the materialized view writes it */
	state: string;
	/** over the rollup's rows of a bucket */
	merge: string;
}

/** A rollup fed by a materialized view from a raw table, keyed by school, bucket and maybe one more column. */
export interface RollupSpec {
	/** the name readers use */
	table: string;
	/**
	 * Where the rows live, when `table` is a view of one grain of a kind's rollup table (migration
	 * 0013): the table and the grain's number. A repair deletes and writes there.
	 */
	store?: { table: string; grain: 1 | 2 | 3 };
	kind: TelemetryKind;
	grain: Grain;
	/** a key beside school and bucket (completeness: the dataset; device_unit_1d: the device) */
	extra?: string;
	/** days the rollup keeps (its TTL); null: no TTL */
	keepDays: number | null;
	fields: Field[];
}

const sum = (name: string, expr: string): Field => ({
	name,
	raw: expr,
	state: expr,
	merge: `sum(${name})`
});
const max = (name: string, expr: string): Field => ({
	name,
	raw: expr,
	state: expr,
	merge: `max(${name})`
});
const uniq = (name: string, arg: string, cond?: string): Field => ({
	name,
	raw: cond ? `uniqIf(${arg}, ${cond})` : `uniq(${arg})`,
	state: cond ? `uniqStateIf(${arg}, ${cond})` : `uniqState(${arg})`,
	merge: `uniqMerge(${name})`
});
const argMax = (name: string, value: string, by: string): Field => ({
	name,
	raw: `argMax(${value}, ${by})`,
	state: `argMaxState(${value}, ${by})`,
	merge: `argMaxMerge(${name})`
});

/** The raw tables and the days their TTL keeps (clickhouse/migrations 0002–0005). */
export const RAW_TABLES: Record<TelemetryKind, { table: string; keepDays: number }> = {
	attendance: { table: 'attendance_raw', keepDays: 400 },
	device: { table: 'device_raw', keepDays: 90 },
	library: { table: 'library_raw', keepDays: 400 },
	completeness: { table: 'completeness_raw', keepDays: 400 }
};

const GRAINS: { grain: Grain; id: 1 | 2 | 3; suffix: string; keepDays: number | null }[] = [
	{ grain: 'minute', id: 1, suffix: '1m', keepDays: 35 },
	{ grain: 'hour', id: 2, suffix: '1h', keepDays: 800 },
	{ grain: 'day', id: 3, suffix: '1d', keepDays: null }
];

// The views' SELECTs (migrations 0002–0005, 0010), column by column.
const ATTENDANCE = [
	sum('reports', 'count()'),
	sum('enrolled', 'sum(enrolled)'),
	sum('present', 'sum(present)'),
	sum('absent_excused', 'sum(absent_excused)'),
	sum('absent_unexcused', 'sum(absent_unexcused)')
];
const DEVICE = [
	sum('heartbeats', "countIf(event = 'heartbeat')"),
	sum('up_heartbeats', "countIf(event = 'heartbeat' AND status = 'up')"),
	sum('up_seconds', "sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up')"),
	sum('reported_seconds', "sumIf(toUInt64(interval_s), event = 'heartbeat')"),
	sum('went_down', "countIf(event = 'change' AND status = 'down')"),
	uniq('devices', 'device_id'),
	uniq('devices_up', 'device_id', "status = 'up'")
];
const LIBRARY = [
	sum('reports', 'count()'),
	sum('loans', 'sum(loans)'),
	sum('returns', 'sum(returns)'),
	sum('ebook_opens', 'sum(ebook_opens)'),
	sum('visits', 'sum(visits)')
];
const COMPLETENESS = [
	sum('reports', 'count()'),
	argMax('required_fields', 'required_fields', 'ts'),
	argMax('filled_fields', 'filled_fields', 'ts'),
	argMax('records', 'records', 'ts'),
	max('last_sync_department', "max(ifNull(last_sync_department, toDateTime64(0, 3, 'UTC')))"),
	max('last_sync_ministry', "max(ifNull(last_sync_ministry, toDateTime64(0, 3, 'UTC')))")
];
const MS = 'toUnixTimestamp64Milli(ts)';
const DEVICE_UNIT = [
	argMax('room', 'room', MS),
	argMax('device_kind', 'toString(device_kind)', MS),
	sum('up_seconds', "sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up')"),
	sum('heartbeats', "countIf(event = 'heartbeat')"),
	sum('went_down', "countIf(event = 'change' AND status = 'down')"),
	max('last_ts', 'max(ts)'),
	argMax('last_state', 'concat(status, char(31), reason)', `${MS} * 2 + (event = 'change')`)
];

/** Every rollup a materialized view fills from a raw table, except day_versions (compared on its own: see above). */
export const ROLLUPS: readonly RollupSpec[] = [
	...(
		[
			['attendance', ATTENDANCE, undefined],
			['device', DEVICE, undefined],
			['library', LIBRARY, undefined],
			['completeness', COMPLETENESS, 'dataset']
		] as const
	).flatMap(([kind, fields, extra]) =>
		GRAINS.map((g) => ({
			table: `${kind}_${g.suffix}`,
			store: { table: `${kind}_rollup`, grain: g.id },
			kind,
			grain: g.grain,
			extra,
			keepDays: g.keepDays,
			fields
		}))
	),
	{
		table: 'device_unit_1d',
		kind: 'device',
		grain: 'day',
		extra: 'device_id',
		keepDays: null,
		fields: DEVICE_UNIT
	}
];

/** The tables this checks: the rollups and day_versions. */
export const RECONCILED_TABLES: readonly string[] = ['day_versions', ...ROLLUPS.map((r) => r.table)];

const bucketCol = (g: Grain) => (g === 'day' ? 'day' : 'bucket');
const bucketOf = (g: Grain) =>
	g === 'minute'
		? 'toStartOfMinute(ts)'
		: g === 'hour'
			? 'toStartOfHour(ts)'
			: "toDate(ts, 'Asia/Ho_Chi_Minh')";
const bucketType = (g: Grain) => (g === 'day' ? 'Date' : "DateTime('UTC')");
/** The parameter `k`: (school, bucket) keys. */
const keysParam = (g: Grain) => `{k:Array(Tuple(String, ${bucketType(g)}))}`;

export interface Difference {
	table: string;
	/** null for day_versions (per kind, not per school) */
	school_id: string | null;
	/** `YYYY-MM-DD` (a Vietnam day) for the daily tables, else the bucket's start in UTC, `YYYY-MM-DDTHH:MM:SSZ` */
	bucket: string;
	/** the key beside school and bucket, when the table has one: `dataset=…`, `device_id=…`, `kind=…` */
	key?: string;
	field: string;
	/** the value computed from the raw table; null when the raw table has nothing in the bucket */
	raw: string | null;
	/** the rollup's value; null when the rollup has no row for the bucket */
	rollup: string | null;
}

export interface TableCheck {
	table: string;
	/** the days compared (a table's or its raw table's TTL may shorten the range asked); null: none */
	from: string | null;
	to: string | null;
	/** why the days compared are fewer than asked, when they are */
	note?: string;
	/** buckets compared (each key: school, bucket and the extra key) */
	checked: number;
	/** buckets that differed */
	differing: number;
	/** buckets rebuilt (with `repair`) */
	repaired: number;
	/** buckets that still differ after the repair (without `repair`: = differing) */
	remaining: number;
	ms: number;
}

export interface ReconcileResult {
	from: string;
	to: string;
	started_at: string;
	finished_at: string;
	repair: boolean;
	tables: TableCheck[];
	/** buckets compared, every table */
	checked: number;
	/** buckets that differed, every table (before any repair) */
	differing: number;
	/** the differing fields, at most DIFFERENCE_LIMIT buckets per table */
	differences: Difference[];
	/** buckets rebuilt */
	repaired: number;
	/** buckets that still differ */
	remaining: number;
}

export interface ReconcileOptions {
	/** first and last Vietnam day, `YYYY-MM-DD`, both included */
	from: string;
	to: string;
	repair?: boolean;
	/** the moment the TTLs count from (default: ClickHouse's clock) */
	now?: number;
	/** only these tables (default RECONCILED_TABLES) */
	tables?: readonly string[];
	/** store the result in `reconciliations` (the health endpoint shows the last), saying who ran it */
	record?: ReconciliationHealth['by'];
	/** told as each table is done (the command prints progress) */
	onTable?: (t: TableCheck) => void;
}

/** Buckets listed per table in `differences`. */
export const DIFFERENCE_LIMIT = 200;
/** Above this many differing buckets a table's repair rebuilds its whole range instead. */
export const REPAIR_KEYS_LIMIT = 5_000;
/** Keys per DELETE/INSERT statement (their parameters travel in the request). */
const KEYS_PER_STATEMENT = 1_000;

export class ReconcileError extends Error {
	override name = 'ReconcileError';
}

interface Window {
	d0: number;
	d1: number;
	note?: string;
}

/** The days of [d0, d1] both tables still hold at `now`: whole Vietnam days after each TTL's cut. */
export function comparableDays(
	d0: number,
	d1: number,
	now: number,
	keeps: { table: string; keepDays: number | null }[]
): Window {
	let from = d0;
	let note: string | undefined;
	for (const k of keeps) {
		if (k.keepDays === null) continue;
		const first = localDay(now - k.keepDays * DAY_MS) + 1;
		if (first > from) {
			from = first;
			note = `${k.table} keeps ${k.keepDays} days: compared from ${formatDay(first)}`;
		}
	}
	return { d0: from, d1, note };
}

interface Compared {
	/** (school, bucket) keys compared */
	checked: number;
	/** (school, bucket) keys with a difference */
	differing: number;
	/** up to DIFFERENCE_LIMIT differing rows: keys, then the raw and rollup values by field */
	sample: { school_id: string; bucket: string; extra: string; r: (string | null)[]; u: (string | null)[] }[];
	/** up to REPAIR_KEYS_LIMIT differing (school, bucket) keys */
	keys: [string, string][];
}

const timeParams = (w: Window) => ({
	t0: dayStartMs(w.d0),
	t1: dayStartMs(w.d1 + 1),
	d0: formatDay(w.d0),
	d1: formatDay(w.d1)
});
const tsWhere = `ts >= fromUnixTimestamp64Milli({t0:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({t1:Int64}, 'UTC')`;
const bucketWhere = (g: Grain, day = 'day') =>
	g === 'day'
		? `${day} >= {d0:Date} AND ${day} <= {d1:Date}`
		: `bucket >= fromUnixTimestamp64Milli({t0:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({t1:Int64}, 'UTC')`;
/** A Vietnam day's start as the UTC instant a rollup table's day grain keys it by (migration 0013). */
const DAY_BUCKET = "toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')";
const DAY_OF_BUCKET = "toDate(bucket, 'Asia/Ho_Chi_Minh')";

/** The comparison of one rollup with its raw table over the days of `w` (`keyed`: only the (school, bucket) keys `{k}`). */
export function compareSql(s: RollupSpec, keyed = false): string {
	const raw = RAW_TABLES[s.kind].table;
	const b = bucketCol(s.grain);
	const keys = ['school_id', b, ...(s.extra ? [s.extra] : [])];
	const rawKeys = ['school_id', `${bucketOf(s.grain)} AS ${b}`, ...(s.extra ? [s.extra] : [])];
	const differs = [
		'r_p IS NULL',
		'u_p IS NULL',
		...s.fields.map((f) => `r_${f.name} != u_${f.name}`)
	].join(' OR ');
	const strings = (side: 'r' | 'u') => `[${s.fields.map((f) => `toString(${side}_${f.name})`).join(', ')}]`;
	return `SELECT uniqExact(school_id, ${b}) AS checked, uniqExactIf(school_id, ${b}, differs) AS differing,
		groupArrayIf(${DIFFERENCE_LIMIT})(tuple(toString(school_id), toString(${b}), ${s.extra ? `toString(${s.extra})` : "''"}, ${strings('r')}, ${strings('u')}), differs) AS sample,
		groupUniqArrayIf(${REPAIR_KEYS_LIMIT})(tuple(toString(school_id), toString(${b})), differs) AS keys
	FROM (
		SELECT *, ${differs} AS differs
		FROM (
			SELECT ${rawKeys.join(', ')}, 1 AS r_p, ${s.fields.map((f) => `${f.raw} AS r_${f.name}`).join(', ')}
			FROM ${raw} FINAL WHERE ${tsWhere}${keyed ? ` AND (school_id, ${bucketOf(s.grain)}) IN ${keysParam(s.grain)}` : ''}
			GROUP BY ${keys.join(', ')}
		) AS r
		FULL OUTER JOIN (
			SELECT ${keys.join(', ')}, 1 AS u_p, ${s.fields.map((f) => `${f.merge} AS u_${f.name}`).join(', ')}
			FROM ${s.table} WHERE ${bucketWhere(s.grain)}${keyed ? ` AND (school_id, ${b}) IN ${keysParam(s.grain)}` : ''}
			GROUP BY ${keys.join(', ')}
		) AS u USING (${keys.join(', ')})
	)
	SETTINGS join_use_nulls = 1`;
}

async function compareOnce(
	ch: CH,
	s: RollupSpec,
	w: Window,
	keys?: [string, string][]
): Promise<Compared> {
	const [r] = await rows<{
		checked: string;
		differing: string;
		sample: [string, string, string, (string | null)[], (string | null)[]][];
		keys: [string, string][];
	}>(
		ch,
		compareSql(s, !!keys),
		keys ? { ...timeParams(w), k: keys.map((x) => new TupleParam(x)) } : timeParams(w)
	);
	return {
		checked: Number(r.checked),
		differing: Number(r.differing),
		sample: r.sample.map(([school_id, bucket, extra, rv, uv]) => ({
			school_id,
			bucket,
			extra,
			r: rv,
			u: uv
		})),
		keys: r.keys
	};
}

/**
 * Days per comparison query: a minute rollup's week is ~3M buckets for the city's 467 schools,
 * each with two uniq states on the device side; longer spans would hold gigabytes at once.
 */
const CHUNK_DAYS: Record<Grain, number> = { minute: 7, hour: 92, day: 400 };

/** compareOnce over `w` in chunks of CHUNK_DAYS, the results added up. */
async function compare(ch: CH, s: RollupSpec, w: Window): Promise<Compared> {
	const out: Compared = { checked: 0, differing: 0, sample: [], keys: [] };
	for (let d = w.d0; d <= w.d1; d += CHUNK_DAYS[s.grain]) {
		const c = await compareOnce(ch, s, { d0: d, d1: Math.min(w.d1, d + CHUNK_DAYS[s.grain] - 1) });
		out.checked += c.checked;
		out.differing += c.differing;
		out.sample.push(...c.sample.slice(0, DIFFERENCE_LIMIT - out.sample.length));
		out.keys.push(...c.keys.slice(0, REPAIR_KEYS_LIMIT - out.keys.length));
	}
	return out;
}

const isoBucket = (g: Grain, b: string) => (g === 'day' ? b : `${b.replace(' ', 'T')}Z`);

function differencesOf(s: RollupSpec, c: Compared): Difference[] {
	const out: Difference[] = [];
	for (const row of c.sample)
		s.fields.forEach((f, i) => {
			if (row.r[i] !== null && row.r[i] === row.u[i]) return;
			out.push({
				table: s.table,
				school_id: row.school_id,
				bucket: isoBucket(s.grain, row.bucket),
				...(s.extra ? { key: `${s.extra}=${row.extra}` } : {}),
				field: f.name,
				raw: row.r[i],
				rollup: row.u[i]
			});
		});
	return out;
}

/**
 * Compare again only the keys that differed: an insert in flight writes the raw table first and
 * the views after, so a bucket receiving events can differ for a moment; what differs twice is
 * real. Thousands of differing keys are not in flight: then the first comparison stands.
 */
async function confirmed(ch: CH, s: RollupSpec, w: Window, first: Compared): Promise<Compared> {
	if (first.keys.length >= REPAIR_KEYS_LIMIT) return first;
	const again = await compareKeys(ch, s, w, first.keys);
	return { ...again, checked: first.checked };
}

/** compareOnce of some (school, bucket) keys, KEYS_PER_STATEMENT at a time. */
async function compareKeys(
	ch: CH,
	s: RollupSpec,
	w: Window,
	keys: [string, string][]
): Promise<Compared> {
	const out: Compared = { checked: 0, differing: 0, sample: [], keys: [] };
	for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
		const c = await compareOnce(ch, s, w, keys.slice(i, i + KEYS_PER_STATEMENT));
		out.checked += c.checked;
		out.differing += c.differing;
		out.sample.push(...c.sample.slice(0, DIFFERENCE_LIMIT - out.sample.length));
		out.keys.push(...c.keys);
	}
	return out;
}

/**
 * Delete the rollup's rows of `keys` (or of the whole window) and insert them again from the raw
 * table. A grain of a kind's rollup table is deleted and written in that table, the grain's rows
 * only; its day grain is keyed by the day's start instant (`bucket`), its view by `day`.
 */
async function rebuild(ch: CH, s: RollupSpec, w: Window, keys: [string, string][] | 'all') {
	const raw = RAW_TABLES[s.kind].table;
	const b = bucketCol(s.grain);
	const extra = s.extra ? `, ${s.extra}` : '';
	const fields = s.fields.map((f) => f.name).join(', ');
	const states = s.fields.map((f) => f.state).join(', ');
	const target = s.store
		? {
				table: s.store.table,
				// its own grain only, and the bucket in the table's terms
				only: `grain = ${s.store.grain} AND `,
				key: s.grain === 'day' ? DAY_OF_BUCKET : 'bucket',
				bucket: 'bucket',
				insert: `INSERT INTO ${s.store.table} (grain, school_id${extra}, bucket, ${fields})
				 SELECT ${s.store.grain}, school_id${extra}, ${s.grain === 'day' ? DAY_BUCKET : bucketOf(s.grain)} AS bucket, ${states}`
			}
		: {
				table: s.table,
				only: '',
				key: b,
				bucket: b,
				insert: `INSERT INTO ${s.table} (school_id, ${b}${extra}, ${fields})
				 SELECT school_id, ${bucketOf(s.grain)} AS ${b}${extra}, ${states}`
			};
	const select = (where: string) =>
		`${target.insert}
		 FROM ${raw} FINAL WHERE ${tsWhere} AND ${where}
		 GROUP BY school_id, ${target.bucket}${extra}`;
	const params = timeParams(w);
	if (keys === 'all') {
		await ch.command({
			query: `ALTER TABLE ${target.table} DELETE WHERE ${target.only}${bucketWhere(s.grain, target.key)}`,
			query_params: params,
			clickhouse_settings: { mutations_sync: '2' }
		});
		await ch.command({ query: select('1'), query_params: params });
	} else {
		const inKeys = `{k:Array(Tuple(String, ${bucketType(s.grain)}))}`;
		for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
			const k = keys.slice(i, i + KEYS_PER_STATEMENT).map((x) => new TupleParam(x));
			await ch.command({
				query: `ALTER TABLE ${target.table} DELETE WHERE ${target.only}(school_id, ${target.key}) IN ${inKeys}`,
				query_params: { k },
				clickhouse_settings: { mutations_sync: '2' }
			});
			await ch.command({
				query: select(`(school_id, ${bucketOf(s.grain)}) IN ${inKeys}`),
				query_params: { ...params, k }
			});
		}
	}
	// the app caches closed days while their version holds (kpi/day-cache.ts): move it on, for
	// every day rebuilt (a row only the rollup had included: it has no raw row to find it by)
	const days = new Set<number>();
	if (keys === 'all') for (let d = w.d0; d <= w.d1; d++) days.add(d);
	else
		for (const [, bucket] of keys)
			days.add(
				s.grain === 'day'
					? parseDay(bucket)!
					: localDay(Date.parse(`${bucket.replace(' ', 'T')}Z`))
			);
	await ch.insert({
		table: 'day_version_bumps',
		values: [...days].map((d) => ({ kind: s.kind, day: formatDay(d), events: 1 })),
		format: 'JSONEachRow'
	});
	if (days.size) daysWritten(ch, Math.min(...days), Math.max(...days));
}

/** day_versions against the raw tables: a day's version must be at least its events. */
const VERSIONS_SQL = (kind: TelemetryKind) => `
	SELECT toString(day) AS day, toString(r_n) AS raw, toString(u_n) AS rollup, toUInt64(r_n) - toUInt64(ifNull(u_n, 0)) AS short
	FROM (SELECT toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS r_n FROM ${RAW_TABLES[kind].table} FINAL WHERE ${tsWhere} GROUP BY day) AS r
	LEFT JOIN (SELECT day, sum(events) AS u_n FROM day_versions WHERE kind = {kind:String} AND day >= {d0:Date} AND day <= {d1:Date} GROUP BY day) AS u
	USING (day)
	ORDER BY day
	SETTINGS join_use_nulls = 1`;

interface VersionCheck {
	kind: TelemetryKind;
	checked: number;
	/** the days whose version is below their events */
	short: { day: string; raw: string; rollup: string | null; short: string }[];
}

async function compareVersions(ch: CH, kind: TelemetryKind, w: Window): Promise<VersionCheck> {
	const r = await rows<{ day: string; raw: string; rollup: string | null; short: string }>(
		ch,
		VERSIONS_SQL(kind),
		{ ...timeParams(w), kind }
	);
	return {
		kind,
		checked: r.length,
		short: r.filter((x) => x.rollup === null || BigInt(x.raw) > BigInt(x.rollup))
	};
}

function parseDayStrict(s: string, name: string): number {
	const d = parseDay(s);
	if (d === null) throw new ReconcileError(`'${name}' must be a date YYYY-MM-DD, not "${s}"`);
	return d;
}

/**
 * Compare every rollup (and day_versions) with its raw table over the Vietnam days `from`..`to`;
 * with `repair`, rebuild the differing buckets and compare again.
 */
export async function reconcile(ch: CH, opts: ReconcileOptions): Promise<ReconcileResult> {
	const started = Date.now();
	const d0 = parseDayStrict(opts.from, 'from');
	const d1 = parseDayStrict(opts.to, 'to');
	if (d1 < d0) throw new ReconcileError(`'to' (${opts.to}) is before 'from' (${opts.from})`);
	const tables = opts.tables ?? RECONCILED_TABLES;
	for (const t of tables)
		if (!RECONCILED_TABLES.includes(t)) throw new ReconcileError(`no rollup called ${t}`);
	const now =
		opts.now ??
		Number((await rows<{ t: string }>(ch, 'SELECT toUnixTimestamp64Milli(now64(3)) AS t'))[0].t);

	const checks: TableCheck[] = [];
	const differences: Difference[] = [];
	// day_versions first: a rollup's repair moves the versions of its days on
	if (tables.includes('day_versions')) {
		const t0 = Date.now();
		const check: TableCheck = {
			table: 'day_versions',
			from: formatDay(d0),
			to: formatDay(d1),
			checked: 0,
			differing: 0,
			repaired: 0,
			remaining: 0,
			ms: 0
		};
		checks.push(check);
		// each kind over the days its raw table still holds (device: 90 days)
		const windows = (Object.keys(RAW_TABLES) as TelemetryKind[])
			.map((kind) => ({ kind, w: comparableDays(d0, d1, now, [RAW_TABLES[kind]]) }))
			.filter((x) => x.w.d0 <= x.w.d1);
		const notes = windows.flatMap((x) => (x.w.note ? [x.w.note] : []));
		if (notes.length) check.note = notes.join('; ');
		const compareAll = async () => {
			const out: VersionCheck[] = [];
			for (const x of windows) out.push(await compareVersions(ch, x.kind, x.w));
			return out;
		};
		const found = await compareAll();
		for (const v of found) {
			check.checked += v.checked;
			check.differing += v.short.length;
			for (const x of v.short.slice(0, DIFFERENCE_LIMIT))
				differences.push({
					table: 'day_versions',
					school_id: null,
					bucket: x.day,
					key: `kind=${v.kind}`,
					field: 'events',
					raw: x.raw,
					rollup: x.rollup
				});
		}
		check.remaining = check.differing;
		if (opts.repair && check.differing > 0) {
			// a version only grows: add what is missing
			await ch.insert({
				table: 'day_version_bumps',
				values: found.flatMap((v) =>
					v.short.map((x) => ({ kind: v.kind, day: x.day, events: x.short }))
				),
				format: 'JSONEachRow'
			});
			const bumped = found.flatMap((v) => v.short.map((x) => parseDay(x.day)!));
			daysWritten(ch, Math.min(...bumped), Math.max(...bumped));
			check.repaired = check.differing;
			check.remaining = (await compareAll()).reduce((a, v) => a + v.short.length, 0);
		}
		check.ms = Date.now() - t0;
		opts.onTable?.(check);
	}

	for (const s of ROLLUPS) {
		if (!tables.includes(s.table)) continue;
		const t0 = Date.now();
		const raw = RAW_TABLES[s.kind];
		const w = comparableDays(d0, d1, now, [raw, { table: s.table, keepDays: s.keepDays }]);
		const check: TableCheck = {
			table: s.table,
			from: w.d0 <= w.d1 ? formatDay(w.d0) : null,
			to: w.d0 <= w.d1 ? formatDay(w.d1) : null,
			...(w.note ? { note: w.note } : {}),
			checked: 0,
			differing: 0,
			repaired: 0,
			remaining: 0,
			ms: 0
		};
		checks.push(check);
		if (w.d0 > w.d1) continue;
		let c = await compare(ch, s, w);
		if (c.differing > 0) c = await confirmed(ch, s, w, c);
		check.checked = c.checked;
		check.differing = c.differing;
		check.remaining = c.differing;
		differences.push(...differencesOf(s, c));
		if (opts.repair && c.differing > 0) {
			const whole = c.keys.length >= REPAIR_KEYS_LIMIT;
			await rebuild(ch, s, w, whole ? 'all' : c.keys);
			check.repaired = c.differing;
			// compared again: the rebuilt keys (or, rebuilt whole, the range)
			check.remaining = (whole ? await compare(ch, s, w) : await compareKeys(ch, s, w, c.keys))
				.differing;
		}
		check.ms = Date.now() - t0;
		opts.onTable?.(check);
	}

	const total = (k: 'checked' | 'differing' | 'repaired' | 'remaining') =>
		checks.reduce((a, c) => a + c[k], 0);
	const result: ReconcileResult = {
		from: formatDay(d0),
		to: formatDay(d1),
		started_at: new Date(started).toISOString(),
		finished_at: new Date().toISOString(),
		repair: !!opts.repair,
		tables: checks,
		checked: total('checked'),
		differing: total('differing'),
		differences,
		repaired: total('repaired'),
		remaining: total('remaining')
	};
	if (opts.record) await recordReconciliation(ch, result, opts.record);
	return result;
}

/** Store a reconciliation's result in `reconciliations` (migration 0012). */
export async function recordReconciliation(
	ch: CH,
	r: ReconcileResult,
	by: ReconciliationHealth['by']
): Promise<void> {
	await ch.insert({
		table: 'reconciliations',
		format: 'JSONEachRow',
		values: [
			{
				finished_at: r.finished_at,
				started_at: r.started_at,
				by,
				from_day: r.from,
				to_day: r.to,
				repair: r.repair,
				checked: r.checked,
				differing: r.differing,
				repaired: r.repaired,
				remaining: r.remaining,
				tables: JSON.stringify(r.tables),
				differences: JSON.stringify(r.differences.slice(0, DIFFERENCE_LIMIT))
			}
		]
	});
}

/** The last reconciliation stored (by the command or the app), null before the first. */
export async function lastReconciliation(
	ch: CH,
	by?: ReconciliationHealth['by']
): Promise<ReconciliationHealth | null> {
	const [r] = await rows<{
		finished_at: string;
		by: ReconciliationHealth['by'];
		from_day: string;
		to_day: string;
		repair: boolean | number;
		checked: string;
		differing: string;
		repaired: string;
		remaining: string;
	}>(
		ch,
		`SELECT toString(finished_at) AS finished_at, by, toString(from_day) AS from_day, toString(to_day) AS to_day,
			repair, checked, differing, repaired, remaining
		 FROM reconciliations ${by ? 'WHERE by = {by:String}' : ''}
		 ORDER BY finished_at DESC LIMIT 1`,
		by ? { by } : {}
	);
	if (!r) return null;
	return {
		at: new Date(r.finished_at.replace(' ', 'T') + 'Z').toISOString(),
		by: r.by,
		from: r.from_day,
		to: r.to_day,
		repair: !!r.repair,
		checked: Number(r.checked),
		differing: Number(r.differing),
		repaired: Number(r.repaired),
		remaining: Number(r.remaining)
	};
}

/**
 * The app's own check: once a day, from 02:00 in Cần Thơ (late events have arrived), the day
 * before, compared and not repaired (a repair is an operator's decision: `npm run reconcile --
 * --repair`). One day costs seconds of one core on a year's store (docs/reconcile.md). It
 * is skipped when a reconciliation that finished after that day already covered it, so a restart
 * or a second app process does not run it again.
 */
export class NightlyReconcile {
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<unknown> | null = null;
	private cached: { at: number; value: ReconciliationHealth | null } | null = null;

	constructor(
		private readonly ch: CH,
		private readonly log: Logger,
		private readonly opts: { everyMs?: number; firstAfterMs?: number; cacheMs?: number } = {}
	) {}

	/** Look every `everyMs` (15 min) whether yesterday is due, the first time `firstAfterMs` (1 min) after start. */
	start(): void {
		const every = this.opts.everyMs ?? 15 * 60_000;
		const run = () => {
			this.running = this.tick()
				.catch((error) => this.log.warn('nightly reconciliation failed', { error }))
				.finally(() => {
					this.running = null;
					if (this.timer) this.timer = setTimeout(run, every).unref();
				});
		};
		this.timer = setTimeout(run, this.opts.firstAfterMs ?? 60_000).unref();
	}

	async stop(): Promise<void> {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		await this.running;
	}

	/** Check yesterday when it is due at `now`; the result, or null when it was not due. */
	async tick(now = Date.now()): Promise<ReconcileResult | null> {
		const today = localDay(now);
		if (now - dayStartMs(today) < 2 * 3600_000) return null;
		const yesterday = formatDay(today - 1);
		const [done] = await rows<{ n: string }>(
			this.ch,
			`SELECT count() AS n FROM reconciliations
			 WHERE from_day <= {d:Date} AND to_day >= {d:Date} AND finished_at >= fromUnixTimestamp64Milli({t:Int64}, 'UTC')`,
			{ d: yesterday, t: dayStartMs(today) }
		);
		if (Number(done.n) > 0) return null;
		const r = await reconcile(this.ch, { from: yesterday, to: yesterday, now, record: 'app' });
		this.cached = null;
		const ms = Date.parse(r.finished_at) - Date.parse(r.started_at);
		if (r.differing > 0)
			this.log.warn('rollups differ from the raw tables', {
				day: yesterday,
				differing: r.differing,
				tables: r.tables.filter((t) => t.differing > 0).map((t) => t.table),
				repair: `npm run reconcile -- --from ${yesterday} --to ${yesterday} --repair`
			});
		else this.log.info('rollups reconciled', { day: yesterday, checked: r.checked, ms });
		return r;
	}

	/** The last reconciliation (any process's), read at most every `cacheMs` (30 s): health asks every tick. */
	async latest(now = Date.now()): Promise<ReconciliationHealth | null> {
		if (this.cached && now - this.cached.at < (this.opts.cacheMs ?? 30_000))
			return this.cached.value;
		const value = await lastReconciliation(this.ch);
		this.cached = { at: now, value };
		return value;
	}
}
