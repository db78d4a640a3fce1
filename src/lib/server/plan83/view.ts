/**
 * The Plan 83 view (/plan83): for each plan year and district, the roll-out of multimedia rooms,
 * smart interactive rooms and e-library schools against the plan's table (plan-83.json, the
 * appendix of Kế hoạch 83/KH-UBND), the 2025/2030 targets with where the city and each district
 * stand today, and the schools still missing each item. Pure functions over the registry.
 *
 * Counting rules (the same as the wall's panel, src/lib/server/plan83/targets.ts):
 * - a school has an item "by year Y" when its install year is known and ≤ Y (and, for rooms, it
 *   has at least one); an unknown install year counts as not installed;
 * - the multimedia and smart-room table gives school counts per year for a group of districts,
 *   never per district: per district only the installed side is known;
 * - the e-library list names its schools: planned and installed are counted on the list, matched
 *   to the registry by name (and district);
 * - "missing": for rooms, a school at a level the plan equips, in a district whose plan year has
 *   come, without the rooms by the asked year; for e-libraries, a list entry due by the asked
 *   year without one (an entry not found in the registry is missing too);
 * - targets are the registry as it is today, whatever the asked year.
 */
import type { MessageKey } from '../../i18n/dictionary';
import {
	PLAN83_ITEMS,
	type Plan83District,
	type Plan83DistrictRow,
	type Plan83Group,
	type Plan83Item,
	type Plan83Missing,
	type Plan83Tally,
	type Plan83Target,
	type Plan83TargetValue,
	type Plan83View,
	type Plan83YearRow
} from '../../shared/plan83';
import {
	ID_PATTERN,
	type Area,
	type Registry,
	type School,
	type SchoolLevel
} from '../../shared/registry';
import type { WallKpis } from '../../shared/wall';
import planJson from './plan-83.json' with { type: 'json' };
import { districtResolver } from '../kpi/snapshot';

/** One year of the plan's room table. */
export interface Plan83RolloutRow {
	year: number;
	districts: string[];
	rooms_per_school: Partial<Record<SchoolLevel, number>>;
	schools: Partial<Record<SchoolLevel, number>>;
}

/** The parts of plan-83.json the view reads (tests pass smaller plans). */
export interface Plan83Plan {
	districts: { id: string; name: string; kind: string }[];
	elibrary_rollout: {
		seq: number;
		name: string;
		ward: string;
		district_id: string;
		district: string;
		levels: string[];
		elibrary_year: number;
	}[];
	multimedia_classrooms: Plan83RolloutRow[];
	smart_interactive_classrooms: Plan83RolloutRow[];
	targets: { id: string; by: number; text: string; value: number }[];
}

export const PLAN83: Plan83Plan = planJson as Plan83Plan;

/** Schools syncing within 48 h (the wall's live completeness counts), for the data-sync target. */
export interface Plan83Syncing {
	city: { n: number; of: number };
	districts: Record<string, { n: number; of: number }>;
}

/** The wall's latest completeness counts (topic wall.kpis) as the data-sync target's live numbers. */
export function liveSyncing(k: WallKpis | null | undefined): Plan83Syncing | null {
	if (!k) return null;
	const of = (c: WallKpis['city']) => ({
		n: Math.max(0, c.counts.completeness.schools_reported - c.counts.completeness.sync_overdue),
		of: c.counts.schools
	});
	return {
		city: of(k.city),
		districts: Object.fromEntries(Object.entries(k.districts).map(([id, c]) => [id, of(c)]))
	};
}

export interface Plan83Query {
	year: number;
	district: string | null;
	/** which missing list the page shows */
	item: Plan83Item;
}

export type Plan83QueryResult =
	| { ok: true; value: Plan83Query }
	| { ok: false; status: 400 | 404; key: MessageKey; params: Record<string, string | number> };

/** The plan's years: those of its tables and of its e-library list, ascending. */
export function planYears(plan: Plan83Plan = PLAN83): number[] {
	const ys = [...plan.multimedia_classrooms, ...plan.smart_interactive_classrooms]
		.map((r) => r.year)
		.concat(plan.elibrary_rollout.map((e) => e.elibrary_year));
	return [...new Set(ys)].sort((a, b) => a - b);
}

/** District ids the view knows: the registry's districts and the plan's. */
export function knownDistricts(reg: Registry, plan: Plan83Plan = PLAN83): string[] {
	const ids = new Set(plan.districts.map((d) => d.id));
	for (const a of reg.areas) if (a.level === 'district') ids.add(a.area_id);
	return [...ids];
}

/** Read ?year=&district=&item= (all optional). A bad value is a 400 naming the allowed ones. */
export function parsePlan83Query(
	search: URLSearchParams,
	reg: Registry,
	plan: Plan83Plan = PLAN83
): Plan83QueryResult {
	const years = planYears(plan);
	let year = years[years.length - 1];
	const y = search.get('year');
	if (y !== null && y !== '') {
		if (!/^\d{4}$/.test(y.trim()) || !years.includes(Number(y)))
			return {
				ok: false,
				status: 400,
				key: 'plan83.error.year',
				params: { value: y, allowed: years.join(', ') }
			};
		year = Number(y);
	}
	let district: string | null = null;
	const d = search.get('district');
	if (d !== null && d !== '') {
		const known = knownDistricts(reg, plan);
		if (!ID_PATTERN.test(d) || !known.includes(d))
			return {
				ok: false,
				status: 400,
				key: 'plan83.error.district',
				params: { value: d, allowed: known.join(', ') }
			};
		district = d;
	}
	let item: Plan83Item = 'multimedia';
	const it = search.get('item');
	if (it !== null && it !== '') {
		if (!(PLAN83_ITEMS as readonly string[]).includes(it))
			return {
				ok: false,
				status: 400,
				key: 'view.error.param',
				params: { name: 'item', value: it, allowed: PLAN83_ITEMS.join(', ') }
			};
		item = it as Plan83Item;
	}
	return { ok: true, value: { year, district, item } };
}

/** The name the list and the registry share: NFC, lower case, single spaces. */
const nameKey = (s: string) =>
	s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();

const byVi = (a: string, b: string) => a.localeCompare(b, 'vi');

function roomsOf(s: School, item: 'multimedia' | 'smart'): number {
	return item === 'multimedia' ? s.multimedia_rooms : s.smart_rooms;
}
function yearOf(s: School, item: Plan83Item): number | null {
	return item === 'multimedia'
		? s.multimedia_year
		: item === 'smart'
			? s.smart_year
			: s.elibrary_year;
}
/** Whether the school has the item by the end of `year`. */
export function installedBy(s: School, item: Plan83Item, year: number): boolean {
	const y = yearOf(s, item);
	if (y === null || y > year) return false;
	return item === 'elibrary' ? s.elibrary : roomsOf(s, item) > 0;
}

/** The plan's table summed over rows up to (and including) `year`. */
function plannedUpTo(
	rows: readonly Plan83RolloutRow[],
	year: number
): { schools: number; rooms: number } {
	let schools = 0;
	let rooms = 0;
	for (const r of rows)
		if (r.year <= year)
			for (const [level, n] of Object.entries(r.schools) as [SchoolLevel, number][]) {
				schools += n;
				rooms += n * (r.rooms_per_school[level] ?? 0);
			}
	return { schools, rooms };
}
function planOfYear(rows: readonly Plan83RolloutRow[], year: number) {
	const r = rows.find((x) => x.year === year);
	if (!r) return { schools: 0, rooms: 0, by_level: {} };
	let schools = 0;
	let rooms = 0;
	for (const [level, n] of Object.entries(r.schools) as [SchoolLevel, number][]) {
		schools += n;
		rooms += n * (r.rooms_per_school[level] ?? 0);
	}
	return { schools, rooms, by_level: { ...r.schools } };
}

/** One entry of the plan's e-library list and the registry's school it names (null: not found). */
export interface Plan83ListEntry {
	entry: Plan83Plan['elibrary_rollout'][number];
	school: School | null;
}

/** The plan's e-library list matched to the registry by name, and by district where names repeat. */
export function elibraryList(reg: Registry, plan: Plan83Plan = PLAN83): Plan83ListEntry[] {
	const districtOf = districtResolver(reg.areas);
	const byName = new Map<string, School[]>();
	for (const s of reg.schools) {
		const k = nameKey(s.name);
		byName.set(k, [...(byName.get(k) ?? []), s]);
	}
	return plan.elibrary_rollout.map((e) => {
		const cands = byName.get(nameKey(e.name)) ?? [];
		const school =
			cands.find((s) => districtOf(s) === e.district_id) ?? (cands.length === 1 ? cands[0] : null);
		return { entry: e, school };
	});
}

export interface Plan83Options {
	plan?: Plan83Plan;
	syncing?: Plan83Syncing | null;
	/** accept a year after the plan's last (a yearly report: installed by that year, the plan's
	 * table as it stood at its end) */
	laterYears?: boolean;
}

/**
 * The view for one asked year (a plan year; the last one when not given) and an optional
 * district (the whole city when not given). Throws a RangeError for a
 * year outside the plan or an unknown district: callers check with parsePlan83Query first.
 */
export function plan83View(
	reg: Registry,
	query: { year?: number; district?: string | null } = {},
	opts: Plan83Options = {}
): Plan83View {
	const plan = opts.plan ?? PLAN83;
	const years = planYears(plan);
	const q = { year: query.year ?? years[years.length - 1], district: query.district ?? null };
	const later = opts.laterYears === true && q.year > years[years.length - 1];
	if (!years.includes(q.year) && !later)
		throw new RangeError(`year ${q.year} is not a year of plan 83 (${years.join(', ')})`);
	if (q.district !== null && !knownDistricts(reg, plan).includes(q.district))
		throw new RangeError(`unknown district ${q.district}`);
	const Y = q.year;
	const mmRows = plan.multimedia_classrooms;
	const smRows = plan.smart_interactive_classrooms;

	// districts: the registry's names and kinds, the plan's years
	const areaById = new Map<string, Area>(reg.areas.map((a) => [a.area_id, a]));
	const planYearOf = new Map<string, number>();
	for (const r of [...mmRows, ...smRows])
		for (const d of r.districts) planYearOf.set(d, Math.min(planYearOf.get(d) ?? Infinity, r.year));
	const districts: Plan83District[] = knownDistricts(reg, plan)
		.map((id): Plan83District => {
			const a = areaById.get(id);
			const p = plan.districts.find((x) => x.id === id);
			const kind = (a?.kind || p?.kind || '') as Plan83District['kind'];
			return {
				id,
				name: a?.name ?? p?.name ?? id,
				name_en: a?.name_en ?? '',
				kind: kind === 'urban' || kind === 'rural' ? kind : '',
				plan_year: planYearOf.get(id) ?? null
			};
		})
		.sort((a, b) => (a.plan_year ?? 9999) - (b.plan_year ?? 9999) || byVi(a.name, b.name));
	const districtById = new Map(districts.map((d) => [d.id, d]));

	const districtOf = districtResolver(reg.areas);
	const dist = new Map<string, string | null>(reg.schools.map((s) => [s.school_id, districtOf(s)]));
	const inScope = (d: string | null) => q.district === null || d === q.district;
	const scope = reg.schools.filter((s) => inScope(dist.get(s.school_id)!));

	// levels the room table equips
	const planned = new Set<SchoolLevel>();
	for (const r of [...mmRows, ...smRows])
		for (const l of Object.keys(r.schools) as SchoolLevel[]) planned.add(l);
	const eligible = (s: School) => s.levels.some((l) => planned.has(l));

	// the e-library list, matched to the registry
	const list = elibraryList(reg, plan);
	const listInScope = list.filter((x) => inScope(x.entry.district_id));

	// cumulative per plan year
	const tally = (
		rows: readonly Plan83RolloutRow[],
		item: 'multimedia' | 'smart',
		year: number
	): Plan83Tally => {
		const p = q.district === null ? plannedUpTo(rows, year) : null;
		const done = scope.filter((s) => installedBy(s, item, year));
		return {
			planned_schools: p?.schools ?? null,
			planned_rooms: p?.rooms ?? null,
			installed_schools: done.length,
			installed_rooms: done.reduce((a, s) => a + roomsOf(s, item), 0)
		};
	};
	const cumulative: Plan83YearRow[] = years.map((year) => {
		const due = listInScope.filter((x) => x.entry.elibrary_year <= year);
		const done = due.filter((x) => x.school && installedBy(x.school, 'elibrary', year)).length;
		return {
			year,
			districts: [
				...new Set(
					[...mmRows, ...smRows].filter((r) => r.year === year).flatMap((r) => r.districts)
				)
			],
			multimedia: tally(mmRows, 'multimedia', year),
			smart: tally(smRows, 'smart', year),
			elibrary: {
				planned_schools: due.length,
				planned_rooms: due.length,
				installed_schools: done,
				installed_rooms: done
			},
			elibrary_all: scope.filter((s) => installedBy(s, 'elibrary', year)).length
		};
	});

	// the missing lists (in scope, as of the asked year)
	const missingRooms = (item: 'multimedia' | 'smart'): Plan83Missing[] =>
		scope
			.filter((s) => {
				const d = dist.get(s.school_id)!;
				const py = d === null ? null : (planYearOf.get(d) ?? null);
				return py !== null && py <= Y && eligible(s) && !installedBy(s, item, Y);
			})
			.map((s) => {
				const d = dist.get(s.school_id)!;
				const y = yearOf(s, item);
				return {
					item,
					school_id: s.school_id,
					name: s.name,
					district: d,
					district_name: (d && districtById.get(d)?.name) || '',
					ward: s.ward,
					levels: [...s.levels],
					due: planYearOf.get(d!)!,
					installed_year: y !== null && y > Y && roomsOf(s, item) > 0 ? y : null,
					on_plan_list: s.plan83
				};
			});
	const missingLibrary: Plan83Missing[] = listInScope
		.filter(
			(x) => x.entry.elibrary_year <= Y && !(x.school && installedBy(x.school, 'elibrary', Y))
		)
		.map(({ entry, school }) => {
			const d = districtById.has(entry.district_id) ? entry.district_id : null;
			const y = school?.elibrary ? school.elibrary_year : null;
			return {
				item: 'elibrary' as const,
				school_id: school?.school_id ?? null,
				name: school?.name ?? entry.name,
				district: d,
				district_name: (d && districtById.get(d)?.name) || entry.district,
				ward: school?.ward || entry.ward,
				levels: school
					? [...school.levels]
					: (entry.levels.filter((l) =>
							['preschool', 'primary', 'lower_secondary', 'upper_secondary'].includes(l)
						) as SchoolLevel[]),
				due: entry.elibrary_year,
				installed_year: y !== null && y > Y ? y : null,
				on_plan_list: true
			};
		});
	const order = (a: Plan83Missing, b: Plan83Missing) =>
		a.due - b.due ||
		byVi(a.district_name, b.district_name) ||
		Number(b.on_plan_list) - Number(a.on_plan_list) ||
		byVi(a.name, b.name);
	const missing: Record<Plan83Item, Plan83Missing[]> = {
		multimedia: missingRooms('multimedia').sort(order),
		smart: missingRooms('smart').sort(order),
		elibrary: missingLibrary.sort(order)
	};

	// one row per district, as of the asked year
	const districtRow = (id: string): Plan83DistrictRow => {
		const xs = reg.schools.filter((s) => dist.get(s.school_id) === id);
		const mm = xs.filter((s) => installedBy(s, 'multimedia', Y));
		const sm = xs.filter((s) => installedBy(s, 'smart', Y));
		const mmRooms = mm.reduce((a, s) => a + s.multimedia_rooms, 0);
		const classrooms = xs.reduce((a, s) => a + s.classrooms, 0);
		const due = list.filter((x) => x.entry.district_id === id && x.entry.elibrary_year <= Y);
		return {
			district: id,
			schools: xs.length,
			eligible: xs.filter(eligible).length,
			classrooms,
			multimedia: { schools: mm.length, rooms: mmRooms },
			smart: { schools: sm.length, rooms: sm.reduce((a, s) => a + s.smart_rooms, 0) },
			multimedia_share: classrooms > 0 ? mmRooms / classrooms : null,
			elibrary: {
				planned: due.length,
				installed: due.filter((x) => x.school && installedBy(x.school, 'elibrary', Y)).length,
				all_schools: xs.filter((s) => installedBy(s, 'elibrary', Y)).length
			},
			missing: {
				multimedia: missing.multimedia.filter((m) => m.district === id).length,
				smart: missing.smart.filter((m) => m.district === id).length,
				elibrary: missing.elibrary.filter((m) => m.district === id).length
			}
		};
	};
	const sumRows = (id: string, rows: Plan83DistrictRow[]): Plan83DistrictRow => {
		const n = (f: (r: Plan83DistrictRow) => number) => rows.reduce((a, r) => a + f(r), 0);
		const classrooms = n((r) => r.classrooms);
		const mmRooms = n((r) => r.multimedia.rooms);
		return {
			district: id,
			schools: n((r) => r.schools),
			eligible: n((r) => r.eligible),
			classrooms,
			multimedia: { schools: n((r) => r.multimedia.schools), rooms: mmRooms },
			smart: { schools: n((r) => r.smart.schools), rooms: n((r) => r.smart.rooms) },
			multimedia_share: classrooms > 0 ? mmRooms / classrooms : null,
			elibrary: {
				planned: n((r) => r.elibrary.planned),
				installed: n((r) => r.elibrary.installed),
				all_schools: n((r) => r.elibrary.all_schools)
			},
			missing: {
				multimedia: n((r) => r.missing.multimedia),
				smart: n((r) => r.missing.smart),
				elibrary: n((r) => r.missing.elibrary)
			}
		};
	};
	const groupYears = [...new Set([...mmRows, ...smRows].map((r) => r.year))].sort((a, b) => a - b);
	const groups: Plan83Group[] = groupYears
		.map((year) => {
			const ids = districts.filter((d) => d.plan_year === year && inScope(d.id)).map((d) => d.id);
			const rows = ids.map(districtRow);
			return {
				year,
				due: year <= Y,
				plan: { multimedia: planOfYear(mmRows, year), smart: planOfYear(smRows, year) },
				rows,
				total: sumRows(`total-${year}`, rows)
			};
		})
		.filter((g) => g.rows.length > 0);

	// targets: the registry today
	const kindOfSchool = (s: School) => {
		const own = areaById.get(s.area_id)?.kind;
		const d = dist.get(s.school_id);
		return own || (d ? districtById.get(d)?.kind : '') || '';
	};
	const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
	const value = (
		xs: readonly School[],
		id: string,
		applies: boolean,
		districtId: string | null
	): Plan83TargetValue => {
		switch (id) {
			case 'multimedia_share_2025': {
				const urban = xs.filter((s) => kindOfSchool(s) === 'urban');
				const num = urban.reduce((a, s) => a + s.multimedia_rooms, 0);
				const den = urban.reduce((a, s) => a + s.classrooms, 0);
				return { numerator: num, denominator: den, current: ratio(num, den), applies };
			}
			case 'classroom_equipment_2030': {
				const num = xs.filter((s) => s.multimedia_rooms + s.smart_rooms > 0).length;
				return { numerator: num, denominator: xs.length, current: ratio(num, xs.length), applies };
			}
			case 'elibrary_equipment_2030': {
				const num = xs.filter((s) => s.elibrary).length;
				return { numerator: num, denominator: xs.length, current: ratio(num, xs.length), applies };
			}
			case 'data_sync_2030': {
				const live = districtId === null ? opts.syncing?.city : opts.syncing?.districts[districtId];
				if (!live) return { numerator: 0, denominator: xs.length, current: null, applies };
				return {
					numerator: live.n,
					denominator: live.of,
					current: ratio(live.n, live.of),
					applies
				};
			}
			default:
				return { numerator: 0, denominator: xs.length, current: null, applies };
		}
	};
	const targets: Plan83Target[] = plan.targets.map((t) => ({
		id: t.id,
		by: t.by,
		text: t.text,
		value: t.value,
		city: value(reg.schools, t.id, true, null),
		districts: Object.fromEntries(
			districts.map((d) => [
				d.id,
				value(
					reg.schools.filter((s) => dist.get(s.school_id) === d.id),
					t.id,
					t.id !== 'multimedia_share_2025' || d.kind === 'urban',
					d.id
				)
			])
		)
	}));

	return {
		years,
		year: Y,
		district: q.district === null ? null : districtById.get(q.district)!,
		districts,
		cumulative,
		groups,
		targets,
		missing,
		schools: scope.length
	};
}
