import { error, json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { scopeDistrict } from '$lib/server/auth/embed-scope';
import { districtResolver } from '$lib/server/kpi/snapshot';
import { KPI_IDS } from '$lib/shared/kpi';
import type { WallKpis } from '$lib/shared/wall';
import type { RequestHandler } from './$types';

/**
 * The IOC's read-only JSON: the current KPIs of the city, each district and each school, as the
 * wall shows them. An embed token scoped to a district (or a district's KPI panel) gets that
 * district and its schools only; accounts and city tokens get everything.
 */
export const GET: RequestHandler = async ({ locals, setHeaders }) => {
	const rt = await appRuntime();
	const k = rt.hub.current<WallKpis>('wall.kpis');
	if (!k) error(503, 'the first numbers are not computed yet');
	const only = scopeDistrict(locals.token?.scope);
	const reg = rt.registry.registry;
	const districtOf = districtResolver(reg.areas);
	const schoolDistrict = new Map(reg.schools.map((x) => [x.school_id, districtOf(x)]));
	const schools = k.schools
		.filter(([id]) => !only || schoolDistrict.get(id) === only)
		.map(([id, status, ...values]) => ({
			id,
			district: schoolDistrict.get(id) ?? null,
			status,
			...Object.fromEntries(KPI_IDS.map((kpi, i) => [kpi, values[i] ?? null]))
		}));
	setHeaders({ 'cache-control': 'no-store' });
	return json({
		at: k.at,
		day: k.day,
		city: only ? undefined : k.city.values,
		districts: Object.fromEntries(
			Object.entries(k.districts)
				.filter(([id]) => !only || id === only)
				.map(([id, a]) => [id, { values: a.values, counts: a.counts }])
		),
		schools
	});
};
