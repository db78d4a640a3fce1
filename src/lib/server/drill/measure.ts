/**
 * The shared first step of every drill-down view: for a range and a set of schools, read their
 * day-by-day counts (and the city's) from the rollups and their completeness state at the cuts the
 * view needs (as the wall does: the state at the start of the cut's day, kept, and that day's
 * reports). A handful of queries, whatever the number of schools or days.
 */
import { DAY_MS, MORNING, dayStartMs, localMinute } from '../../shared/calendar';
import { libraryBaseline } from '../../shared/kpi';
import { libraryCache } from '../kpi/library-cache';
import { libraryRanges } from '../kpi/snapshot';
import { MINUTE_ROLLUP_DAYS } from '../kpi/source';
import type { RangeInfo } from '../../shared/drill';
import { formatDay, type ResolvedRange } from '../../shared/range';
import type { School } from '../../shared/registry';
import type { CH } from '../platform/clickhouse/client';
import type { DayClock } from '../kpi/day-clock';
import {
	ledgerFlows,
	completenessDays,
	deviceEdges,
	readDays,
	type CompletenessState
} from '../kpi/flows';
import { completenessCache } from '../kpi/completeness-cache';
import type { CompletenessRow } from '../kpi/queries';
import { LEDGER_LEAD_DAYS, buildLedgers, type Ledger } from './ledger';
import { knownVersions, type SourceOpts } from '../kpi/day-cache';

/** Days the trend shows at least (a one-day range still gets a fortnight's context). */
export const MIN_TREND_DAYS = 14;
/** Every level's day opens at 07:00 (calendar.ts): the first hour heard on a normal day. */
const SCHOOL_OPENS_MIN = MORNING.start;
/** Points a completeness trend has at most: longer ranges sample every n-th day. */
export const MAX_STATE_POINTS = 62;
/** How far back "yesterday" may be looked for (a long holiday). */
const MOVER_LOOKBACK_DAYS = 21;

export interface Measured {
	range: ResolvedRange;
	trendFrom: number;
	/** per kept school: recent days one by one, older days of the range summed onto its first day */
	schools: Map<string, Ledger>;
	/** the kept schools together, day by day (a district's trend) */
	area: Ledger;
	city: Ledger;
	/** completeness at the cuts (CUT: range end, previous period end, previous school day, last week) */
	completeness: Map<string, CompletenessState>;
	/** the previous school day (city attendance reported) before the range's last day, if any */
	prevSchoolDay: number | null;
}

export function sourceOpts(clock: DayClock, now: number): SourceOpts {
	return { now, dailyAligned: clock.shiftMs === 0, dayOffsetS: clock.sqlDayOffsetSeconds };
}

/** Read what a view over `range` needs for `kept` schools (and the city). */
export async function measure(
	ch: CH,
	clock: DayClock,
	now: number,
	range: ResolvedRange,
	kept: readonly School[],
	all: readonly School[],
	/** movers: the view shows movers; daily: schools wanted day by day; only: the schools that
	 * need ledgers of their own (default: all kept ones; the rest count in `area` and `city`) */
	opts: {
		movers?: boolean;
		daily?: readonly string[];
		only?: readonly string[];
		/**
		 * the reader sees `kept` and nothing else (a scoped account, docs/scopes.md): the city's
		 * ledger, read from every school in ClickHouse, is not theirs to see; their "city" is `kept`
		 */
		cityIsKept?: boolean;
	} = {}
): Promise<Measured> {
	const trendFrom = Math.min(range.fromDay, range.toDay - MIN_TREND_DAYS + 1);
	const prevFromDay = range.query.compare ? range.fromDay - range.days : range.fromDay;
	const day0 =
		Math.min(trendFrom, prevFromDay, range.toDay - MOVER_LOOKBACK_DAYS) - LEDGER_LEAD_DAYS;
	const days = range.toDay - day0 + 1;
	const from = dayStartMs(day0) + clock.shiftMs;
	const o = sourceOpts(clock, now);
	// every day of the span per school, read once (closed days from the day cache) for both reads below
	o.read = (await readDays(ch, from, range.to, o)) ?? undefined;
	const keep = kept.map((s) => s.school_id);
	// completeness is a state: only the trend's days are needed, and a long trend is sampled
	const trendDays = range.toDay - trendFrom + 1;
	const step = Math.ceil(trendDays / MAX_STATE_POINTS);
	const stateDays: number[] = [];
	for (let d = range.toDay; d >= trendFrom; d -= step) stateDays.push(d);
	const [flows, completenessDaily] = await Promise.all([
		ledgerFlows(
			ch,
			from,
			range.to,
			keep,
			{
				recent: range.toDay - MOVER_LOOKBACK_DAYS,
				fromDay: range.fromDay,
				prevFromDay: prevFromDay,
				daily: opts.daily ?? []
			},
			o,
			dayStartMs(day0 + LEDGER_LEAD_DAYS) + clock.shiftMs,
			opts.only ?? keep
		),
		completenessDays(
			ch,
			dayStartMs(trendFrom) + clock.shiftMs,
			range.to,
			keep,
			o,
			step > 1 ? stateDays : undefined
		)
	]);
	const { attendance, device, library } = flows;
	// the exact edge minutes matter where the stream began mid-hour (its first hour falls in the
	// ledger, after the first day) and where the range ends mid-day (live, or a replayed moment)
	const heard = device.filter((r) => r.b > 0 && (r.key === '' || r.key === '#'));
	const lastStart = dayStartMs(range.toDay) + clock.shiftMs;
	const midDay = range.to < lastStart + DAY_MS;
	const firstHour = heard.length ? Math.min(...heard.map((r) => r.first_ms)) : null;
	const edges = heard.length
		? await deviceEdges(
				ch,
				// a school day's first heartbeat is at the opening hour (or a day row says midnight); a
				// later first hour is a stream that began mid-day
				firstHour !== null &&
					![0, SCHOOL_OPENS_MIN].includes(localMinute(firstHour - clock.shiftMs))
					? { hour: firstHour }
					: null,
				midDay ? { hour: Math.max(...heard.map((r) => r.last_ms)), to: range.to } : null,
				o
			)
		: undefined;
	const { schools, area, city } = buildLedgers(
		{ day0, days, to: range.to, edges },
		{ attendance, device, library, completeness: completenessDaily },
		kept,
		all,
		clock,
		opts.only ? new Set(opts.only) : undefined
	);
	// a day in progress (now, or a replayed moment): its usual library use is that of the same
	// weekdays up to the same time of day, as on the wall, not a share of a whole day
	if (midDay && range.to > now - MINUTE_ROLLUP_DAYS * DAY_MS) {
		// today so far [0] and the same time on the 4 previous same weekdays [2..5], as the wall reads them
		const ranges = libraryRanges(lastStart, range.to).map((r, k) =>
			k === 1 || k > 5 ? ([0, 0] as [number, number]) : r
		);
		// the earlier days' library versions: read a moment ago with the day cache's days
		const lib = await libraryCache(ch).bySchool(
			ranges,
			Date.now(),
			knownVersions(o.read?.tables ?? [], 'library')
		);
		const i = range.toDay - day0;
		const inArea = new Set(keep);
		for (const l of [city, area]) l.lib[i] = l.libExp[i] = 0;
		for (const s of all) {
			const r = lib.get(s.school_id)?.ranges ?? [];
			const base = s.elibrary ? libraryBaseline([2, 3, 4, 5].map((k) => r[k] ?? 0)) : null;
			const l = schools.get(s.school_id);
			if (l) l.libExp[i] = base ?? 0;
			if (base === null) continue;
			// like the wall: only schools with a usual level count, today's use and its usual level alike
			for (const t of inArea.has(s.school_id) ? [city, area] : [city]) {
				t.lib[i] += r[0] ?? 0;
				t.libExp[i] += base;
			}
		}
	}
	let prevSchoolDay: number | null = null;
	for (let d = range.toDay - 1; d >= day0; d--)
		if (city.enrolled[d - day0] > 0) {
			prevSchoolDay = d;
			break;
		}
	const dayEnd = (d: number) => dayStartMs(d + 1) + clock.shiftMs;
	// cuts: range end, previous period end, end of the previous school day, end of the same day
	// last week; the last three only when the view shows them (each costs a merge per dataset)
	const cuts = [
		range.to,
		range.prevTo,
		prevSchoolDay === null ? range.to : dayEnd(prevSchoolDay),
		dayEnd(range.toDay - 7)
	];
	const wanted = [true, range.query.compare, !!opts.movers, !!opts.movers];
	// each cut's state: what stood at the start of its day (kept per process, as the wall's) and
	// that day's reports up to the cut; the earlier days' versions are those just read for the ledgers
	const knownComp = knownVersions(o.read?.tables ?? [], 'completeness');
	const comp = completenessCache(ch);
	const atCut: (Map<string, CompletenessRow> | null)[] = [];
	for (let i = 0; i < cuts.length; i++)
		atCut.push(
			wanted[i] ? await comp.bySchool(clock.dayStart(cuts[i]), cuts[i], now, knownComp, keep) : null
		);
	// the four positions (CUT); a cut not asked for reads as "no report"; the syncs as of the range's end
	const completeness = new Map<string, CompletenessState>();
	for (const id of keep) {
		const rows = atCut.map((m) => m?.get(id));
		if (!rows.some(Boolean)) continue;
		const latest = (f: (r: CompletenessRow) => number | null) =>
			rows.reduce<number | null>(
				(m, r) => (r && f(r) !== null && (m === null || f(r)! > m) ? f(r) : m),
				null
			);
		completeness.set(id, {
			school_id: id,
			cuts: rows.map((r) =>
				r
					? { datasets: r.datasets, required: r.required, filled: r.filled }
					: { datasets: 0, required: 0, filled: 0 }
			),
			last_sync_department: latest((r) => r.last_sync_department),
			last_sync_ministry: latest((r) => r.last_sync_ministry)
		});
	}
	return {
		range,
		trendFrom,
		schools,
		area,
		city: opts.cityIsKept ? area : city,
		completeness,
		prevSchoolDay
	};
}

export const CUT = { end: 0, prevEnd: 1, yesterday: 2, lastWeek: 3 } as const;

/** What a view shows about its range. */
export function rangeInfo(r: ResolvedRange): RangeInfo {
	return {
		preset: r.query.preset,
		from_day: formatDay(r.fromDay),
		to_day: formatDay(r.toDay),
		from: new Date(r.from).toISOString(),
		to: new Date(r.to).toISOString(),
		as_of: new Date(r.asOf).toISOString(),
		replay: r.replay,
		days: r.days,
		prev: r.query.compare
			? { from_day: formatDay(r.fromDay - r.days), to_day: formatDay(r.toDay - r.days) }
			: null
	};
}
