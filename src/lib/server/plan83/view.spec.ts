import { describe, expect, it } from 'vitest';
import type { Area, Registry, School } from '../../shared/registry';
import {
	PLAN83,
	installedBy,
	liveSyncing,
	parsePlan83Query,
	plan83View,
	planYears,
	type Plan83Plan
} from './view';

/** A small plan: district a in 2023, b and c in 2024; four e-library entries (one the city itself, one not in the registry). */
const plan: Plan83Plan = {
	districts: [
		{ id: 'a', name: 'Quận A', kind: 'urban' },
		{ id: 'b', name: 'Quận B', kind: 'urban' },
		{ id: 'c', name: 'Huyện C', kind: 'rural' }
	],
	elibrary_rollout: [
		{
			seq: 1,
			name: 'Trường Tiểu học A1',
			ward: 'Phường A',
			district_id: 'a',
			district: 'Quận A',
			levels: ['primary'],
			elibrary_year: 2023
		},
		{
			seq: 2,
			name: 'Trường THCS B1',
			ward: 'Phường B',
			district_id: 'b',
			district: 'Quận B',
			levels: ['lower_secondary'],
			elibrary_year: 2024
		},
		{
			seq: 3,
			name: 'Sở Giáo dục và Đào tạo',
			ward: 'Thành phố',
			district_id: 'city',
			district: 'Thành phố',
			levels: [],
			elibrary_year: 2023
		},
		{
			seq: 4,
			name: 'Trường Tiểu học C9',
			ward: 'Xã C',
			district_id: 'c',
			district: 'Huyện C',
			levels: ['primary'],
			elibrary_year: 2024
		}
	],
	multimedia_classrooms: [
		{
			year: 2023,
			districts: ['a'],
			rooms_per_school: { primary: 2, lower_secondary: 5 },
			schools: { primary: 1, lower_secondary: 1 }
		},
		{ year: 2024, districts: ['b', 'c'], rooms_per_school: { primary: 2 }, schools: { primary: 2 } }
	],
	smart_interactive_classrooms: [
		{ year: 2023, districts: ['a'], rooms_per_school: { primary: 1 }, schools: { primary: 1 } },
		{ year: 2024, districts: ['b', 'c'], rooms_per_school: { primary: 1 }, schools: { primary: 1 } }
	],
	targets: [
		{ id: 'multimedia_share_2025', by: 2025, text: '15%', value: 0.15 },
		{ id: 'classroom_equipment_2030', by: 2030, text: '95%', value: 0.95 },
		{ id: 'elibrary_equipment_2030', by: 2030, text: '95%', value: 0.95 },
		{ id: 'data_sync_2030', by: 2030, text: '100%', value: 1 }
	]
};

const area = (
	area_id: string,
	parent_id: string | null,
	level: Area['level'],
	kind: Area['kind'] = ''
): Area => ({
	area_id,
	parent_id,
	level,
	name: area_id,
	name_en: '',
	kind,
	code: '',
	geometry: null
});

const school = (
	over: Partial<School> & Pick<School, 'school_id' | 'name' | 'area_id'>
): School => ({
	ward: '',
	levels: ['primary'],
	lat: 10,
	lon: 105.7,
	enrolment: 500,
	classrooms: 10,
	multimedia_rooms: 0,
	smart_rooms: 0,
	devices: 1,
	elibrary: false,
	elibrary_year: null,
	multimedia_year: null,
	smart_year: null,
	plan83: false,
	synthetic: true,
	...over
});

const reg: Registry = {
	areas: [
		area('ct', null, 'city'),
		area('a', 'ct', 'district', 'urban'),
		area('a-w1', 'a', 'ward'),
		area('b', 'ct', 'district', 'urban'),
		area('c', 'ct', 'district', 'rural')
	],
	schools: [
		// a1 sits in a ward of a: the district comes from the area hierarchy
		school({
			school_id: 'a1',
			name: 'Trường Tiểu học A1',
			area_id: 'a-w1',
			classrooms: 20,
			multimedia_rooms: 2,
			multimedia_year: 2023,
			smart_rooms: 1,
			smart_year: 2023,
			elibrary: true,
			elibrary_year: 2023,
			plan83: true
		}),
		school({
			school_id: 'a2',
			name: 'Trường THCS A2',
			area_id: 'a',
			levels: ['lower_secondary'],
			classrooms: 30,
			multimedia_rooms: 5,
			multimedia_year: 2024
		}),
		// a preschool: not a level the plan equips, never "missing"
		school({
			school_id: 'a3',
			name: 'Trường Mầm non A3',
			area_id: 'a',
			levels: ['preschool'],
			classrooms: 10
		}),
		school({
			school_id: 'b1',
			name: 'Trường THCS B1',
			area_id: 'b',
			levels: ['lower_secondary'],
			classrooms: 25,
			elibrary: true,
			elibrary_year: 2025,
			plan83: true
		}),
		school({
			school_id: 'b2',
			name: 'Trường Tiểu học B2',
			area_id: 'b',
			classrooms: 15,
			multimedia_rooms: 2,
			multimedia_year: 2024,
			smart_rooms: 1,
			smart_year: 2024
		}),
		school({
			school_id: 'c1',
			name: 'Trường Tiểu học C1',
			area_id: 'c',
			classrooms: 12,
			multimedia_rooms: 2,
			multimedia_year: 2024,
			elibrary: true,
			elibrary_year: 2021
		})
	]
};

const ids = (xs: { school_id: string | null; name: string }[]) =>
	xs.map((x) => x.school_id ?? x.name);

describe('plan83View: cumulative roll-out', () => {
	const v = plan83View(reg, { year: 2024, district: null }, { plan });

	it('adds up the plan table per year and counts what is installed by then', () => {
		expect(v.years).toEqual([2023, 2024]);
		const [y23, y24] = v.cumulative;
		expect(y23).toEqual({
			year: 2023,
			districts: ['a'],
			multimedia: {
				planned_schools: 2,
				planned_rooms: 7,
				installed_schools: 1,
				installed_rooms: 2
			},
			smart: { planned_schools: 1, planned_rooms: 1, installed_schools: 1, installed_rooms: 1 },
			// due by 2023: A1 and the department; A1 has one
			elibrary: { planned_schools: 2, planned_rooms: 2, installed_schools: 1, installed_rooms: 1 },
			// A1 (2023) and C1 (2021)
			elibrary_all: 2
		});
		expect(y24).toEqual({
			year: 2024,
			districts: ['b', 'c'],
			multimedia: {
				planned_schools: 4,
				planned_rooms: 11,
				installed_schools: 4,
				installed_rooms: 11
			},
			smart: { planned_schools: 2, planned_rooms: 2, installed_schools: 2, installed_rooms: 2 },
			// B1's e-library came in 2025, C9 is not in the registry
			elibrary: { planned_schools: 4, planned_rooms: 4, installed_schools: 1, installed_rooms: 1 },
			elibrary_all: 2
		});
	});

	it('has no planned rooms for a single district (the plan does not split its groups)', () => {
		const b = plan83View(reg, { year: 2024, district: 'b' }, { plan });
		expect(b.district?.id).toBe('b');
		expect(b.schools).toBe(2);
		expect(b.cumulative[1].multimedia).toEqual({
			planned_schools: null,
			planned_rooms: null,
			installed_schools: 1,
			installed_rooms: 2
		});
		expect(b.cumulative[1].elibrary).toEqual({
			planned_schools: 1,
			planned_rooms: 1,
			installed_schools: 0,
			installed_rooms: 0
		});
		expect(b.groups.map((g) => g.year)).toEqual([2024]);
		expect(b.groups[0].rows.map((r) => r.district)).toEqual(['b']);
	});
});

describe('plan83View: per year and district', () => {
	it('gives each district its installed counts and the group its plan', () => {
		const v = plan83View(reg, { year: 2024, district: null }, { plan });
		expect(v.groups.map((g) => [g.year, g.due, g.rows.map((r) => r.district)])).toEqual([
			[2023, true, ['a']],
			[2024, true, ['b', 'c']]
		]);
		const a = v.groups[0].rows[0];
		expect(a).toEqual({
			district: 'a',
			schools: 3,
			eligible: 2,
			classrooms: 60,
			multimedia: { schools: 2, rooms: 7 },
			smart: { schools: 1, rooms: 1 },
			multimedia_share: 7 / 60,
			elibrary: { planned: 1, installed: 1, all_schools: 1 },
			missing: { multimedia: 0, smart: 1, elibrary: 0 }
		});
		const g = v.groups[1];
		expect(g.plan.multimedia).toEqual({ schools: 2, rooms: 4, by_level: { primary: 2 } });
		expect(g.total.multimedia).toEqual({ schools: 2, rooms: 4 });
		expect(g.total.missing).toEqual({ multimedia: 1, smart: 2, elibrary: 2 });
	});

	it('marks a later group not yet due and lists nothing missing there', () => {
		const v = plan83View(reg, { year: 2023, district: null }, { plan });
		expect(v.groups.map((g) => g.due)).toEqual([true, false]);
		expect(v.groups[1].total.missing).toEqual({ multimedia: 0, smart: 0, elibrary: 0 });
		// as of 2023 a2's rooms (2024) do not count yet
		expect(v.groups[0].rows[0].multimedia).toEqual({ schools: 1, rooms: 2 });
	});
});

describe('plan83View: schools still missing', () => {
	it('as of 2023: due districts, planned levels, install year later or none', () => {
		const v = plan83View(reg, { year: 2023 }, { plan });
		expect(v.missing.multimedia).toMatchObject([
			{ school_id: 'a2', district: 'a', due: 2023, installed_year: 2024, on_plan_list: false }
		]);
		expect(v.missing.smart).toMatchObject([{ school_id: 'a2', installed_year: null }]);
		// the department is on the list but is no school of the registry
		expect(v.missing.elibrary).toMatchObject([
			{
				school_id: null,
				name: 'Sở Giáo dục và Đào tạo',
				district: null,
				district_name: 'Thành phố',
				due: 2023,
				on_plan_list: true
			}
		]);
	});

	it('as of 2024, in the order due year, district, name', () => {
		const v = plan83View(reg, { year: 2024 }, { plan });
		expect(ids(v.missing.multimedia)).toEqual(['b1']);
		expect(ids(v.missing.smart)).toEqual(['a2', 'b1', 'c1']);
		expect(ids(v.missing.elibrary)).toEqual(['Sở Giáo dục và Đào tạo', 'b1', 'Trường Tiểu học C9']);
		expect(v.missing.elibrary[1]).toMatchObject({ installed_year: 2025, district: 'b' });
		expect(v.missing.elibrary[2]).toMatchObject({
			school_id: null,
			district: 'c',
			levels: ['primary']
		});
	});

	it('filters by district', () => {
		const v = plan83View(reg, { year: 2024, district: 'c' }, { plan });
		expect(ids(v.missing.multimedia)).toEqual([]);
		expect(ids(v.missing.smart)).toEqual(['c1']);
		expect(ids(v.missing.elibrary)).toEqual(['Trường Tiểu học C9']);
	});

	it('needs a known install year by the asked year, and rooms', () => {
		const s = reg.schools[0];
		expect(installedBy(s, 'multimedia', 2023)).toBe(true);
		expect(installedBy(s, 'multimedia', 2022)).toBe(false);
		expect(installedBy({ ...s, multimedia_year: null }, 'multimedia', 2030)).toBe(false);
		expect(installedBy({ ...s, multimedia_rooms: 0 }, 'multimedia', 2030)).toBe(false);
		expect(installedBy({ ...s, elibrary: false }, 'elibrary', 2030)).toBe(false);
	});
});

describe('plan83View: targets', () => {
	const v = plan83View(
		reg,
		{ year: 2023 },
		{ plan, syncing: { city: { n: 3, of: 6 }, districts: { a: { n: 3, of: 3 } } } }
	);
	const target = (id: string) => v.targets.find((t) => t.id === id)!;

	it('measures the multimedia share in urban districts only', () => {
		// urban a + b: 2 + 5 + 0 + 0 + 2 rooms over 20 + 30 + 10 + 25 + 15 classrooms (today, whatever the year)
		expect(target('multimedia_share_2025').city).toEqual({
			numerator: 9,
			denominator: 100,
			current: 0.09,
			applies: true
		});
		expect(target('multimedia_share_2025').districts.a).toEqual({
			numerator: 7,
			denominator: 60,
			current: 7 / 60,
			applies: true
		});
		expect(target('multimedia_share_2025').districts.c.applies).toBe(false);
	});

	it('counts equipped and e-library schools, and the live sync when there is one', () => {
		expect(target('classroom_equipment_2030').city).toMatchObject({ numerator: 4, denominator: 6 });
		expect(target('elibrary_equipment_2030').city.current).toBe(0.5);
		expect(target('elibrary_equipment_2030').districts.b).toMatchObject({
			numerator: 1,
			denominator: 2,
			current: 0.5
		});
		expect(target('data_sync_2030').city.current).toBe(0.5);
		expect(target('data_sync_2030').districts.a.current).toBe(1);
		expect(target('data_sync_2030').districts.b.current).toBeNull();
		expect(
			plan83View(reg, {}, { plan }).targets.find((t) => t.id === 'data_sync_2030')!.city.current
		).toBeNull();
	});
});

describe('parsePlan83Query', () => {
	const parse = (s: string) => parsePlan83Query(new URLSearchParams(s), reg, plan);

	it('defaults to the last plan year, the whole city and multimedia rooms', () => {
		expect(parse('')).toEqual({
			ok: true,
			value: { year: 2024, district: null, item: 'multimedia' }
		});
		expect(parse('year=2023&district=b&item=elibrary')).toEqual({
			ok: true,
			value: { year: 2023, district: 'b', item: 'elibrary' }
		});
	});

	it('refuses a year outside the plan with a 400 naming the plan years', () => {
		for (const y of ['1999', '2030', 'abc', '2023.5', '20233'])
			expect(parse(`year=${y}`)).toEqual({
				ok: false,
				status: 400,
				key: 'plan83.error.year',
				params: { value: y, allowed: '2023, 2024' }
			});
	});

	it('refuses an unknown or malformed district, and an unknown item', () => {
		expect(parse('district=nowhere')).toMatchObject({
			ok: false,
			status: 400,
			key: 'plan83.error.district',
			params: { value: 'nowhere', allowed: 'a, b, c' }
		});
		expect(parse('district=A%20B')).toMatchObject({
			ok: false,
			status: 400,
			key: 'plan83.error.district'
		});
		expect(parse('item=lamps')).toMatchObject({
			ok: false,
			status: 400,
			key: 'view.error.param',
			params: { name: 'item', value: 'lamps' }
		});
	});

	it('plan83View itself refuses a bad year or district', () => {
		expect(() => plan83View(reg, { year: 1999 }, { plan })).toThrow(RangeError);
		expect(() => plan83View(reg, { district: 'nowhere' }, { plan })).toThrow(RangeError);
	});
});

describe('the real plan', () => {
	it('has the appendix totals: 2023–2025, 209 multimedia schools / 920 rooms, 15 smart rooms, 52 e-library entries', () => {
		expect(planYears(PLAN83)).toEqual([2023, 2024, 2025]);
		const v = plan83View({ areas: [], schools: [] });
		expect(v.year).toBe(2025);
		expect(v.cumulative.map((c) => c.multimedia.planned_schools)).toEqual([74, 148, 209]);
		expect(v.cumulative[2].multimedia.planned_rooms).toBe(920);
		expect(v.cumulative[2].smart).toMatchObject({ planned_schools: 15, planned_rooms: 15 });
		expect(v.cumulative[2].elibrary.planned_schools).toBe(52);
		expect(v.targets.map((t) => [t.id, t.value])).toEqual([
			['multimedia_share_2025', 0.15],
			['classroom_equipment_2030', 0.95],
			['elibrary_equipment_2030', 0.95],
			['data_sync_2030', 1]
		]);
		// every district on the plan is listed, in plan-year order
		expect(v.districts.map((d) => d.plan_year)).toEqual([
			2023, 2023, 2023, 2024, 2024, 2024, 2025, 2025, 2025
		]);
	});

	it('reads the wall’s live completeness counts as the sync target', () => {
		const counts = (reported: number, overdue: number, schools: number) => ({
			counts: { schools, completeness: { schools_reported: reported, sync_overdue: overdue } }
		});
		const k = {
			city: counts(10, 3, 12),
			districts: { a: counts(4, 1, 5) }
		} as unknown as Parameters<typeof liveSyncing>[0];
		expect(liveSyncing(k)).toEqual({ city: { n: 7, of: 12 }, districts: { a: { n: 3, of: 5 } } });
		expect(liveSyncing(null)).toBeNull();
	});
});
