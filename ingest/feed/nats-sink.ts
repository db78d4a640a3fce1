/** A feed sink publishing to JetStream with up to `window` publishes in flight (one RTT each otherwise). */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { FeedSink } from './feed';

export function natsSink(js: JetStreamClient, window = 1000): FeedSink {
	let inflight: Promise<unknown>[] = [];
	return async (subject, data) => {
		inflight.push(js.publish(subject, data));
		if (inflight.length >= window) {
			const batch = inflight;
			inflight = [];
			// a failed publish rejects here, and the feed re-sends its window (ingest dedups)
			await Promise.all(batch);
		}
	};
}
