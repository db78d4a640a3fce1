import { json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { requestScope } from '$lib/server/auth/request-scope';
import { formatScope } from '$lib/shared/scope';
import type { WallHealth, WallHistory, WallKpis } from '$lib/shared/wall';
import type { RequestHandler } from './$types';

/** The wall's current numbers as one JSON document: what every screen of this scope is showing right now. */
export const GET: RequestHandler = async ({ locals }) => {
	const rt = await appRuntime();
	const key = formatScope(requestScope(locals));
	return json(
		{
			kpis: rt.hub.currentFor<WallKpis>('wall.kpis', key),
			history: rt.hub.currentFor<WallHistory>('wall.history', key),
			health: rt.hub.currentFor<WallHealth>('wall.health', key)
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
