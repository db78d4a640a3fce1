import { json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { scopeDistrict } from '$lib/server/auth/embed-scope';
import type { RequestHandler } from './$types';

/** The IOC's read-only JSON: the open alerts (firing or acknowledged); a district-scoped token gets its district's. */
export const GET: RequestHandler = async ({ locals, setHeaders }) => {
	const rt = await appRuntime();
	const only = scopeDistrict(locals.token?.scope);
	setHeaders({ 'cache-control': 'no-store' });
	const reg = rt.registry;
	return json({
		at: new Date().toISOString(),
		alerts: rt.alerts.open
			.filter((a) => !only || a.district_id === only)
			.map((a) => ({
				...a,
				opened_at: new Date(a.opened_at).toISOString(),
				escalated_at: a.escalated_at ? new Date(a.escalated_at).toISOString() : null,
				school_name: a.school_id ? (reg.school(a.school_id)?.name ?? null) : null
			}))
	});
};
