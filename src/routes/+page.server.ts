import { appRuntime } from '$lib/server/app-runtime';
import { requestFilter } from '$lib/server/auth/request-scope';
import { parseLocale } from '$lib/i18n/dictionary';
import type { PageServerLoad } from './$types';

/** The wall's tour after the city: the central districts first, then the outer ones. */
const TOUR = [
	'ninh-kieu',
	'cai-rang',
	'binh-thuy',
	'o-mon',
	'thot-not',
	'phong-dien',
	'co-do',
	'thoi-lai',
	'vinh-thanh'
];

export const load = (async ({ url, locals }) => {
	const rt = await appRuntime();
	const health = await rt.health();
	// a scoped account counts its own schools and districts, and tours its own area
	const f = requestFilter(locals, rt.registry.registry);
	const tour = TOUR.filter((id) => f.opensDistrict(id));
	return {
		health: f.all ? health : { ...health, schools: f.schools.size, districts: f.districts.size },
		tour,
		locale: parseLocale(url.searchParams.get('lang'))
	};
}) satisfies PageServerLoad;
