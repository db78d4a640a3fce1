/** An ingest writer for tests and benchmarks: the real one, with some of its calls wrapped. */
import type { EventWriter } from '#ingest/writer';

/**
 * Every call goes to `real` but those in `over`. (A spread of the real writer would not carry its
 * methods: they live on its class.)
 */
export function wrapWriter(real: EventWriter, over: Partial<EventWriter>): EventWriter {
	return {
		existingIds: (g) => real.existingIds(g),
		insertEvents: (k, e, s) => real.insertEvents(k, e, s),
		repeatBlock: (k, b) => real.repeatBlock(k, b),
		blocksAfter: (k, s) => real.blocksAfter(k, s),
		maxStreamSeq: (s) => real.maxStreamSeq(s),
		recentIds: (from, add) => real.recentIds(from, add),
		applyRegistryEvents: (e) => real.applyRegistryEvents(e),
		turn: () => real.turn?.() ?? Promise.resolve(),
		storedRejects: (s) => real.storedRejects(s),
		insertRejects: (r) => real.insertRejects(r),
		...over
	};
}
