import { describe, expect, it } from 'vitest';
import {
	SCHOOL_LEVELS,
	areaSchema,
	schoolSchema,
	type Area,
	type School
} from '../../../shared/registry';
import { pointInGeometry } from '../../../shared/geo';
import areasJson from './seed/areas.json';
import schoolsJson from './seed/schools.json';

const areas = areasJson as unknown as Area[];
const schools = schoolsJson as unknown as School[];
const districts = areas.filter((a) => a.level === 'district');
const districtById = new Map(districts.map((d) => [d.area_id, d]));

/** Plan 83's multimedia roll-out year per district. */
const ROLLOUT_YEAR: Record<string, number> = {
	'ninh-kieu': 2023,
	'binh-thuy': 2023,
	'o-mon': 2023,
	'cai-rang': 2024,
	'thot-not': 2024,
	'thoi-lai': 2024,
	'phong-dien': 2025,
	'co-do': 2025,
	'vinh-thanh': 2025
};

describe('seed areas', () => {
	it('has the city and its 9 districts, all valid', () => {
		expect(areas).toHaveLength(10);
		const city = areas.filter((a) => a.level === 'city');
		expect(city).toHaveLength(1);
		expect(city[0]).toMatchObject({
			area_id: 'can-tho',
			parent_id: null,
			code: '92',
			name: 'Thành phố Cần Thơ'
		});
		expect(districts.map((d) => d.area_id).sort()).toEqual(Object.keys(ROLLOUT_YEAR).sort());
		for (const a of areas) expect(areaSchema.parse(a)).toEqual(a);
		for (const d of districts) {
			expect(d.parent_id).toBe('can-tho');
			expect(d.code).toMatch(/^9\d\d$/);
			expect(['urban', 'rural']).toContain(d.kind);
			expect(d.geometry?.type).toMatch(/^(Multi)?Polygon$/);
		}
		expect(districtById.get('ninh-kieu')).toMatchObject({
			name: 'Ninh Kiều',
			code: '916',
			kind: 'urban'
		});
		expect(districtById.get('co-do')).toMatchObject({ name: 'Cờ Đỏ', code: '925', kind: 'rural' });
		expect(new Set(districts.map((d) => d.code)).size).toBe(9);
	});
});

describe('seed schools', () => {
	it('has 467 valid schools sorted by id', () => {
		expect(schools).toHaveLength(467);
		for (const s of schools) expect(schoolSchema.parse(s), s.school_id).toEqual(s);
		const ids = schools.map((s) => s.school_id);
		expect(ids).toEqual([...ids].sort());
	});

	it('has unique ids and names, ids built from the district GSO code', () => {
		expect(new Set(schools.map((s) => s.school_id)).size).toBe(schools.length);
		expect(new Set(schools.map((s) => s.name)).size).toBe(schools.length);
		for (const s of schools) {
			const d = districtById.get(s.area_id);
			expect(d, `${s.school_id} area ${s.area_id}`).toBeDefined();
			expect(s.school_id).toMatch(new RegExp(`^ct-${d?.code}-\\d{3}$`));
		}
	});

	it('places every school inside its own district and no other, at distinct points', () => {
		for (const s of schools) {
			const inside = districts.filter((d) => pointInGeometry(s.lon, s.lat, d.geometry));
			expect(
				inside.map((d) => d.area_id),
				`${s.school_id} at ${s.lat},${s.lon}`
			).toEqual([s.area_id]);
			expect(Number(s.lat.toFixed(5))).toBe(s.lat);
			expect(Number(s.lon.toFixed(5))).toBe(s.lon);
		}
		expect(new Set(schools.map((s) => `${s.lat},${s.lon}`)).size).toBe(schools.length);
	});

	it('carries the plan-83 units as real, e-library schools with the lowest numbers', () => {
		const plan = schools.filter((s) => s.plan83);
		// 52 units in the plan's appendix; one is the Department of Education itself, not a school
		expect(plan).toHaveLength(51);
		for (const s of plan) {
			expect(s.synthetic).toBe(false);
			expect(s.elibrary).toBe(true);
			expect([2023, 2024, 2025]).toContain(s.elibrary_year);
		}
		for (const s of schools.filter((x) => !x.plan83)) expect(s.synthetic).toBe(true);
		const byName = new Map(schools.map((s) => [s.name, s]));
		expect(byName.get('Trường Tiểu học Ngô Quyền')).toMatchObject({
			school_id: 'ct-916-001',
			area_id: 'ninh-kieu',
			ward: 'Phường An Cư',
			plan83: true,
			elibrary_year: 2023
		});
		expect(byName.get('Trường THPT chuyên Lý Tự Trọng')).toMatchObject({
			area_id: 'cai-rang',
			ward: 'Phường Hưng Thạnh',
			levels: ['upper_secondary'],
			plan83: true
		});
		expect(byName.get('Trường THCS&THPT Trần Ngọc Hoảng')).toMatchObject({
			area_id: 'co-do',
			levels: ['lower_secondary', 'upper_secondary'],
			elibrary_year: 2025,
			plan83: true
		});
		// in every district the plan units come first
		for (const d of districts) {
			const mine = schools.filter((s) => s.area_id === d.area_id);
			const firstSynthetic = mine.findIndex((s) => s.synthetic);
			expect(
				mine.slice(firstSynthetic).every((s) => s.synthetic),
				d.area_id
			).toBe(true);
		}
	});

	it('covers every level in a realistic mix, and every district', () => {
		const has = (l: string) =>
			schools.filter((s) => s.levels.includes(l as School['levels'][number]));
		for (const level of SCHOOL_LEVELS) expect(has(level).length, level).toBeGreaterThan(0);
		const single = (l: string) =>
			schools.filter((s) => s.levels.length === 1 && s.levels[0] === l).length;
		expect(single('preschool')).toBeGreaterThanOrEqual(130);
		expect(single('primary')).toBeGreaterThanOrEqual(150);
		expect(single('lower_secondary')).toBeGreaterThanOrEqual(70);
		expect(single('upper_secondary')).toBeGreaterThanOrEqual(20);
		expect(schools.filter((s) => s.levels.length > 1).length).toBeGreaterThan(0);
		const count = new Map<string, number>();
		for (const s of schools) count.set(s.area_id, (count.get(s.area_id) ?? 0) + 1);
		for (const d of districts) expect(count.get(d.area_id) ?? 0, d.area_id).toBeGreaterThan(0);
		const largest = [...count.entries()].sort((a, b) => b[1] - a[1])[0][0];
		expect(largest).toBe('ninh-kieu');
	});

	it('has consistent equipment numbers', () => {
		for (const s of schools) {
			const id = s.school_id;
			expect(s.devices, id).toBeGreaterThanOrEqual(
				Math.max(1, s.multimedia_rooms + s.smart_rooms + (s.elibrary ? 1 : 0))
			);
			expect(s.elibrary_year === null, id).toBe(!s.elibrary);
			expect(s.multimedia_year === null, id).toBe(s.multimedia_rooms === 0);
			expect(s.smart_year === null, id).toBe(s.smart_rooms === 0);
			expect(s.classrooms, id).toBeGreaterThan(0);
			// plan-83 rooms (2+ per school) arrive in the district's roll-out year
			if (s.multimedia_rooms >= 2) expect(s.multimedia_year, id).toBe(ROLLOUT_YEAR[s.area_id]);
			if (s.levels.includes('preschool')) expect(s.multimedia_rooms, id).toBeLessThanOrEqual(1);
		}
		const withElibrary =
			schools.filter((s) => s.elibrary && !s.plan83).length /
			schools.filter((s) => !s.plan83).length;
		expect(withElibrary).toBeGreaterThan(0.25);
		expect(withElibrary).toBeLessThan(0.45);
	});
});
