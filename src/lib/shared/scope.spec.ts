import { describe, expect, it } from 'vitest';
import type { Area, Registry, School } from './registry';
import { CITY, areaFilter, formatScope, narrowRegistry, parseScope, scopeName } from './scope';

const area = (area_id: string, level: Area['level'], parent_id: string | null): Area => ({
	area_id,
	parent_id,
	level,
	name: area_id === 'co-do' ? 'Cờ Đỏ' : area_id,
	name_en: area_id === 'co-do' ? 'Co Do' : '',
	kind: '',
	code: '',
	geometry: null
});
const school = (school_id: string, area_id: string) =>
	({ school_id, area_id, name: `Trường ${school_id}` }) as School;
const reg: Registry = {
	areas: [
		area('can-tho', 'city', null),
		area('co-do', 'district', 'can-tho'),
		area('ninh-kieu', 'district', 'can-tho'),
		// a ward under Cờ Đỏ: its schools are Cờ Đỏ's
		area('thoi-hung', 'ward', 'co-do')
	],
	schools: [school('cd-1', 'co-do'), school('cd-2', 'thoi-hung'), school('nk-1', 'ninh-kieu')]
};

describe('scopes', () => {
	it('reads and writes the stored text, and refuses what is not a scope', () => {
		for (const s of ['', 'district:co-do', 'school:cd-1'])
			expect(formatScope(parseScope(s)!)).toBe(s);
		expect(parseScope('city')).toEqual(CITY);
		expect(parseScope('district:')).toBeNull();
		expect(parseScope('region:co-do')).toBeNull();
		expect(parseScope('district:Co Do')).toBeNull();
	});

	it("a district's filter lets its schools through (wards included), opens its district only", () => {
		const f = areaFilter({ kind: 'district', district: 'co-do' }, reg);
		expect(f.all).toBe(false);
		expect([...f.schools].sort()).toEqual(['cd-1', 'cd-2']);
		expect([...f.districts]).toEqual(['co-do']);
		expect(f.hasSchool('cd-2')).toBe(true);
		expect(f.hasSchool('nk-1')).toBe(false);
		expect(f.hasSchool(null)).toBe(false);
		expect(f.opensDistrict('co-do')).toBe(true);
		expect(f.opensDistrict('ninh-kieu')).toBe(false);
		// an alert at one of its schools, or of the district itself; not another district's
		expect(f.touches('cd-1', 'co-do')).toBe(true);
		expect(f.touches('', 'co-do')).toBe(true);
		expect(f.touches('nk-1', 'ninh-kieu')).toBe(false);
		expect(f.touches('', 'ninh-kieu')).toBe(false);
	});

	it("a school's filter lets that school through and opens no district page", () => {
		const f = areaFilter({ kind: 'school', school: 'cd-2' }, reg);
		expect([...f.schools]).toEqual(['cd-2']);
		// its district is where its numbers are summed, but the district's page is not its to open
		expect([...f.districts]).toEqual(['co-do']);
		expect(f.opensDistrict('co-do')).toBe(false);
		expect(f.touches('cd-2', 'co-do')).toBe(true);
		expect(f.touches('cd-1', 'co-do')).toBe(false);
		// a district-wide alert is not one school's
		expect(f.touches('', 'co-do')).toBe(false);
	});

	it('the city lets everything through; an unknown id lets nothing through', () => {
		const all = areaFilter(CITY, reg);
		expect(all.all).toBe(true);
		expect(all.schools.size).toBe(3);
		expect(all.opensDistrict('ninh-kieu')).toBe(true);
		expect(narrowRegistry(reg, all)).toBe(reg);
		const none = areaFilter({ kind: 'school', school: '-' }, reg);
		expect(none.schools.size).toBe(0);
		expect(none.districts.size).toBe(0);
		expect(none.hasSchool('cd-1')).toBe(false);
		expect(none.touches('', 'co-do')).toBe(false);
		const gone = areaFilter({ kind: 'district', district: 'o-mon' }, reg);
		expect(gone.opensDistrict('o-mon')).toBe(false);
		expect(gone.schools.size).toBe(0);
	});

	it('narrows the registry to the scope’s schools, keeping every area for names', () => {
		const r = narrowRegistry(reg, areaFilter({ kind: 'district', district: 'co-do' }, reg));
		expect(r.schools.map((s) => s.school_id)).toEqual(['cd-1', 'cd-2']);
		expect(r.areas).toBe(reg.areas);
	});

	it('names the scope for the header, in the reader’s language', () => {
		expect(scopeName(CITY, reg, 'vi')).toBeNull();
		expect(scopeName({ kind: 'district', district: 'co-do' }, reg, 'vi')).toBe('Cờ Đỏ');
		expect(scopeName({ kind: 'district', district: 'co-do' }, reg, 'en')).toBe('Co Do');
		expect(scopeName({ kind: 'school', school: 'cd-1' }, reg, 'vi')).toBe('Trường cd-1');
	});
});
