/**
 * Every figure a report states, computed in one pass from ClickHouse, the registry and the store:
 * the area's KPIs over the range (and the period before it, when kept), by district, by month and
 * by school; the schools most behind; data completeness per dataset and district; how fresh the
 * syncs to the department and the ministry are; the alert workload. The numbers are those of the
 * drill-down (the same `measure` and ledgers the district and school pages read), so a report and
 * the page for the same range agree. Nothing here is typed in.
 */
import { civil, dayOf, DAY_MS } from '../../shared/calendar';
import type { KpiValues, SchoolRow } from '../../shared/drill';
import { KPI_IDS, STATUS_RANK, THRESHOLDS } from '../../shared/kpi';
import { formatDay, type ResolvedRange } from '../../shared/range';
import { districtResolver, type Area, type Registry, type School } from '../../shared/registry';
import type { Alert } from '../../shared/alerts';
import type { CH } from '../platform/clickhouse/client';
import { rows } from '../platform/clickhouse/client';
import { msParam } from '../platform/clickhouse/sql';
import type { DayClock } from '../kpi/day-clock';
import { COMPLETENESS_LOOKBACK_DAYS } from '../kpi/flows';
import { CUT, measure, type Measured } from '../drill/measure';
import { groupValues, schoolRows, sortRows } from '../drill/district';
import { heardOver, valuesOver } from '../drill/ledger';
import type { Store } from '../store/open';
import { listRules } from '../store/alerts';

/** Schools listed as most behind. */
export const BEHIND = 10;
/** A sync older than this at the period's end is overdue (the alert rule's default, 48 h). */
export const SYNC_FRESH_MS = 48 * 3_600_000;

export interface DistrictFigures {
	id: string;
	name: string;
	kind: Area['kind'];
	schools: number;
	/** heard from (any stream) in the period; and in its last seven days */
	reporting: number;
	reporting_recent: number;
	values: KpiValues;
	prev: KpiValues | null;
	/** synced to the department / the ministry within 48 h of the period's end */
	synced_department: number;
	synced_ministry: number;
}

export interface DatasetFigures {
	dataset: string;
	schools: number;
	required: number;
	filled: number;
	/** filled ÷ required, or null when nothing was reported */
	ratio: number | null;
}

export interface MonthFigures {
	/** "2026-01" */
	month: string;
	values: KpiValues;
}

export interface BehindRow {
	school_id: string;
	name: string;
	district: string;
	/** how many KPIs are under their alert threshold, then under watch */
	alerts: number;
	watches: number;
	values: KpiValues;
}

export interface AlertWorkload {
	fired: number;
	acknowledged: number;
	/** of the alerts whose rule sets an acknowledgement target (escalate_after_min > 0) */
	with_target: number;
	acked_within_target: number;
	escalated: number;
	resolved: number;
	/** open (not resolved) at the period's end */
	open_at_end: number;
	/** per rule kind, the same counts */
	by_rule: {
		rule: string;
		fired: number;
		acked_within_target: number;
		with_target: number;
		escalated: number;
	}[];
	by_district: Record<string, number>;
}

export interface Figures {
	range: ResolvedRange;
	/** the area's schools (a district's, a school alone, or the city's) */
	schools: School[];
	values: KpiValues;
	prev: KpiValues | null;
	/** the city's values over the same period (a district or school report compares with it) */
	city: KpiValues;
	districts: DistrictFigures[];
	months: MonthFigures[];
	school_rows: (SchoolRow & { district: string })[];
	behind: BehindRow[];
	datasets: DatasetFigures[];
	/** per district and dataset (the same shape) */
	datasets_by_district: Record<string, DatasetFigures[]>;
	reporting: number;
	reporting_recent: number;
	synced_department: number;
	synced_ministry: number;
	alerts: AlertWorkload;
}

export interface FiguresInput {
	ch: CH;
	clock: DayClock;
	store: Store;
	registry: Registry;
	now: number;
	range: ResolvedRange;
	/** the schools the report covers (already narrowed to the asker's scope) */
	schools: readonly School[];
	/** called between steps, for a job's progress */
	step?: (name: string) => void;
}

/** Compute every figure for a report over `range` and `schools`. */
export async function reportFigures(inp: FiguresInput): Promise<Figures> {
	const { ch, clock, registry, range } = inp;
	const step = inp.step ?? (() => {});
	const districtOf = districtResolver(registry.areas);
	const kept = [...inp.schools];
	step('measure');
	const m = await measure(ch, clock, inp.now, range, kept, registry.schools);
	const r = range;
	const prevKept = r.query.compare;

	step('schools');
	const districtById = new Map(kept.map((s) => [s.school_id, districtOf(s) ?? '']));
	const rowsAll = schoolRows(m, kept).map((x) => ({
		...x,
		district: districtById.get(x.school_id)!
	}));
	const groupOf = (xs: readonly School[]) => groupValues(m, xs, r.fromDay, r.toDay, CUT.end);
	const prevOf = (xs: readonly School[]) =>
		prevKept ? groupValues(m, xs, r.fromDay - r.days, r.toDay - r.days, CUT.prevEnd) : null;
	const heard = (s: School, d0: number) => heardOver(m.schools.get(s.school_id)!, d0, r.toDay);
	const recentFrom = Math.max(r.fromDay, r.toDay - 6);
	const fresh = (t: number | null | undefined) => t != null && r.to - t <= SYNC_FRESH_MS;
	const syncs = (xs: readonly School[]) => {
		let dep = 0;
		let min = 0;
		for (const s of xs) {
			const c = m.completeness.get(s.school_id);
			if (fresh(c?.last_sync_department)) dep++;
			if (fresh(c?.last_sync_ministry)) min++;
		}
		return { dep, min };
	};

	// districts in the registry's order of names, each with its schools in the area
	const byDistrict = new Map<string, School[]>();
	for (const s of kept) {
		const d = districtOf(s);
		if (d) byDistrict.set(d, [...(byDistrict.get(d) ?? []), s]);
	}
	const districts: DistrictFigures[] = registry.areas
		.filter((a) => a.level === 'district' && byDistrict.has(a.area_id))
		.sort((a, b) => a.name.localeCompare(b.name, 'vi'))
		.map((a) => {
			const xs = byDistrict.get(a.area_id)!;
			const sy = syncs(xs);
			return {
				id: a.area_id,
				name: a.name,
				kind: a.kind,
				schools: xs.length,
				reporting: xs.filter((s) => heard(s, r.fromDay)).length,
				reporting_recent: xs.filter((s) => heard(s, recentFrom)).length,
				values: groupOf(xs),
				prev: prevOf(xs),
				synced_department: sy.dep,
				synced_ministry: sy.min
			};
		});

	step('months');
	const months = monthsOf(m, r);

	step('behind');
	const behind = behindOf(rowsAll);

	step('datasets');
	const ds = await datasetStates(ch, kept, r.to);
	const datasets = sumDatasets(ds, kept);
	const datasets_by_district = Object.fromEntries(
		districts.map((d) => [d.id, sumDatasets(ds, byDistrict.get(d.id)!)])
	);

	step('alerts');
	const alerts = await alertWorkload(inp.store, kept, districtOf, r.from, r.to);
	const sy = syncs(kept);
	return {
		range: r,
		schools: kept,
		values: groupOf(kept),
		prev: prevOf(kept),
		city: valuesOver(m.city, r.fromDay, r.toDay),
		districts,
		months,
		school_rows: rowsAll,
		behind,
		datasets,
		datasets_by_district,
		reporting: kept.filter((s) => heard(s, r.fromDay)).length,
		reporting_recent: kept.filter((s) => heard(s, recentFrom)).length,
		synced_department: sy.dep,
		synced_ministry: sy.min,
		alerts
	};
}

/** The calendar months of Vietnam days fromDay..toDay, each cut to the span: [first, last, 'YYYY-MM']. */
export function monthSpans(fromDay: number, toDay: number): [number, number, string][] {
	const out: [number, number, string][] = [];
	let d0 = fromDay;
	while (d0 <= toDay) {
		const c = civil(d0);
		const next = c.month === 12 ? dayOf(c.year + 1, 1, 1) : dayOf(c.year, c.month + 1, 1);
		out.push([d0, Math.min(toDay, next - 1), formatDay(d0).slice(0, 7)]);
		d0 = next;
	}
	return out;
}

/** The area's flows month by month (calendar months of Vietnam days, cut to the range). */
function monthsOf(m: Measured, r: ResolvedRange): MonthFigures[] {
	return monthSpans(r.fromDay, r.toDay).map(([d0, d1, month]) => ({
		month,
		// completeness is a state, not a flow: the reports show it at the period's end only
		values: { ...valuesOver(m.area, d0, d1), completeness: null }
	}));
}

/** Schools most behind: most KPIs under their alert threshold, then under watch, then lowest attendance. */
export function behindOf(
	rs: readonly (SchoolRow & { district: string })[],
	n = BEHIND
): BehindRow[] {
	const counted = rs.map((x) => {
		let alerts = 0;
		let watches = 0;
		for (const k of KPI_IDS) {
			const v = x.values[k];
			if (v === null) continue;
			if (v < THRESHOLDS[k].alert) alerts++;
			else if (v < THRESHOLDS[k].watch) watches++;
		}
		return { x, alerts, watches };
	});
	const ordered = sortRows(
		counted.map((c) => c.x),
		'attendance',
		'asc'
	);
	const rank = new Map(ordered.map((x, i) => [x.school_id, i]));
	return counted
		.filter((c) => c.alerts + c.watches > 0)
		.sort(
			(a, b) =>
				b.alerts - a.alerts ||
				b.watches - a.watches ||
				STATUS_RANK[b.x.status] - STATUS_RANK[a.x.status] ||
				rank.get(a.x.school_id)! - rank.get(b.x.school_id)!
		)
		.slice(0, n)
		.map(({ x, alerts, watches }) => ({
			school_id: x.school_id,
			name: x.name,
			district: x.district,
			alerts,
			watches,
			values: x.values
		}));
}

interface DatasetState {
	school_id: string;
	dataset: string;
	required: number;
	filled: number;
}

/** Each school's latest report per dataset at `to` (within the completeness look-back, as the pages). */
async function datasetStates(
	ch: CH,
	schools: readonly School[],
	to: number
): Promise<DatasetState[]> {
	if (schools.length === 0) return [];
	const r = await rows<{ school_id: string; dataset: string; req: string; fil: string }>(
		ch,
		`SELECT school_id, dataset, argMax(required_fields, ts) AS req, argMax(filled_fields, ts) AS fil
		 FROM completeness_raw
		 WHERE school_id IN {ids:Array(String)} AND ts >= ${msParam('from')} AND ts < ${msParam('to')}
		 GROUP BY school_id, dataset`,
		{
			ids: schools.map((s) => s.school_id),
			from: to - COMPLETENESS_LOOKBACK_DAYS * DAY_MS,
			to
		}
	);
	return r.map((x) => ({
		school_id: x.school_id,
		dataset: x.dataset,
		required: Number(x.req),
		filled: Number(x.fil)
	}));
}

function sumDatasets(
	states: readonly DatasetState[],
	schools: readonly School[]
): DatasetFigures[] {
	const ids = new Set(schools.map((s) => s.school_id));
	const by = new Map<string, DatasetFigures>();
	for (const s of states) {
		if (!ids.has(s.school_id)) continue;
		const d = by.get(s.dataset) ?? {
			dataset: s.dataset,
			schools: 0,
			required: 0,
			filled: 0,
			ratio: null
		};
		d.schools++;
		d.required += s.required;
		d.filled += s.filled;
		by.set(s.dataset, d);
	}
	return [...by.values()]
		.map((d) => ({ ...d, ratio: d.required > 0 ? d.filled / d.required : null }))
		.sort((a, b) => a.dataset.localeCompare(b.dataset));
}

/** The alerts opened in [from, to) at the area's schools (and, for the city, the city-wide ones). */
async function alertWorkload(
	store: Store,
	schools: readonly School[],
	districtOf: (s: School) => string | null,
	from: number,
	to: number
): Promise<AlertWorkload> {
	const ids = new Set(schools.map((s) => s.school_id));
	const districts = new Set(schools.map((s) => districtOf(s) ?? ''));
	const [list, rules] = await Promise.all([
		store.db
			.selectFrom('alerts')
			.selectAll()
			.where('opened_at', '>=', from)
			.where('opened_at', '<', to)
			.execute() as Promise<Alert[]>,
		listRules(store)
	]);
	// the acknowledgement target: the rule's escalation delay as it stands today (0: none)
	const target = new Map<string, number>(
		rules.map((r) => [r.id, r.params.escalate_after_min ?? 0])
	);
	// a school's alert when the school is in the area; a district's alert (no school) when its district is
	const mine = list.filter((a) =>
		a.school_id ? ids.has(a.school_id) : a.district_id ? districts.has(a.district_id) : false
	);
	const w: AlertWorkload = {
		fired: 0,
		acknowledged: 0,
		with_target: 0,
		acked_within_target: 0,
		escalated: 0,
		resolved: 0,
		open_at_end: 0,
		by_rule: [],
		by_district: {}
	};
	const byRule = new Map<string, AlertWorkload['by_rule'][number]>();
	for (const a of mine) {
		const t = target.get(a.rule_id) ?? 0;
		const ackedIn =
			t > 0 && a.acked_at > 0 && a.acked_at <= to && a.acked_at - a.opened_at <= t * 60_000;
		const escalated = a.escalated_at > 0 && a.escalated_at < to;
		w.fired++;
		if (a.acked_at > 0 && a.acked_at < to) w.acknowledged++;
		if (t > 0) w.with_target++;
		if (ackedIn) w.acked_within_target++;
		if (escalated) w.escalated++;
		if (a.resolved_at > 0 && a.resolved_at < to) w.resolved++;
		else w.open_at_end++;
		const br = byRule.get(a.rule_id) ?? {
			rule: a.rule_id,
			fired: 0,
			acked_within_target: 0,
			with_target: 0,
			escalated: 0
		};
		br.fired++;
		if (t > 0) br.with_target++;
		if (ackedIn) br.acked_within_target++;
		if (escalated) br.escalated++;
		byRule.set(a.rule_id, br);
		if (a.district_id) w.by_district[a.district_id] = (w.by_district[a.district_id] ?? 0) + 1;
	}
	w.by_rule = [...byRule.values()].sort(
		(a, b) => b.fired - a.fired || a.rule.localeCompare(b.rule)
	);
	return w;
}
