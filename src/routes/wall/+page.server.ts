import { wallPageData } from '$lib/server/wall/page-data';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders, locals }) => ({
	...(await wallPageData(url, setHeaders)),
	// a kiosk's wall token opens the live wall only: no replay link to offer
	liveOnly: locals.token?.kind === 'wall'
})) satisfies PageServerLoad;
