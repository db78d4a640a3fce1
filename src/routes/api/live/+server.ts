import { error } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { requestScope } from '$lib/server/auth/request-scope';
import { parseTopics, sseResponse, TopicError } from '$lib/server/live/sse';
import { formatScope } from '$lib/shared/scope';
import type { RequestHandler } from './$types';

/**
 * Server-sent events: `?topics=wall.kpis,wall.health,wall.history` (default: all), narrowed to the
 * account's or token's scope (docs/scopes.md); a changed scope is picked up on reconnect.
 */
export const GET: RequestHandler = async ({ url, request, locals }) => {
	const rt = await appRuntime();
	let topics;
	try {
		topics = parseTopics(url.searchParams.get('topics'), rt.hub.topicNames);
	} catch (e) {
		if (e instanceof TopicError) error(400, e.message);
		throw e;
	}
	return sseResponse(rt.hub, topics, request.signal, 2000, formatScope(requestScope(locals)));
};
