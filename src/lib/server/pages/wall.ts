/** What the wall page loads: shared by /wall and the embeds (/embed/...). */
import { appRuntime } from '../app-runtime';
import { plan83Progress } from '../plan83/targets';
import { districtResolver } from '../kpi/snapshot';
import { error } from '@sveltejs/kit';
import { parseLocale, t } from '../../i18n/dictionary';
import { replayWall, type WallReplay } from '../wall/replay';
import { narrowHistory, narrowKpis } from '../wall/service';
import {
	CITY,
	areaFilter,
	formatScope,
	scopeName,
	type AreaFilter,
	type Scope
} from '../../shared/scope';
import { districtShapes } from './map';
import { checkWallReplay } from '../../shared/range';
import { parseKiosk } from '../../shared/kiosk';
import type { WallAlerts, WallHealth, WallHistory, WallKpis } from '../../shared/wall';
import type { KpiId } from '../../shared/kpi';
import type { Registry } from '../../shared/registry';

/** An embed's own settings: its token (the live feed carries it) and, for a KPI panel, the KPI. */
export interface EmbedInfo {
	token: string;
	panel: KpiId | null;
}

/** A replay's topics over a scope's schools only (the city's filter gives them as they are). */
export function narrowReplay(r: WallReplay, f: AreaFilter, reg: Registry): WallReplay {
	if (f.all) return r;
	return {
		'wall.kpis': narrowKpis(r['wall.kpis'], f),
		'wall.history': narrowHistory(r['wall.history'], f, reg),
		// a replay's ticker is empty: nothing of another area in it
		'wall.health': r['wall.health']
	};
}

/**
 * The wall's page data for these URL parameters (the wall, and the embeds built on it), narrowed
 * to `scope`: its schools, its districts, its numbers; its "city" is the scope's own area.
 */
export async function wallPageData(
	url: URL,
	setHeaders: (h: Record<string, string>) => void,
	scope: Scope = CITY
) {
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
	const f = areaFilter(scope, reg);
	const key = formatScope(scope);
	const districtOf = districtResolver(reg.areas);
	const districts = districtShapes(reg.areas).filter((d) => f.districts.has(d.id));
	const schools = f.all ? reg.schools : reg.schools.filter((s) => f.schools.has(s.school_id));
	setHeaders({ 'cache-control': 'no-store' });
	return {
		embed: null as EmbedInfo | null,
		/** a kiosk's wall token: the live wall only (no replay link) */
		liveOnly: false,
		locale,
		replay,
		/** the account's area when it is not the whole city (the header says so) */
		scopeName: scopeName(scope, reg, locale),
		districts,
		schools: schools.map((s) => ({
			id: s.school_id,
			name: s.name,
			lon: s.lon,
			lat: s.lat,
			district: districtOf(s)
		})),
		plan: plan83Progress(schools, reg.areas),
		kiosk: parseKiosk(
			url.searchParams,
			districts.map((d) => d.id).filter((id) => f.opensDistrict(id))
		),
		staleAfterS: rt.cfg.wall.staleAfterS,
		demoClock: rt.clock.shiftMs !== 0,
		// the first paint has numbers; the live feed takes over from there
		initial: replay
			? narrowReplay(
					await replayWall(
						rt.ch,
						rt.registry,
						rt.clock,
						replay.at,
						rt.hub.currentFor<WallHealth>('wall.health', key),
						rt.cfg.wall.staleAfterS
					),
					f,
					reg
				)
			: {
					'wall.kpis': rt.hub.currentFor<WallKpis>('wall.kpis', key) ?? undefined,
					'wall.history': rt.hub.currentFor<WallHistory>('wall.history', key) ?? undefined,
					'wall.health': rt.hub.currentFor<WallHealth>('wall.health', key) ?? undefined,
					'wall.alerts': rt.hub.currentFor<WallAlerts>('wall.alerts', key) ?? undefined
				}
	};
}
