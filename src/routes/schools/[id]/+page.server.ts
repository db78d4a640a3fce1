import { error } from '@sveltejs/kit';
import { parseLocale, t } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { viewRequest } from '$lib/server/drill/request';
import { schoolView } from '$lib/server/drill/school';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url, setHeaders }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const reg = rt.registry.registry;
	if (!reg.schools.some((s) => s.school_id === params.id)) error(404, t(locale, 'drill.error.no_school', { id: params.id }));
	const now = Date.now();
	const { view, range } = viewRequest(url, locale, now, rt.clock.shiftMs);
	const data = (await schoolView({ ch: rt.ch, clock: rt.clock, registry: reg, now, schoolId: params.id, range }))!;
	setHeaders({ 'cache-control': 'no-store' });
	return { locale, view, data };
}) satisfies PageServerLoad;
