/** A migrated chDB holding a registry, with an in-process ingest worker writing to it: for fixtures that submit hand-made events. */
import { startIngestWorker, type IngestWorker } from '#ingest/worker';
import { loadConfig } from '#server/platform/config';
import { logger } from '#server/platform/log';
import { RegistryCache } from '#server/platform/registry/cache';
import { applyRegistry } from '#server/platform/registry/store';
import type { Registry } from '#shared/registry';
import { startClickHouse, waitFor, type TempClickHouse } from './chdb';

export interface FixtureIngest {
	db: TempClickHouse;
	registry: RegistryCache;
	worker: IngestWorker;
	/** submit events and wait until every one is written */
	submit(msgs: { subject: string; data: Uint8Array }[]): Promise<void>;
	stop(): Promise<void>;
}

export async function startFixtureIngest(reg: Registry): Promise<FixtureIngest> {
	const db = await startClickHouse();
	await applyRegistry(db.ch, reg, { source: 'test', mode: 'replace' });
	const registry = new RegistryCache(db.ch);
	await registry.reload();
	const worker = await startIngestWorker({
		cfg: loadConfig({ DATA_DIR: db.dataDir, INGEST_FLUSH_MS: '10' }),
		ch: db.ch,
		registry,
		log: logger('test')
	});
	return {
		db,
		registry,
		worker,
		async submit(msgs) {
			const before = worker.stats.eventsTotal;
			for (const m of msgs) await worker.submit(m.subject, m.data);
			await waitFor('all written', () => worker.stats.eventsTotal >= before + msgs.length, 30_000);
		},
		async stop() {
			await worker.stop();
			await db.cleanup();
		}
	};
}
