import { error } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { districtOf, districtView, schoolsOfDistrict } from '$lib/server/drill/district';
import { viewRequest } from '$lib/server/drill/request';
import type { AreaGeometry } from '$lib/shared/geo';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url, setHeaders }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const reg = rt.registry.registry;
	const area = districtOf(reg, params.id);
	if (!area) error(404, t(locale, 'drill.error.no_district', { id: params.id }));
	const now = Date.now();
	const { view, range } = viewRequest(url, locale, now, rt.clock.shiftMs);
	const data = await districtView({ ch: rt.ch, clock: rt.clock, registry: reg, now, districtId: area.area_id, range, view });
	setHeaders({ 'cache-control': 'no-store' });
	return {
		locale,
		view,
		data: data!,
		map: {
			districts: reg.areas
				.filter((a) => a.level === 'district' && a.geometry)
				.map((a) => ({ id: a.area_id, name: a.name, name_en: a.name_en, kind: a.kind, geometry: a.geometry as AreaGeometry })),
			schools: schoolsOfDistrict(reg, area.area_id).map((s) => ({ id: s.school_id, name: s.name, lon: s.lon, lat: s.lat, district: area.area_id }))
		}
	};
}) satisfies PageServerLoad;
