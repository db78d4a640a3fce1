/**
 * What the drill-down ledgers read from the rollups: day-by-day flows for a set of schools and
 * for the rest of the city in one query (ledgerFlows), and completeness per day. The completeness
 * state at a moment (the latest report per dataset) comes from kpi/completeness-cache.ts.
 */
import { dayStartMs } from '../../shared/calendar';
import { rows, type CH } from '../platform/clickhouse/client';
import {
	DAY_KINDS,
	DAY_WIDTH,
	FIELD,
	closedDays,
	dayCache,
	eachSchool,
	clockOf,
	readDayTables,
	shiftOf,
	type DayKind,
	type DaySpan,
	type DayTable,
	type SourceOpts
} from './day-cache';
import { dayOfBucket, rollupSource, type RollupKind } from './source';
import { msParam } from '../platform/clickhouse/sql';
import { sharedPerClient, upToAbout } from './tick-shared';

/**
 * Every day of [from, to) per school: closed days from the day cache (day-cache.ts), the rest
 * (the day in progress, under a demo clock's shift also yesterday, a replayed moment's day) in
 * one read of the rollups, shared for a tick. Null when the cache cannot serve the range (a range
 * not from a measured day's start): the caller reads the rollups as before.
 */
export async function readDays(
	ch: CH,
	from: number,
	to: number,
	o: SourceOpts,
	kinds: readonly DayKind[] = DAY_KINDS
): Promise<DaySpan | null> {
	const clock = clockOf(o);
	const m = o.read;
	if (m && m.to === to && m.from <= from && kinds.every((k) => m.kinds.includes(k))) {
		const d0 = clock.day(from);
		return { from, to, tables: m.tables.filter((t) => t.day >= d0), kinds: m.kinds };
	}
	if (o.noCache || clock.dayStart(from) !== from) return null;
	const span = closedDays(from, to, o);
	const tables = span ? await dayCache(ch, clock.shiftMs).get(span.d0, span.d1) : [];
	const restDay = span ? span.d1 + 1 : clock.day(from);
	const start = (d: number) => clock.startOf(d);
	// the rest: whole days (under a shift, yesterday: it reaches into today's Vietnam day) and the
	// day `to` falls in
	const whole: number[] = [];
	const part: number[] = [];
	for (let d = restDay; start(d) < to; d++) (start(d + 1) <= to ? whole : part).push(d);
	const tag = `${kinds.join(',')}|${o.dayOffsetS}`;
	if (whole.length) {
		const [a, b] = [start(whole[0]), start(whole[whole.length - 1] + 1)];
		tables.push(
			...(await settledDays(ch).get(`${a}|${b}|${tag}`, undefined, () =>
				readDayTables(ch, a, b, o, whole, false, kinds)
			))
		);
	}
	if (part.length) {
		const a = start(part[0]);
		tables.push(
			...(await dayInProgress(ch).get(`${a}|${part.join(',')}|${tag}`, to, (t) =>
				readDayTables(ch, a, t, o, part, false, kinds)
			))
		);
	}
	return { from, to, tables, kinds };
}

/**
 * Whole days the day cache cannot keep: under a demo clock's shift, yesterday's measured day
 * reaches into today's Vietnam day, whose version moves with every write. It is over, so it
 * changes only with a late event: read at most every 30 s (such an event is seen within a
 * minute), not at every tick with the day in progress.
 */
const settledDays = sharedPerClient<DayTable[]>({ max: 8, tickMs: 30_000, staleMs: 60_000 }, null);

/**
 * The days after the closed ones (the day in progress, a replayed moment's day), read once per
 * tick and shared by every view and screen asking them up to the same moment or a later one
 * within the tick (tick-shared.ts): what a view shows of today is at most STALE_MS old, also
 * after this process's own writes (a live feed's flush every few dozen milliseconds).
 */
const dayInProgress = sharedPerClient<DayTable[], number>(
	{
		max: 16,
		fits: upToAbout
	},
	null
);

const n = (v: unknown): number => Number(v ?? 0);
type Raw = Record<string, string>;

export interface FlowDay {
	/** a school id of the chosen set, or '' for all other schools together */
	key: string;
	day: number;
	/** attendance: present, enrolled, unexcused · device: up seconds, heartbeats, went down · library: activity (b, c: 0) */
	a: number;
	b: number;
	c: number;
	/** device only: first and last minute heard that day (ms) */
	first_ms: number;
	last_ms: number;
}

const FLOW_EXPR: Record<Exclude<RollupKind, 'completeness'>, string> = {
	attendance: 'sum(present) AS a, sum(enrolled) AS b, sum(absent_unexcused) AS c, 0 AS f, 0 AS l',
	device:
		'sum(up_seconds) AS a, sum(heartbeats) AS b, sum(went_down) AS c, toUnixTimestamp(min(bucket)) * 1000 AS f, toUnixTimestamp(max(bucket)) * 1000 AS l',
	library: 'sum(loans + returns + ebook_opens + visits) AS a, 0 AS b, 0 AS c, 0 AS f, 0 AS l'
};

/** Which days a ledger needs one by one; the others of a school are summed into one row (see ledgerFlows). */
export interface Lumps {
	/** from this measured day on, every school's days come one by one */
	recent: number;
	/** older days of the range, and of the previous period, are summed onto their first day */
	fromDay: number;
	prevFromDay: number;
	/** schools whose every day is wanted (the school a school view shows) */
	daily: readonly string[];
}

/**
 * What a view's ledgers need, in one query, with as few rows as possible (rows, not scanning,
 * are what a query over a year costs): per day, the kept schools together ('#') and all the
 * others ('') for the trends and the city; per school, its recent days one by one (movers) and
 * its older days of the range and of the previous period as one row each (range totals).
 * Library stays per school and day: its usual level is per weekday.
 * Rows of the first kind have `key` '' or '#'; of the second, a school id.
 */
export async function ledgerFlows(
	ch: CH,
	from: number,
	to: number,
	keep: readonly string[],
	lumps: Lumps,
	o: SourceOpts,
	/** attendance and devices need no library lead: they are read from here */
	flowsFrom = from,
	/** the schools that get rows of their own (default: all kept ones) */
	perSchool: readonly string[] = keep
): Promise<Record<'attendance' | 'device' | 'library', FlowDay[]>> {
	const kinds = ['attendance', 'device', 'library'] as const;
	const days = await readDays(ch, from, to, o);
	if (days) return flowsOfDays(days.tables, keep, perSchool, lumps, flowsFrom, shiftOf(o));
	const params: Record<string, unknown> = {
		keep,
		per: perSchool,
		off: o.dayOffsetS,
		recent: lumps.recent,
		fromDay: lumps.fromDay,
		prevDay: lumps.prevFromDay,
		daily: lumps.daily
	};
	const D = dayOfBucket();
	const branches = kinds.flatMap((kind) => {
		const src = rollupSource(kind, kind === 'library' ? from : Math.max(from, flowsFrom), to, {
			...o,
			prefix: kind.slice(0, 3)
		});
		Object.assign(params, src.params);
		const oneByOne =
			kind === 'library' ? '1' : `${D} >= {recent:Int64} OR school_id IN {daily:Array(String)}`;
		return [
			`SELECT '${kind}' AS kind, if(school_id IN {keep:Array(String)}, '#', '') AS key, ${D} AS d, ${FLOW_EXPR[kind]} FROM ${src.sql} GROUP BY key, d`,
			`SELECT '${kind}' AS kind, toString(school_id) AS key,
			        multiIf(${oneByOne}, ${D}, ${D} >= {fromDay:Int64}, {fromDay:Int64}, ${D} >= {prevDay:Int64}, {prevDay:Int64}, -1) AS d, ${FLOW_EXPR[kind]}
			 FROM ${src.sql} WHERE school_id IN {per:Array(String)} GROUP BY key, d HAVING d >= 0`
		];
	});
	const r = await rows<Raw>(ch, branches.join(' UNION ALL '), params);
	const out = { attendance: [] as FlowDay[], device: [] as FlowDay[], library: [] as FlowDay[] };
	for (const x of r)
		out[x.kind as (typeof kinds)[number]].push({
			key: x.key,
			day: n(x.d),
			a: n(x.a),
			b: n(x.b),
			c: n(x.c),
			first_ms: n(x.f),
			last_ms: n(x.l)
		});
	return out;
}

/**
 * Completeness per day: the latest filled/required of each dataset reported that day, summed.
 * `days` (measured day numbers) limits it to those days: a state changes slowly, so a long
 * trend samples it rather than merging every day's states.
 */
export async function completenessDays(
	ch: CH,
	from: number,
	to: number,
	keep: readonly string[],
	o: SourceOpts,
	days?: readonly number[]
): Promise<FlowDay[]> {
	const read = await readDays(ch, from, to, o);
	if (read) {
		const wanted = days ? new Set(days) : null;
		const kept = new Set(keep);
		const out: FlowDay[] = [];
		for (const t of read.tables) {
			if (wanted && !wanted.has(t.day)) continue;
			const acc = new Map<string, FlowDay>();
			eachSchool(t, (id, v, i) => {
				if (!v[i + FIELD.compR] && !v[i + FIELD.compF]) return;
				const key = kept.has(id) ? id : '';
				const row = acc.get(key) ?? { key, day: t.day, a: 0, b: 0, c: 0, first_ms: 0, last_ms: 0 };
				row.a += v[i + FIELD.compF];
				row.b += v[i + FIELD.compR];
				acc.set(key, row);
			});
			out.push(...acc.values());
		}
		return out;
	}
	const src = rollupSource('completeness', from, to, {
		...o,
		days: days ? { list: days, offsetS: o.dayOffsetS } : undefined
	});
	const r = await rows<Raw>(
		ch,
		`SELECT key, day, sum(f) AS a, sum(r) AS b FROM (
		   SELECT if(school_id IN {keep:Array(String)}, toString(school_id), '') AS key, school_id, dataset, ${dayOfBucket()} AS day,
		          argMaxMerge(filled_fields) AS f, argMaxMerge(required_fields) AS r
		   FROM ${src.sql} GROUP BY key, school_id, dataset, day)
		 GROUP BY key, day`,
		{ ...src.params, keep, off: o.dayOffsetS }
	);
	return r.map((x) => ({
		key: x.key,
		day: n(x.day),
		a: n(x.a),
		b: n(x.b),
		c: 0,
		first_ms: 0,
		last_ms: 0
	}));
}

/**
 * ledgerFlows' rows from days read per school (readDays), as its query would give them: per day the kept schools
 * together ('#') and the others (''), and per school its days lumped as `lumps` says. A device
 * row's first and last minute are the day's start (its bucket), as when read from `*_1d`.
 */
function flowsOfDays(
	tables: readonly DayTable[],
	keep: readonly string[],
	perSchool: readonly string[],
	lumps: Lumps,
	flowsFrom: number,
	/** the measured days' shift (shiftOf) */
	shiftMs: number
): Record<'attendance' | 'device' | 'library', FlowDay[]> {
	const out = { attendance: [] as FlowDay[], device: [] as FlowDay[], library: [] as FlowDay[] };
	const kept = new Set(keep);
	const per = new Set(perSchool);
	const daily = new Set(lumps.daily);
	const KINDS = [
		['attendance', FIELD.present, FIELD.enrolled, FIELD.unexcused],
		['device', FIELD.up, FIELD.hb, FIELD.down],
		['library', FIELD.lib, -1, -1]
	] as const;
	// per kind, school and (lumped) day: a school's own rows
	const own = KINDS.map(() => new Map<string, Map<number, FlowDay>>());
	const row = (key: string, day: number, first: number, last: number): FlowDay => ({
		key,
		day,
		a: 0,
		b: 0,
		c: 0,
		first_ms: first,
		last_ms: last
	});
	for (const t of tables) {
		const flows = dayStartMs(t.day) + shiftMs >= flowsFrom;
		const v = t.vals;
		for (let k = 0; k < KINDS.length; k++) {
			const [kind, a, b, c] = KINDS[k];
			if (kind !== 'library' && !flows) continue;
			// only device rows carry the minutes heard
			const first = kind === 'device' ? t.first : 0;
			const last = kind === 'device' ? t.last : 0;
			const area = [row('#', t.day, first, last), row('', t.day, first, last)];
			for (let s = 0; s < t.ids.length; s++) {
				const i = s * DAY_WIDTH;
				const va = v[i + a];
				const vb = b < 0 ? 0 : v[i + b];
				const vc = c < 0 ? 0 : v[i + c];
				if (!va && !vb && !vc) continue;
				const id = t.ids[s];
				const r = area[kept.has(id) ? 0 : 1];
				r.a += va;
				r.b += vb;
				r.c += vc;
				if (!per.has(id)) continue;
				// library stays per day (its usual level is per weekday): one row per school and day, no lumping
				if (kind === 'library') {
					out.library.push({ key: id, day: t.day, a: va, b: 0, c: 0, first_ms: 0, last_ms: 0 });
					continue;
				}
				const d =
					t.day >= lumps.recent || daily.has(id)
						? t.day
						: t.day >= lumps.fromDay
							? lumps.fromDay
							: t.day >= lumps.prevFromDay
								? lumps.prevFromDay
								: -1;
				if (d < 0) continue;
				let bySchool = own[k].get(id);
				if (!bySchool) own[k].set(id, (bySchool = new Map()));
				let o = bySchool.get(d);
				if (!o) bySchool.set(d, (o = row(id, d, 0, 0)));
				o.a += va;
				o.b += vb;
				o.c += vc;
			}
			for (const r of area) if (r.a || r.b || r.c) out[kind].push(r);
		}
	}
	KINDS.forEach(([kind], k) => {
		for (const bySchool of own[k].values()) out[kind].push(...bySchool.values());
	});
	return out;
}

/** How far back a completeness state looks, from the start of its day: a dataset silent for longer is not counted. */
export const COMPLETENESS_LOOKBACK_DAYS = 35;

export interface CompletenessState {
	school_id: string;
	/** per cut, in the order given: datasets reported, required fields, filled fields */
	cuts: { datasets: number; required: number; filled: number }[];
	last_sync_department: number | null;
	last_sync_ministry: number | null;
}

const edgeShare = sharedPerClient<number | null, number>(
	{
		max: 64,
		fits: upToAbout
	},
	null
);
/**
 * The first minute heard in the stream's first hour: it moves only with a late heartbeat earlier
 * in that hour (heartbeats come later, not earlier), seen within a minute; the last minute (up
 * to now) is read each tick.
 */
const firstEdgeShare = sharedPerClient<number | null, number>(
	{ max: 16, tickMs: 30_000, staleMs: 60_000 },
	null
);

/**
 * The exact first and last minute with a heartbeat, within the hours the hourly rows place them
 * in: the hourly rollups only know the hour, but a stream that started (or stands) mid-hour must
 * not count the minutes it did not cover as devices down. Each is asked only when it can matter
 * (null otherwise, or where the minute rollups are gone). The stream's edges, so the city's: the
 * hours they refine are the city's too (a ledger's window, drill/ledger.ts), and one read (by the
 * rollup's time projection, not a search per school) serves every view for a tick. Before, each
 * view searched its own schools' minutes: 40–190 ms a view at 5,000 schools.
 */
export async function deviceEdges(
	ch: CH,
	first: { hour: number } | null,
	last: { hour: number; to: number } | null,
	o: SourceOpts
): Promise<{ first: number | null; last: number | null }> {
	const keep = o.now - 34 * 86_400_000;
	// shared for a tick (every view asks the same hour up to about now)
	const edge = (agg: 'min' | 'max', a: number, b: number) =>
		(agg === 'min' ? firstEdgeShare : edgeShare)(ch).get(`${agg}|${a}`, b, async (b) => {
			const r = await rows<Raw>(
				ch,
				`SELECT toUnixTimestamp(${agg}(bucket)) * 1000 AS t, count() AS n FROM device_rollup
				 WHERE grain = 1 AND bucket >= ${msParam('a')} AND bucket < ${msParam('b')}`,
				{ a, b }
			);
			return r[0] && n(r[0].n) > 0 ? n(r[0].t) : null;
		});
	return {
		first:
			first && first.hour >= keep ? await edge('min', first.hour, first.hour + 3_600_000) : null,
		last: last && last.hour >= keep ? await edge('max', last.hour, last.to) : null
	};
}
