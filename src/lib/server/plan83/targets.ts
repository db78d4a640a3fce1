/**
 * Plan 83's roll-out against what the registry records as installed. The plan's table is a copy
 * of shared/data/plan-83.json (the appendix of Kế hoạch 83/KH-UBND, 20/4/2023).
 */
import type { Plan83Progress, RolloutYear } from '../../shared/plan83';
import type { Area, School, SchoolLevel } from '../../shared/registry';
import plan from './plan-83.json' with { type: 'json' };

export type { Plan83Progress, RolloutYear };

type Table = {
	year: number;
	rooms_per_school: Partial<Record<SchoolLevel, number>>;
	schools: Partial<Record<SchoolLevel, number>>;
}[];

function cumulative(
	table: Table,
	years: number[],
	schools: readonly School[],
	yearOf: (s: School) => number | null,
	roomsOf: (s: School) => number
): RolloutYear[] {
	let ps = 0;
	let pr = 0;
	return years.map((year) => {
		const row = table.find((r) => r.year === year);
		if (row)
			for (const [level, n] of Object.entries(row.schools) as [SchoolLevel, number][]) {
				ps += n;
				pr += n * (row.rooms_per_school[level] ?? 0);
			}
		const done = schools.filter((s) => {
			const y = yearOf(s);
			return y !== null && y <= year;
		});
		return {
			year,
			planned_schools: ps,
			planned_rooms: pr,
			installed_schools: done.length,
			installed_rooms: done.reduce((a, s) => a + roomsOf(s), 0)
		};
	});
}

/** The plan's years (2023–2025) with cumulative plan and installed counts, and the 2025/2030 targets. */
export function plan83Progress(schools: readonly School[], areas: readonly Area[]): Plan83Progress {
	const years = [
		...new Set(
			[...plan.multimedia_classrooms, ...plan.smart_interactive_classrooms].map((r) => r.year)
		)
	].sort();
	const urban = new Set(areas.filter((a) => a.kind === 'urban').map((a) => a.area_id));
	const urbanSchools = schools.filter((s) => urban.has(s.area_id));
	const sum = (xs: readonly School[], f: (s: School) => number) => xs.reduce((a, s) => a + f(s), 0);

	const elibPlanned = years.map(
		(y) => plan.elibrary_rollout.filter((e) => e.elibrary_year <= y).length
	);
	const elibrary = years.map((year, i) => {
		const done = schools.filter(
			(s) => s.elibrary && s.elibrary_year !== null && s.elibrary_year <= year
		);
		return {
			year,
			planned_schools: elibPlanned[i],
			planned_rooms: elibPlanned[i],
			installed_schools: done.length,
			installed_rooms: done.length
		};
	});

	const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
	const target = (id: string) => plan.targets.find((t) => t.id === id)!;
	const t = (id: string, numerator: number, denominator: number, live = false) => ({
		id,
		by: target(id).by,
		text: target(id).text,
		value: target(id).value,
		current: live ? null : ratio(numerator, denominator),
		numerator,
		denominator
	});
	const equipped = schools.filter((s) => s.multimedia_rooms + s.smart_rooms > 0).length;
	return {
		years,
		multimedia: cumulative(
			plan.multimedia_classrooms as Table,
			years,
			schools,
			(s) => s.multimedia_year,
			(s) => s.multimedia_rooms
		),
		smart: cumulative(
			plan.smart_interactive_classrooms as Table,
			years,
			schools,
			(s) => s.smart_year,
			(s) => s.smart_rooms
		),
		elibrary,
		targets: [
			t(
				'multimedia_share_2025',
				sum(urbanSchools, (s) => s.multimedia_rooms),
				sum(urbanSchools, (s) => s.classrooms)
			),
			t('classroom_equipment_2030', equipped, schools.length),
			t('elibrary_equipment_2030', schools.filter((s) => s.elibrary).length, schools.length),
			// measured live: schools whose last sync to the department is recent (the wall's completeness counts)
			t('data_sync_2030', 0, schools.length, true)
		]
	};
}
