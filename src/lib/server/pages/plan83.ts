/**
 * Plan 83's page and export read through one prelude: the query (a 400 naming what is wrong) and
 * the view over the request's scope. A scoped account sees its own district's roll-out only: its
 * registry is its schools, the district filter is fixed to its district, and a district outside
 * its scope is refused exactly as an unknown one is (the same 400, listing only its own).
 */
import { error } from '@sveltejs/kit';
import { t, type Locale } from '../../i18n/dictionary';
import { ID_PATTERN } from '../../shared/registry';
import { formatScope, narrowRegistry, type AreaFilter } from '../../shared/scope';
import type { Plan83View } from '../../shared/plan83';
import type { WallKpis } from '../../shared/wall';
import { appRuntime } from '../app-runtime';
import { liveSyncing, parsePlan83Query, plan83View } from '../plan83/view';

/** The plan's view for this URL and scope, or a 400 in the reader's language. */
export async function plan83Request(url: URL, locale: Locale, f: AreaFilter) {
	const rt = await appRuntime();
	const full = rt.registry.registry;
	const search = new URLSearchParams(url.searchParams);
	if (!f.all) {
		const own = [...f.districts];
		const d = search.get('district');
		if (d !== null && d !== '' && (!ID_PATTERN.test(d) || !f.opensDistrict(d)))
			error(
				400,
				t(locale, 'plan83.error.district', {
					value: d,
					allowed: own.filter((x) => f.opensDistrict(x)).join(', ')
				})
			);
		// the scope's district, always: the city's rows and group totals are not the scope's
		if (own.length === 1) search.set('district', own[0]);
	}
	const reg = narrowRegistry(full, f);
	const q = parsePlan83Query(search, reg);
	if (!q.ok) error(q.status, t(locale, q.key, q.params));
	const view = narrowPlan83(
		plan83View(reg, q.value, {
			syncing: liveSyncing(rt.hub.currentFor<WallKpis>('wall.kpis', formatScope(f.scope)))
		}),
		f
	);
	return { rt, query: q.value, view };
}

/** What of the plan's view is another area's: other districts' rows and names, list entries not the scope's. */
export function narrowPlan83(v: Plan83View, f: AreaFilter): Plan83View {
	if (f.all) return v;
	const inScope = (d: string | null) => d !== null && f.districts.has(d);
	return {
		...v,
		districts: v.districts.filter((d) => inScope(d.id)),
		cumulative: v.cumulative.map((y) => ({ ...y, districts: y.districts.filter(inScope) })),
		groups: v.groups
			.map((g) => ({ ...g, rows: g.rows.filter((r) => inScope(r.district)) }))
			.filter((g) => g.rows.length > 0),
		targets: v.targets.map((tg) => ({
			...tg,
			districts: Object.fromEntries(Object.entries(tg.districts).filter(([id]) => inScope(id)))
		})),
		missing: Object.fromEntries(
			Object.entries(v.missing).map(([k, list]) => [
				k,
				list.filter((m) => f.hasSchool(m.school_id))
			])
		) as Plan83View['missing']
	};
}
