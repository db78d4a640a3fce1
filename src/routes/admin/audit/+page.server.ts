import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { recentAudit } from '$lib/server/store/audit';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	return {
		locale: parseLocale(url.searchParams.get('lang')),
		entries: await recentAudit(rt.store, 500)
	};
}) satisfies PageServerLoad;
