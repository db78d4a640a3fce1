import { error } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { liveSyncing, parsePlan83Query, plan83View } from '$lib/server/plan83/view';
import type { WallKpis } from '$lib/shared/wall';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const reg = rt.registry.registry;
	const q = parsePlan83Query(url.searchParams, reg);
	if (!q.ok) error(q.status, t(locale, q.key, q.params));
	const view = plan83View(reg, q.value, {
		syncing: liveSyncing(rt.hub.current<WallKpis>('wall.kpis'))
	});
	setHeaders({ 'cache-control': 'no-store' });
	return { locale, query: q.value, view };
}) satisfies PageServerLoad;
