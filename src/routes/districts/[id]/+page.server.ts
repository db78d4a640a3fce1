import { districtView, schoolsOfDistrict } from '$lib/server/drill/district';
import { districtRequest } from '$lib/server/pages/drill';
import type { AreaGeometry } from '$lib/shared/geo';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url, setHeaders }) => {
	const { locale, rt, registry, area, now, view, range } = await districtRequest(params.id, url);
	const data = await districtView({
		ch: rt.ch,
		clock: rt.clock,
		registry,
		now,
		districtId: area.area_id,
		range,
		view
	});
	setHeaders({ 'cache-control': 'no-store' });
	return {
		locale,
		view,
		data: data!,
		map: {
			districts: registry.areas
				.filter((a) => a.level === 'district' && a.geometry)
				.map((a) => ({
					id: a.area_id,
					name: a.name,
					name_en: a.name_en,
					kind: a.kind,
					geometry: a.geometry as AreaGeometry
				})),
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
