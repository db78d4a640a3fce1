import { appRuntime } from '$lib/server/app-runtime';
import { plan83Progress } from '$lib/server/wall/plan83';
import { districtResolver } from '$lib/server/wall/snapshot';
import { error } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { replayWall } from '$lib/server/drill/replay';
import { checkWallReplay } from '$lib/shared/range';
import { parseKiosk } from '$lib/shared/kiosk';
import type { AreaGeometry } from '$lib/shared/geo';
import type { WallHealth, WallHistory, WallKpis } from '$lib/shared/wall';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => {
	const rt = await appRuntime();
	const locale = parseLocale(url.searchParams.get('lang'));
	// replay: ?at=YYYY-MM-DDTHH:MM (a bad moment is a 400 with the reason, before any query)
	const atParam = url.searchParams.get('at');
	let replay: { at: number; speed: number } | null = null;
	if (atParam !== null) {
		const at = checkWallReplay(atParam, Date.now());
		if (!at.ok) error(400, t(locale, at.error.key, at.error.params));
		const speed = Number(url.searchParams.get('speed') ?? 5);
		if (!Number.isInteger(speed) || speed < 1 || speed > 240) error(400, t(locale, 'view.error.param', { name: 'speed', value: url.searchParams.get('speed') ?? '', allowed: '1–240' }));
		replay = { at: at.value, speed };
	}
	const reg = rt.registry.registry;
	const districtOf = districtResolver(reg.areas);
	const districts = reg.areas
		.filter((a) => a.level === 'district' && a.geometry)
		.map((a) => ({ id: a.area_id, name: a.name, name_en: a.name_en, kind: a.kind, geometry: a.geometry as AreaGeometry }));
	setHeaders({ 'cache-control': 'no-store' });
	return {
		locale,
		replay,
		districts,
		schools: reg.schools.map((s) => ({ id: s.school_id, name: s.name, lon: s.lon, lat: s.lat, district: districtOf(s) })),
		plan: plan83Progress(reg.schools, reg.areas),
		kiosk: parseKiosk(url.searchParams, districts.map((d) => d.id)),
		staleAfterS: rt.cfg.wall.staleAfterS,
		demoClock: rt.clock.shiftMs !== 0,
		// the first paint has numbers; the live feed takes over from there
		initial: replay
			? await replayWall(rt.ch, rt.registry, rt.clock, replay.at, rt.hub.current<WallHealth>('wall.health'), rt.cfg.wall.staleAfterS)
			: {
			'wall.kpis': rt.hub.current<WallKpis>('wall.kpis') ?? undefined,
			'wall.history': rt.hub.current<WallHistory>('wall.history') ?? undefined,
			'wall.health': rt.hub.current<WallHealth>('wall.health') ?? undefined
		}
	};
}) satisfies PageServerLoad;
