/**
 * A feed sink publishing to JetStream with up to `window` publishes in flight (one RTT each
 * otherwise). Each carries its event_id as Nats-Msg-Id: a window re-sent after a failure (a NATS
 * cluster electing a leader) is stored once (the stream's duplicate window is 2 minutes).
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { FeedSink } from './feed';

export function natsSink(js: JetStreamClient, window = 1000): FeedSink {
	let inflight: Promise<unknown>[] = [];
	return async (subject, data, id) => {
		inflight.push(js.publish(subject, data, { msgID: id }));
		if (inflight.length >= window) {
			const batch = inflight;
			inflight = [];
			// a failed publish rejects here, and the feed re-sends its window (ingest dedups)
			await Promise.all(batch);
		}
	};
}
