/**
 * A ledger: one entity's (school, district, city) day-by-day counts over a span of measured days,
 * from which every range value, trend point and mover is computed. Rates are always recomputed
 * from summed counts, never averaged, and a group's ledger is the sum of its schools'.
 *
 * - uptime: up seconds ÷ scheduled seconds (devices × school hours), counted only on days the
 *   stream was receiving (any heartbeat in the city), from the first minute heard that day; on the
 *   last day, up to the last minute heard (minutes not yet received are not devices down).
 * - library: activity ÷ the entity's usual activity for that weekday (mean of the 4 previous same
 *   weekdays with activity; see libraryBaseline), the last day's usual scaled by the share of its
 *   school hours gone by.
 */
import { DAY_MS, MINUTE_MS, dayStartMs } from '../../shared/calendar';
import {
	SYNC_OVERDUE_MS,
	libraryBaseline,
	statusOf,
	worstStatus,
	type KpiId,
	type Status
} from '../../shared/kpi';
import type { School, SchoolLevel } from '../../shared/registry';
import { levelsKey, type DayClock } from '../kpi/day-clock';
import type { CompletenessState, FlowDay } from '../kpi/flows';

export const FIELDS = [
	'present',
	'enrolled',
	'unexcused',
	'up',
	'hb',
	'down',
	'sched',
	'lib',
	'libExp',
	'compF',
	'compR'
] as const;
type Field = (typeof FIELDS)[number];

/** Typed arrays: a district's view over a year holds a hundred of these, made per request. */
export interface Ledger extends Record<Field, Float64Array> {
	day0: number;
}

/** A ledger of zeros; its fields are views of one buffer (a district's view makes ~500 of them). */
export function emptyLedger(day0: number, days: number): Ledger {
	const l = { day0 } as Ledger;
	const buf = new Float64Array(FIELDS.length * days);
	FIELDS.forEach((f, k) => (l[f] = buf.subarray(k * days, (k + 1) * days)));
	return l;
}

const LIBRARY_WEEKS = 4;
/** Days a ledger needs before the first day it is asked about (the library baseline). */
export const LEDGER_LEAD_DAYS = LIBRARY_WEEKS * 7;

export interface LedgerSpan {
	/** first ledger day (lead days included) and number of days */
	day0: number;
	days: number;
	/** the moment the data ends (exclusive): now, a replay moment or the end of the last day */
	to: number;
	/** the first and last minute heard over the whole span, when known to the minute */
	edges?: { first: number | null; last: number | null };
}

export interface Flows {
	attendance: FlowDay[];
	device: FlowDay[];
	library: FlowDay[];
	completeness: FlowDay[];
}

const ALL_LEVELS: readonly SchoolLevel[] = [
	'preschool',
	'primary',
	'lower_secondary',
	'upper_secondary'
];

/**
 * Ledgers for the kept schools, the kept schools together (`area`: a district) and the whole city.
 * Flow rows (ledgerFlows) come keyed '' (other schools) and '#' (the kept ones) per day, and per
 * kept school (its older days summed onto the range's first day: right for range totals, and the
 * day-by-day trends read `area` and `city`). Completeness rows (completenessDays) come keyed by
 * kept school or ''.
 */
export function buildLedgers(
	span: LedgerSpan,
	flows: Flows,
	kept: readonly School[],
	all: readonly School[],
	clock: DayClock,
	/** the kept schools that get a ledger of their own (default: all) */
	perSchool?: ReadonlySet<string>
): { schools: Map<string, Ledger>; area: Ledger; city: Ledger } {
	const { day0, days, to } = span;
	const idx = (day: number) => day - day0;
	const own = perSchool ? kept.filter((s) => perSchool.has(s.school_id)) : kept;
	const schools = new Map(own.map((s) => [s.school_id, emptyLedger(day0, days)]));
	const city = emptyLedger(day0, days);
	const area = emptyLedger(day0, days);
	const put = (rows: FlowDay[], f: (l: Ledger, i: number, r: FlowDay) => void) => {
		for (const r of rows) {
			const i = idx(r.day);
			if (i < 0 || i >= days) continue;
			if (r.key === '' || r.key === '#') {
				f(city, i, r);
				if (r.key === '#') f(area, i, r);
			} else {
				const l = schools.get(r.key);
				if (l) f(l, i, r);
			}
		}
	};
	// completeness rows are per kept school: they count for the area and the city too
	const spread = (rows: FlowDay[]): FlowDay[] =>
		rows.flatMap((r) => (r.key === '' ? [r] : [r, { ...r, key: '#' }]));
	put(flows.attendance, (l, i, r) => {
		l.present[i] += r.a;
		l.enrolled[i] += r.b;
		l.unexcused[i] += r.c;
	});
	put(flows.device, (l, i, r) => {
		l.up[i] += r.a;
		l.hb[i] += r.b;
		l.down[i] += r.c;
	});
	put(flows.library, (l, i, r) => (l.lib[i] += r.a));
	put(spread(flows.completeness), (l, i, r) => {
		l.compF[i] += r.a;
		l.compR[i] += r.b;
	});

	// when the stream was receiving, per day: from the first to (on the last day) the last minute heard
	const first = new Array<number>(days).fill(Infinity);
	const last = new Array<number>(days).fill(0);
	for (const r of flows.device) {
		const i = idx(r.day);
		if (i < 0 || i >= days || r.b === 0 || (r.key !== '' && r.key !== '#')) continue;
		first[i] = Math.min(first[i], r.first_ms);
		last[i] = Math.max(last[i], r.last_ms);
	}
	// the hourly rollups place a heartbeat in its hour; the exact edge minutes, where known, are finer
	if (span.edges) {
		const days0 = first.map((f, i) => (Number.isFinite(f) ? i : -1)).filter((i) => i >= 0);
		if (span.edges.first !== null && days0.length)
			first[days0[0]] = Math.max(first[days0[0]], span.edges.first);
		if (span.edges.last !== null && days0.length) last[days0[days0.length - 1]] = span.edges.last;
	}
	// a range that ends mid-day (now, or a replayed moment) ends its last day at the last minute
	// heard: minutes the stream had not delivered yet are not devices down. Only a minute-exact
	// edge can say so (hour and day rows say too little); a range of whole days is never clipped.
	const clipLast =
		span.edges?.last != null && to < dayStartMs(clock.day(to - 1) + 1) + clock.shiftMs;
	const lastDay = clock.day(to - 1);
	const window = (i: number): [number, number] | null => {
		if (city.hb[i] === 0) return null;
		const start = dayStartMs(day0 + i) + clock.shiftMs;
		const end = Math.min(
			start + DAY_MS,
			to,
			clipLast && day0 + i === lastDay ? last[i] + MINUTE_MS : Infinity
		);
		return [Math.max(start, first[i]), end];
	};
	const windows = Array.from({ length: days }, (_, i) => window(i));
	const dayFraction = (
		levels: readonly SchoolLevel[],
		i: number,
		sched: (l: readonly SchoolLevel[], a: number, b: number) => number
	) => {
		const start = dayStartMs(day0 + i) + clock.shiftMs;
		if (to >= start + DAY_MS) return 1;
		const full = sched(levels, start, start + DAY_MS);
		return full > 0 ? sched(levels, start, Math.max(start, to)) / full : 0;
	};

	const sched = clock.scheduledMinutesMemo();
	// a number per day, worked out once per set of levels (schools share a handful of sets)
	const perLevels = (
		ofDay: (levels: readonly SchoolLevel[], i: number) => number,
		fromDay = 0
	): ((levels: readonly SchoolLevel[]) => Float64Array) => {
		const memo = new Map<string, Float64Array>();
		return (levels) => {
			const key = levelsKey(levels);
			let a = memo.get(key);
			if (!a) {
				a = new Float64Array(days);
				for (let i = fromDay; i < days; i++) a[i] = ofDay(levels, i);
				memo.set(key, a);
			}
			return a;
		};
	};
	// scheduled seconds per device and day
	const secondsPerDevice = perLevels((levels, i) => {
		const w = windows[i];
		return w ? sched(levels, w[0], w[1]) * 60 : 0;
	});
	const scheduleOf = (s: Pick<School, 'levels' | 'devices'>, l: Ledger) => {
		const devices = s.devices ?? 0;
		if (!devices) return;
		const a = secondsPerDevice(s.levels);
		for (let i = 0; i < days; i++) if (a[i]) l.sched[i] += devices * a[i];
	};
	for (const s of kept) {
		const l = schools.get(s.school_id);
		if (l) scheduleOf(s, l);
		scheduleOf(s, area);
	}
	// the city: devices summed per set of levels (schools share a handful), then scheduled once per set
	const devicesByLevels = new Map<string, { levels: SchoolLevel[]; devices: number }>();
	for (const s of all) {
		const k = levelsKey(s.levels);
		const g = devicesByLevels.get(k) ?? { levels: s.levels, devices: 0 };
		g.devices += s.devices ?? 0;
		devicesByLevels.set(k, g);
	}
	for (const g of devicesByLevels.values())
		scheduleOf({ levels: g.levels, devices: g.devices }, city);
	// the share of each day's school hours gone by (1 but on a day the range ends in)
	const fractionsOf = perLevels((levels, i) => dayFraction(levels, i, sched), LEDGER_LEAD_DAYS);
	const week = new Array<number>(LIBRARY_WEEKS);
	const expect = (l: Ledger, levels: readonly SchoolLevel[]) => {
		const fraction = fractionsOf(levels);
		for (let i = LEDGER_LEAD_DAYS; i < days; i++) {
			for (let w = 0; w < LIBRARY_WEEKS; w++) week[w] = l.lib[i - 7 * (w + 1)];
			const base = libraryBaseline(week);
			l.libExp[i] = base === null ? 0 : base * fraction[i];
		}
	};
	for (const s of own) expect(schools.get(s.school_id)!, s.levels);
	expect(city, ALL_LEVELS);
	expect(area, ALL_LEVELS);
	return { schools, area, city };
}

const sum = (xs: Float64Array, i0: number, i1: number) => {
	let t = 0;
	for (let i = Math.max(0, i0); i <= i1 && i < xs.length; i++) t += xs[i];
	return t;
};
const sumWhere = (xs: Float64Array, cond: Float64Array, i0: number, i1: number) => {
	let t = 0;
	for (let i = Math.max(0, i0); i <= i1 && i < xs.length; i++) if (cond[i] > 0) t += xs[i];
	return t;
};
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export type KpiValues = Record<KpiId, number | null>;

/** The four KPI values over ledger days [d0, d1] (measured day numbers, both included). */
export function valuesOver(l: Ledger, d0: number, d1: number): KpiValues {
	const [i0, i1] = [d0 - l.day0, d1 - l.day0];
	const up = sum(l.up, i0, i1);
	const sched = sum(l.sched, i0, i1);
	return {
		attendance: ratio(sum(l.present, i0, i1), sum(l.enrolled, i0, i1)),
		uptime: sum(l.hb, i0, i1) > 0 && sched > 0 ? Math.min(1, up / sched) : null,
		// only days with a usual level count: a school's first weeks (no baseline yet) are not "above usual"
		library: ratio(sumWhere(l.lib, l.libExp, i0, i1), sum(l.libExp, i0, i1)),
		// a state: the last day in the span with a report
		completeness: (() => {
			for (let i = Math.min(i1, l.compR.length - 1); i >= Math.max(0, i0); i--)
				if (l.compR[i] > 0) return l.compF[i] / l.compR[i];
			return null;
		})()
	};
}

/**
 * The flow KPIs of the sum of `ls` over [d0, d1], as valuesOver of their field-by-field sum gives them (the
 * same additions in the same order) without building the summed ledger: a district's breakdowns
 * over a year summed every field of every day of every school. Completeness is a state, summed
 * by the caller from the schools' states: null here.
 */
export function valuesOverSum(ls: readonly Ledger[], d0: number, d1: number): KpiValues {
	const none: KpiValues = { attendance: null, uptime: null, library: null, completeness: null };
	if (ls.length === 0) return none;
	const day0 = ls[0].day0;
	const i0 = Math.max(0, d0 - day0);
	const i1 = Math.min(d1 - day0, ls[0].present.length - 1);
	if (i1 < i0) return none;
	const n = i1 - i0 + 1;
	const at = {
		present: new Float64Array(n),
		enrolled: new Float64Array(n),
		up: new Float64Array(n),
		sched: new Float64Array(n),
		hb: new Float64Array(n),
		lib: new Float64Array(n),
		libExp: new Float64Array(n)
	};
	const fields = Object.keys(at) as (keyof typeof at)[];
	for (const l of ls)
		for (const f of fields) {
			const src = l[f];
			const dst = at[f];
			for (let i = 0; i < n; i++) dst[i] += src[i0 + i];
		}
	const tot = (xs: Float64Array) => {
		let t = 0;
		for (let i = 0; i < n; i++) t += xs[i];
		return t;
	};
	let libUsual = 0;
	for (let i = 0; i < n; i++) if (at.libExp[i] > 0) libUsual += at.lib[i];
	const up = tot(at.up);
	const sched = tot(at.sched);
	return {
		attendance: ratio(tot(at.present), tot(at.enrolled)),
		uptime: tot(at.hb) > 0 && sched > 0 ? Math.min(1, up / sched) : null,
		library: ratio(libUsual, tot(at.libExp)),
		completeness: null
	};
}

/** One KPI's value per day over [d0, d1]. */
export function dailySeries(l: Ledger, kpi: KpiId, d0: number, d1: number): (number | null)[] {
	const out: (number | null)[] = [];
	for (let d = d0; d <= d1; d++) {
		if (kpi === 'completeness') {
			const i = d - l.day0;
			out.push(l.compR[i] > 0 ? l.compF[i] / l.compR[i] : null);
		} else out.push(valuesOver(l, d, d)[kpi]);
	}
	return out;
}

/** Completeness as of a cut from a completeness state. */
export function completenessOf(c: CompletenessState | undefined, cut: number): number | null {
	const x = c?.cuts[cut];
	return x && x.required > 0 ? x.filled / x.required : null;
}

/** A school's status over a range: as on the wall, the worst of attendance, uptime and completeness. */
export function rangeStatus(
	v: KpiValues,
	heard: boolean,
	lastSyncDepartment: number | null,
	asOf: number
): Status {
	if (!heard) return 'nodata';
	const overdue = lastSyncDepartment === null || asOf - lastSyncDepartment > SYNC_OVERDUE_MS;
	return worstStatus([
		statusOf('attendance', v.attendance),
		statusOf('uptime', v.uptime),
		statusOf('completeness', v.completeness),
		overdue ? 'watch' : 'good'
	]);
}

/** Whether a ledger heard anything in [d0, d1]. */
export function heardOver(l: Ledger, d0: number, d1: number): boolean {
	const [i0, i1] = [d0 - l.day0, d1 - l.day0];
	return (
		sum(l.enrolled, i0, i1) + sum(l.hb, i0, i1) + sum(l.lib, i0, i1) + sum(l.compR, i0, i1) > 0
	);
}
