/**
 * The district view: its schools ranked by each KPI, trends against the city, urban/rural and
 * level breakdowns, and the worst movers since the previous school day and since last week.
 */
import { KPI_IDS, STATUSES, STATUS_RANK, type KpiId, type Status } from '../../shared/kpi';
import type { DistrictView, GroupRow, KpiValues, Mover, SchoolRow } from '../../shared/drill';
import { formatDay, type ResolvedRange } from '../../shared/range';
import { SCHOOL_LEVELS, type Area, type Registry, type School } from '../../shared/registry';
import { settingOfWard, type SortKey, type ViewQuery } from '../../shared/views';
import type { CH } from '../platform/clickhouse/client';
import type { DayClock } from '../kpi/day-clock';
import { districtResolver } from '../kpi/snapshot';
import {
	completenessOf,
	dailySeries,
	heardOver,
	rangeStatus,
	valuesOver,
	valuesOverSum,
	type Ledger
} from './ledger';
import { CUT, measure, rangeInfo, type Measured } from './measure';

/** Movers listed per comparison. */
export const MOVERS = 5;

export function districtOf(reg: Registry, id: string): Area | null {
	return reg.areas.find((a) => a.area_id === id && a.level === 'district') ?? null;
}

export function schoolsOfDistrict(reg: Registry, id: string): School[] {
	const of = districtResolver(reg.areas);
	return reg.schools.filter((s) => of(s) === id);
}

/** Sort rows by a key; nulls ("no data") always last, ties by name. */
export function sortRows(rows: SchoolRow[], key: SortKey, dir: 'asc' | 'desc'): SchoolRow[] {
	const sign = dir === 'asc' ? 1 : -1;
	const byName = (a: SchoolRow, b: SchoolRow) => a.name.localeCompare(b.name, 'vi');
	return [...rows].sort((a, b) => {
		if (key === 'name') return sign * byName(a, b);
		if (key === 'status')
			return sign * (STATUS_RANK[a.status] - STATUS_RANK[b.status]) || byName(a, b);
		const [x, y] = [a.values[key], b.values[key]];
		if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
		return sign * (x - y) || byName(a, b);
	});
}

/** Per-school values over the range, with completeness from the state at the range's end. */
export function schoolRows(
	m: Measured,
	schools: readonly School[],
	cut: number = CUT.end
): SchoolRow[] {
	const r = m.range;
	return schools.map((s) => {
		const l = m.schools.get(s.school_id)!;
		const c = m.completeness.get(s.school_id);
		const values = { ...valuesOver(l, r.fromDay, r.toDay), completeness: completenessOf(c, cut) };
		const prev = r.query.compare
			? {
					...valuesOver(l, r.fromDay - r.days, r.toDay - r.days),
					completeness: completenessOf(c, CUT.prevEnd)
				}
			: null;
		return {
			school_id: s.school_id,
			name: s.name,
			ward: s.ward,
			levels: s.levels,
			setting: settingOfWard(s.ward),
			status: rangeStatus(
				values,
				heardOver(l, r.fromDay, r.toDay),
				c?.last_sync_department ?? null,
				r.asOf
			),
			values,
			prev,
			last_sync_department: c?.last_sync_department
				? new Date(c.last_sync_department).toISOString()
				: null
		};
	});
}

/** The kept schools together (a district): flows from the area ledger, completeness from their states. */
export function areaValues(
	m: Measured,
	schools: readonly School[],
	d0: number,
	d1: number,
	cut: number
): KpiValues {
	return { ...valuesOver(m.area, d0, d1), completeness: completenessSum(m, schools, cut) };
}

function completenessSum(m: Measured, schools: readonly School[], cut: number): number | null {
	let filled = 0;
	let required = 0;
	for (const s of schools) {
		const c = m.completeness.get(s.school_id)?.cuts[cut];
		if (c) {
			filled += c.filled;
			required += c.required;
		}
	}
	return required > 0 ? filled / required : null;
}

/** A group's values: flows from its summed ledger, completeness from its schools' summed states. */
export function groupValues(
	m: Measured,
	schools: readonly School[],
	d0: number,
	d1: number,
	cut: number
): KpiValues {
	return {
		...valuesOverSum(
			schools.map((s) => m.schools.get(s.school_id)!),
			d0,
			d1
		),
		completeness: completenessSum(m, schools, cut)
	};
}

function movers(
	m: Measured,
	schools: readonly School[],
	kpi: KpiId,
	beforeDay: number | null,
	cut: number
): Mover[] {
	if (beforeDay === null) return [];
	const after = m.range.toDay;
	const value = (l: Ledger, day: number, s: School, c: number) =>
		kpi === 'completeness'
			? completenessOf(m.completeness.get(s.school_id), c)
			: valuesOver(l, day, day)[kpi];
	const rows: Mover[] = [];
	for (const s of schools) {
		const l = m.schools.get(s.school_id)!;
		const a = value(l, beforeDay, s, cut);
		const b = value(l, after, s, CUT.end);
		if (a === null || b === null) continue;
		rows.push({ school_id: s.school_id, name: s.name, before: a, after: b, delta: b - a });
	}
	return rows
		.filter((x) => x.delta < 0)
		.sort((x, y) => x.delta - y.delta || x.name.localeCompare(y.name, 'vi'))
		.slice(0, MOVERS);
}

export interface DistrictInput {
	ch: CH;
	clock: DayClock;
	registry: Registry;
	now: number;
	districtId: string;
	range: ResolvedRange;
	view: ViewQuery;
	/** the reader's scope holds only the registry's schools (it is narrowed): no city-wide sums */
	scoped?: boolean;
}

/** Everything the district page shows. Null when there is no such district. */
export async function districtView(inp: DistrictInput): Promise<DistrictView | null> {
	const area = districtOf(inp.registry, inp.districtId);
	if (!area) return null;
	const all = schoolsOfDistrict(inp.registry, area.area_id);
	const m = await measure(inp.ch, inp.clock, inp.now, inp.range, all, inp.registry.schools, {
		movers: inp.view.kpi === 'completeness',
		cityIsKept: inp.scoped
	});
	const r = inp.range;
	const v = inp.view;

	const rowsAll = schoolRows(m, all);
	const shown = (s: Pick<School, 'levels' | 'ward'>) =>
		(!v.level || s.levels.includes(v.level)) && (!v.setting || settingOfWard(s.ward) === v.setting);
	const filtered = rowsAll.filter(shown);
	const filteredSchools = all.filter(shown);
	const status_counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
	for (const x of rowsAll) status_counts[x.status]++;

	const group = (key: string, members: School[]): GroupRow => ({
		key,
		schools: members.length,
		values: groupValues(m, members, r.fromDay, r.toDay, CUT.end)
	});
	const by_setting = (['urban', 'rural'] as const)
		.map((k) =>
			group(
				k,
				all.filter((s) => settingOfWard(s.ward) === k)
			)
		)
		.filter((g) => g.schools > 0);
	const by_level = SCHOOL_LEVELS.map((k) =>
		group(
			k,
			all.filter((s) => s.levels.includes(k))
		)
	).filter((g) => g.schools > 0);

	const days: string[] = [];
	for (let d = m.trendFrom; d <= r.toDay; d++) days.push(formatDay(d));
	const series = (l: Ledger) =>
		Object.fromEntries(KPI_IDS.map((k) => [k, dailySeries(l, k, m.trendFrom, r.toDay)])) as Record<
			KpiId,
			(number | null)[]
		>;

	return {
		district: { id: area.area_id, name: area.name, name_en: area.name_en, kind: area.kind },
		range: rangeInfo(r),
		values: areaValues(m, all, r.fromDay, r.toDay, CUT.end),
		prev: r.query.compare
			? areaValues(m, all, r.fromDay - r.days, r.toDay - r.days, CUT.prevEnd)
			: null,
		city: valuesOver(m.city, r.fromDay, r.toDay),
		status_counts,
		schools: sortRows(filtered, v.sort, v.dir),
		total_schools: all.length,
		by_setting,
		by_level,
		trend: { days, area: series(m.area), city: series(m.city) },
		movers: {
			kpi: v.kpi,
			day: formatDay(r.toDay),
			yesterday: {
				day: m.prevSchoolDay === null ? null : formatDay(m.prevSchoolDay),
				rows: movers(m, filteredSchools, v.kpi, m.prevSchoolDay, CUT.yesterday)
			},
			last_week: {
				day: formatDay(r.toDay - 7),
				rows: movers(m, filteredSchools, v.kpi, r.toDay - 7, CUT.lastWeek)
			}
		}
	};
}
