/**
 * Embeds for the city's operations centre (IOC): one view per token, read-only, made for an
 * iframe. Which route a token opens, and the wall parameters each embed is built from.
 *   /embed/city                      the city wall        (scope { view: 'city' })
 *   /embed/district/<id>             a district's wall    (scope { view: 'district', district })
 *   /embed/kpi/<kpi>[?district=<id>] one KPI panel        (scope { view: 'kpi', kpi, district? })
 */
import { error } from '@sveltejs/kit';
import type { TokenScope } from '../../shared/tokens';
import { KPI_IDS, type KpiId } from '../../shared/kpi';
import { appRuntime } from '../app-runtime';
import { scopeDistrict } from '../auth/embed-scope';
import { requestFilter } from '../auth/request-scope';
import { wallPageData } from './wall';

/** The scope a route shows when an account (not a token) opens it: a preview of the embed. */
export function scopeOfRoute(
	routeId: string | null,
	params: Record<string, string>,
	url: URL
): TokenScope {
	if (routeId === '/embed/district/[id]') return { view: 'district', district: params.id };
	if (routeId === '/embed/kpi/[kpi]') {
		const kpi = params.kpi;
		if (!(KPI_IDS as readonly string[]).includes(kpi))
			error(404, `no KPI "${kpi}" (${KPI_IDS.join(', ')})`);
		return {
			view: 'kpi',
			kpi: kpi as KpiId,
			district: url.searchParams.get('district') ?? undefined
		};
	}
	return { view: 'city' };
}

/**
 * The wall data an embed shows: the scope fixes the area and the KPI, and may fix the language and
 * the theme. With a token (the IOC's iframe) the live feed carries it; an account previewing the
 * embed uses its session.
 */
export async function embedPageData(
	ev: {
		locals: App.Locals;
		url: URL;
		params: Record<string, string>;
		route: { id: string | null };
	},
	setHeaders: (h: Record<string, string>) => void
) {
	const token = ev.locals.token;
	const s = token ? token.scope : scopeOfRoute(ev.route.id, ev.params, ev.url);
	if (s.view === 'wall') error(403, 'a wall token does not open embeds');
	const reg = (await appRuntime()).registry;
	// the account's (or token's) own area: a district outside it is as unknown as one that is not
	const f = requestFilter(ev.locals, reg.registry);
	const district = scopeDistrict(s);
	if (
		district &&
		(!reg.areasAt('district').some((a) => a.area_id === district) || !f.opensDistrict(district))
	)
		error(404, `no district "${district}"`);
	const p = new URLSearchParams();
	// a token may fix the language and the theme; what it leaves open, the embedding page's URL chooses
	// (a bad value is named on the page, as on the wall)
	const lang = (token ? s.lang : null) ?? ev.url.searchParams.get('lang');
	if (lang) p.set('lang', lang);
	const theme = (token ? s.theme : null) ?? ev.url.searchParams.get('theme');
	if (theme) p.set('theme', theme);
	if (district) p.set('rotate', district);
	if (s.view === 'kpi') p.set('kpi', s.kpi);
	const data = await wallPageData(new URL(`http://embed/wall?${p}`), setHeaders, f.scope);
	return {
		...data,
		embed: {
			token: token ? (ev.url.searchParams.get('token') ?? '') : '',
			panel: s.view === 'kpi' ? s.kpi : null
		}
	};
}
