/**
 * An SSE response over the hub. The browser's EventSource (or the wall's own reconnecting
 * client) gets `retry`, then the current frame of each topic, then every change. A client whose
 * queue grows past MAX_QUEUED frames is cut off: it reconnects and resumes from the current
 * state, rather than the server buffering for it without bound.
 */
import { TOPIC_NAMES, type TopicName } from '../../shared/wall';
import type { LiveHub } from './hub';

const MAX_QUEUED = 32;
const encoder = new TextEncoder();

export class TopicError extends Error {
	override name = 'TopicError';
}

/** Parse `?topics=a,b`: unknown names are an error naming them; none means all. */
export function parseTopics(
	raw: string | null,
	known: readonly string[] = TOPIC_NAMES
): TopicName[] {
	if (raw === null || raw.trim() === '') return [...known] as TopicName[];
	const asked = raw
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const unknown = asked.filter((t) => !known.includes(t));
	if (unknown.length)
		throw new TopicError(`unknown topic(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
	return [...new Set(asked)] as TopicName[];
}

export function sseResponse(
	hub: LiveHub,
	topics: readonly string[],
	signal: AbortSignal,
	retryMs = 2000,
	/** the subscriber's scope ('' the whole city): the hub narrows what it sends (hub.ts) */
	scope = ''
): Response {
	let unsubscribe = () => {};
	let closed = false;
	const stream = new ReadableStream<Uint8Array>(
		{
			start(controller) {
				const close = () => {
					if (closed) return;
					closed = true;
					unsubscribe();
					try {
						controller.close();
					} catch {
						/* already closed */
					}
				};
				controller.enqueue(encoder.encode(`retry: ${retryMs}\n\n`));
				unsubscribe = hub.subscribe(
					topics,
					(chunk) => {
						if (closed) return false;
						if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return false;
						controller.enqueue(chunk);
						return true;
					},
					close,
					scope
				);
				signal.addEventListener('abort', close, { once: true });
			},
			cancel() {
				closed = true;
				unsubscribe();
			}
		},
		{ highWaterMark: 1 }
	);
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store, no-transform',
			connection: 'keep-alive',
			// nginx and friends must not buffer the stream
			'x-accel-buffering': 'no'
		}
	});
}
