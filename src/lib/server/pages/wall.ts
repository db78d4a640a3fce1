/** What the wall page loads: shared by /wall and the embeds (/embed/...). */
import { appRuntime } from '../app-runtime';
import { plan83Progress } from '../plan83/targets';
import { districtResolver } from '../kpi/snapshot';
import { error } from '@sveltejs/kit';
import { parseLocale, t } from '../../i18n/dictionary';
import { replayWall } from '../wall/replay';
import { districtShapes } from './map';
import { checkWallReplay } from '../../shared/range';
import { parseKiosk } from '../../shared/kiosk';
import type { WallAlerts, WallHealth, WallHistory, WallKpis } from '../../shared/wall';
import type { KpiId } from '../../shared/kpi';

/** An embed's own settings: its token (the live feed carries it) and, for a KPI panel, the KPI. */
export interface EmbedInfo {
	token: string;
	panel: KpiId | null;
}

/** The wall's page data for these URL parameters (the wall, and the embeds built on it). */
export async function wallPageData(url: URL, setHeaders: (h: Record<string, string>) => void) {
	const rt = await appRuntime();
	const locale = parseLocale(url.searchParams.get('lang'));
	// replay: ?at=YYYY-MM-DDTHH:MM (a bad moment is a 400 with the reason, before any query)
	const atParam = url.searchParams.get('at');
	let replay: { at: number; speed: number } | null = null;
	if (atParam !== null) {
		const at = checkWallReplay(atParam, Date.now());
		if (!at.ok) error(400, t(locale, at.error.key, at.error.params));
		const speed = Number(url.searchParams.get('speed') ?? 5);
		if (!Number.isInteger(speed) || speed < 1 || speed > 240)
			error(
				400,
				t(locale, 'view.error.param', {
					name: 'speed',
					value: url.searchParams.get('speed') ?? '',
					allowed: '1–240'
				})
			);
		replay = { at: at.value, speed };
	}
	const reg = rt.registry.registry;
	const districtOf = districtResolver(reg.areas);
	const districts = districtShapes(reg.areas);
	setHeaders({ 'cache-control': 'no-store' });
	return {
		embed: null as EmbedInfo | null,
		/** a kiosk's wall token: the live wall only (no replay link) */
		liveOnly: false,
		locale,
		replay,
		districts,
		schools: reg.schools.map((s) => ({
			id: s.school_id,
			name: s.name,
			lon: s.lon,
			lat: s.lat,
			district: districtOf(s)
		})),
		plan: plan83Progress(reg.schools, reg.areas),
		kiosk: parseKiosk(
			url.searchParams,
			districts.map((d) => d.id)
		),
		staleAfterS: rt.cfg.wall.staleAfterS,
		demoClock: rt.clock.shiftMs !== 0,
		// the first paint has numbers; the live feed takes over from there
		initial: replay
			? await replayWall(
					rt.ch,
					rt.registry,
					rt.clock,
					replay.at,
					rt.hub.current<WallHealth>('wall.health'),
					rt.cfg.wall.staleAfterS
				)
			: {
					'wall.kpis': rt.hub.current<WallKpis>('wall.kpis') ?? undefined,
					'wall.history': rt.hub.current<WallHistory>('wall.history') ?? undefined,
					'wall.health': rt.hub.current<WallHealth>('wall.health') ?? undefined,
					'wall.alerts': rt.hub.current<WallAlerts>('wall.alerts') ?? undefined
				}
	};
}
