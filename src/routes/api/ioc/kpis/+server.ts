import { error, json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { requestFilter } from '$lib/server/auth/request-scope';
import { districtResolver } from '$lib/server/kpi/snapshot';
import { formatScope } from '$lib/shared/scope';
import { KPI_IDS } from '$lib/shared/kpi';
import type { WallKpis } from '$lib/shared/wall';
import type { RequestHandler } from './$types';

/**
 * The IOC's read-only JSON: the current KPIs of the city, each district and each school, as the
 * wall shows them, narrowed to the request's scope (requestScope: a scoped account, or an embed
 * token of a district or a district's KPI panel): its schools only, its district if it has one,
 * and no city figure. Accounts of the whole city and city tokens get everything.
 */
export const GET: RequestHandler = async ({ locals, setHeaders }) => {
	const rt = await appRuntime();
	const reg = rt.registry.registry;
	const f = requestFilter(locals, reg);
	const k = rt.hub.currentFor<WallKpis>('wall.kpis', formatScope(f.scope));
	if (!k) error(503, 'the first numbers are not computed yet');
	const districtOf = districtResolver(reg.areas);
	const schoolDistrict = new Map(reg.schools.map((x) => [x.school_id, districtOf(x)]));
	const schools = k.schools
		.filter(([id]) => f.hasSchool(id))
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
		city: f.all ? k.city.values : undefined,
		districts: Object.fromEntries(
			Object.entries(k.districts)
				.filter(([id]) => f.opensDistrict(id))
				.map(([id, a]) => [id, { values: a.values, counts: a.counts }])
		),
		schools
	});
};
