import { schoolData } from '$lib/server/pages/drill';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url, setHeaders, locals }) => {
	const { locale, view, data } = await schoolData(params.id, url, locals);
	setHeaders({ 'cache-control': 'no-store' });
	return { locale, view, data };
}) satisfies PageServerLoad;
