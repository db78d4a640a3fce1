import { json } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const rt = await appRuntime();
	const health = await rt.health();
	return json(health, { headers: { 'cache-control': 'no-store' } });
};
