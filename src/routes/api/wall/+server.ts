import { json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import type { WallHealth, WallHistory, WallKpis } from '$lib/shared/wall';
import type { RequestHandler } from './$types';

/** The wall's current numbers as one JSON document: what every screen is showing right now. */
export const GET: RequestHandler = async () => {
	const rt = await appRuntime();
	return json(
		{
			kpis: rt.hub.current<WallKpis>('wall.kpis'),
			history: rt.hub.current<WallHistory>('wall.history'),
			health: rt.hub.current<WallHealth>('wall.health')
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
