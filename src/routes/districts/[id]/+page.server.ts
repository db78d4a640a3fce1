import { schoolsOfDistrict } from '$lib/server/drill/district';
import { districtData } from '$lib/server/pages/drill';
import { districtShapes } from '$lib/server/pages/map';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url, setHeaders, locals }) => {
	const { locale, registry, scope, area, view, data } = await districtData(params.id, url, locals);
	setHeaders({ 'cache-control': 'no-store' });
	return {
		locale,
		view,
		data,
		map: {
			districts: districtShapes(registry.areas).filter((d) => scope.districts.has(d.id)),
			schools: schoolsOfDistrict(registry, area.area_id).map((s) => ({
				id: s.school_id,
				name: s.name,
				lon: s.lon,
				lat: s.lat,
				district: area.area_id
			}))
		}
	};
}) satisfies PageServerLoad;
