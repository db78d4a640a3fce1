import { json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { requestFilter } from '$lib/server/auth/request-scope';
import type { RequestHandler } from './$types';

/** The IOC's read-only JSON: the open alerts (firing or acknowledged) of the request's scope (a scoped account's, a district token's). */
export const GET: RequestHandler = async ({ locals, setHeaders }) => {
	const rt = await appRuntime();
	setHeaders({ 'cache-control': 'no-store' });
	const reg = rt.registry;
	const f = requestFilter(locals, reg.registry);
	return json({
		at: new Date().toISOString(),
		alerts: rt.alerts.open
			.filter((a) => f.touches(a.school_id, a.district_id))
			.map((a) => ({
				...a,
				opened_at: new Date(a.opened_at).toISOString(),
				escalated_at: a.escalated_at ? new Date(a.escalated_at).toISOString() : null,
				school_name: a.school_id ? (reg.school(a.school_id)?.name ?? null) : null
			}))
	});
};
