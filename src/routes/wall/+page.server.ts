import { requestScope } from '$lib/server/auth/request-scope';
import { wallPageData } from '$lib/server/pages/wall';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders, locals }) => ({
	...(await wallPageData(url, setHeaders, requestScope(locals))),
	// a kiosk's wall token opens the live wall only: no replay link to offer
	liveOnly: locals.token?.kind === 'wall'
})) satisfies PageServerLoad;
