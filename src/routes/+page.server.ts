import { appRuntime } from '$lib/server/app-runtime';
import { parseLocale } from '$lib/i18n/dictionary';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	return { health: await rt.health(), locale: parseLocale(url.searchParams.get('lang')) };
}) satisfies PageServerLoad;
