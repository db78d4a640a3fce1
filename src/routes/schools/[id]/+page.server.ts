import { schoolRequest } from '$lib/server/pages/drill';
import { schoolView } from '$lib/server/drill/school';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url, setHeaders }) => {
	const { locale, rt, registry, school, now, view, range } = await schoolRequest(params.id, url);
	const data = (await schoolView({
		ch: rt.ch,
		clock: rt.clock,
		registry,
		now,
		schoolId: school.school_id,
		range
	}))!;
	setHeaders({ 'cache-control': 'no-store' });
	return { locale, view, data };
}) satisfies PageServerLoad;
