/**
 * An account's area: the whole city, one district, or one school. Roles say what an account may
 * do; its scope says over which schools. The server narrows every read to the scope (pages,
 * exports, reports, live topics, alerts, the JSON API); an id outside it answers 404, so a scoped
 * account cannot learn that another area's district or school exists.
 *
 * Stored as text on the account: '' (city), `district:<area_id>`, `school:<school_id>`.
 */
import { ID_PATTERN, districtResolver, type Registry, type School } from './registry';

export type Scope =
	{ kind: 'city' } | { kind: 'district'; district: string } | { kind: 'school'; school: string };

export const CITY: Scope = Object.freeze({ kind: 'city' });

/** The stored text of a scope. */
export function formatScope(s: Scope): string {
	if (s.kind === 'district') return `district:${s.district}`;
	if (s.kind === 'school') return `school:${s.school}`;
	return '';
}

/** A scope from its stored text, or null when the text is not one (unknown ids are the caller's check). */
export function parseScope(text: string | null | undefined): Scope | null {
	const v = (text ?? '').trim();
	if (v === '' || v === 'city') return CITY;
	const m = /^(district|school):(.+)$/.exec(v);
	if (!m || !ID_PATTERN.test(m[2])) return null;
	return m[1] === 'district'
		? { kind: 'district', district: m[2] }
		: { kind: 'school', school: m[2] };
}

/** Whether the stored text names a district or school the registry has ('' for the city). */
export function scopeExists(s: Scope, reg: Registry): boolean {
	if (s.kind === 'district')
		return reg.areas.some((a) => a.area_id === s.district && a.level === 'district');
	if (s.kind === 'school') return reg.schools.some((x) => x.school_id === s.school);
	return true;
}

/** Whether a school is in the scope; `districtOf` resolves a school's district (kpi/snapshot's districtResolver). */
export function schoolInScope(
	s: Scope,
	school: School,
	districtOf: (s: School) => string | null
): boolean {
	if (s.kind === 'city') return true;
	if (s.kind === 'school') return school.school_id === s.school;
	return districtOf(school) === s.district;
}

/** The district a scope lies in (a school's district), or null for the city. */
export function scopeDistrict(
	s: Scope,
	reg: Registry,
	districtOf: (s: School) => string | null
): string | null {
	if (s.kind === 'district') return s.district;
	if (s.kind === 'school') {
		const school = reg.schools.find((x) => x.school_id === s.school);
		return school ? districtOf(school) : null;
	}
	return null;
}

/** Whether a district is visible to the scope (its own district; a school scope sees its school's district only through that school). */
export function districtInScope(s: Scope, district: string): boolean {
	return s.kind === 'city' || (s.kind === 'district' && s.district === district);
}

/**
 * What a scope lets through, resolved against the registry once: the schools in it, the districts
 * it opens (a district's page, its filter) and the districts it touches (where its schools lie,
 * for sums and alerts). The city's filter lets everything through (`all`).
 */
export interface AreaFilter {
	readonly scope: Scope;
	/** true for the city: nothing is narrowed */
	readonly all: boolean;
	/** the schools in the scope (every school of the registry for the city) */
	readonly schools: ReadonlySet<string>;
	/** the districts its schools lie in */
	readonly districts: ReadonlySet<string>;
	hasSchool(id: string | null | undefined): boolean;
	/** whether the district's own pages (and filters) open: the city, or the scope's own district */
	opensDistrict(id: string): boolean;
	/** whether an alert or a sum of this school/district concerns the scope */
	touches(school: string | null | undefined, district: string | null | undefined): boolean;
}

/** The filter of a scope over a registry (a scope naming no known id lets nothing through). */
export function areaFilter(scope: Scope, reg: Registry): AreaFilter {
	// resolved once per registry and scope: every request is narrowed, and at 5,000 schools the
	// city's filter alone is a set of every school
	let byScope = filters.get(reg);
	if (!byScope) filters.set(reg, (byScope = new Map()));
	const key = formatScope(scope);
	let f = byScope.get(key);
	if (!f) byScope.set(key, (f = resolveFilter(scope, reg)));
	return f;
}
const filters = new WeakMap<Registry, Map<string, AreaFilter>>();

function resolveFilter(scope: Scope, reg: Registry): AreaFilter {
	const districtOf = districtResolver(reg.areas);
	const schools = new Set<string>();
	const districts = new Set<string>();
	for (const s of reg.schools)
		if (schoolInScope(scope, s, districtOf)) {
			schools.add(s.school_id);
			const d = districtOf(s);
			if (d) districts.add(d);
		}
	if (scope.kind === 'district' && scopeExists(scope, reg)) districts.add(scope.district);
	const all = scope.kind === 'city';
	if (all) for (const a of reg.areas) if (a.level === 'district') districts.add(a.area_id);
	return {
		scope,
		all,
		schools,
		districts,
		hasSchool: (id) => all || (!!id && schools.has(id)),
		opensDistrict: (id) => all || (districtInScope(scope, id) && districts.has(id)),
		touches: (school, district) =>
			all ||
			(school ? schools.has(school) : scope.kind === 'district' && district === scope.district)
	};
}

/** How the header names a scope: the district's or school's name, or null for the city. */
export function scopeName(scope: Scope, reg: Registry, locale: 'vi' | 'en'): string | null {
	if (scope.kind === 'city') return null;
	if (scope.kind === 'district') {
		const a = reg.areas.find((x) => x.area_id === scope.district);
		return a ? (locale === 'en' && a.name_en ? a.name_en : a.name) : scope.district;
	}
	return reg.schools.find((x) => x.school_id === scope.school)?.name ?? scope.school;
}

/** The registry as a scope sees it: every area (for names), only the scope's schools. */
export function narrowRegistry(reg: Registry, f: AreaFilter): Registry {
	return f.all
		? reg
		: { areas: reg.areas, schools: reg.schools.filter((s) => f.schools.has(s.school_id)) };
}
