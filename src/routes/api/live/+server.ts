import { error } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { parseTopics, sseResponse, TopicError } from '$lib/server/live/sse';
import type { RequestHandler } from './$types';

/** Server-sent events: `?topics=wall.kpis,wall.health,wall.history` (default: all). */
export const GET: RequestHandler = async ({ url, request }) => {
	const rt = await appRuntime();
	let topics;
	try {
		topics = parseTopics(url.searchParams.get('topics'), rt.hub.topicNames);
	} catch (e) {
		if (e instanceof TopicError) error(400, e.message);
		throw e;
	}
	return sseResponse(rt.hub, topics, request.signal);
};
