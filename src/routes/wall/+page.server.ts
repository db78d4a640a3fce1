import { appRuntime } from '$lib/server/app-runtime';
import { plan83Progress } from '$lib/server/wall/plan83';
import { districtResolver } from '$lib/server/wall/snapshot';
import { parseLocale } from '$lib/i18n/dictionary';
import { parseKiosk } from '$lib/shared/kiosk';
import type { AreaGeometry } from '$lib/shared/geo';
import type { WallHealth, WallHistory, WallKpis } from '$lib/shared/wall';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => {
	const rt = await appRuntime();
	const reg = rt.registry.registry;
	const districtOf = districtResolver(reg.areas);
	const districts = reg.areas
		.filter((a) => a.level === 'district' && a.geometry)
		.map((a) => ({ id: a.area_id, name: a.name, name_en: a.name_en, kind: a.kind, geometry: a.geometry as AreaGeometry }));
	setHeaders({ 'cache-control': 'no-store' });
	return {
		locale: parseLocale(url.searchParams.get('lang')),
		districts,
		schools: reg.schools.map((s) => ({ id: s.school_id, name: s.name, lon: s.lon, lat: s.lat, district: districtOf(s) })),
		plan: plan83Progress(reg.schools, reg.areas),
		kiosk: parseKiosk(url.searchParams, districts.map((d) => d.id)),
		staleAfterS: rt.cfg.wall.staleAfterS,
		demoClock: rt.clock.shiftMs !== 0,
		// the first paint has numbers; the live feed takes over from there
		initial: {
			'wall.kpis': rt.hub.current<WallKpis>('wall.kpis') ?? undefined,
			'wall.history': rt.hub.current<WallHistory>('wall.history') ?? undefined,
			'wall.health': rt.hub.current<WallHealth>('wall.health') ?? undefined
		}
	};
}) satisfies PageServerLoad;
