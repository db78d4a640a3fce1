import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { requestFilter } from '$lib/server/auth/request-scope';
import { plan83Request } from '$lib/server/pages/plan83';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders, locals }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	const rt = await appRuntime();
	const { query, view } = await plan83Request(
		url,
		locale,
		requestFilter(locals, rt.registry.registry)
	);
	setHeaders({ 'cache-control': 'no-store' });
	return { locale, query, view };
}) satisfies PageServerLoad;
