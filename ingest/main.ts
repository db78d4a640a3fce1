/**
 * `npm run ingest`: the ingest worker as its own process (servers mode, or chDB with NATS).
 * SIGTERM/SIGINT: stop pulling, write the batch in hand, ack it, exit 0.
 */
import { ConfigError, loadConfig } from '#server/platform/config';
import { logger, setLogLevel } from '#server/platform/log';
import { prepareStorage } from '#server/platform/storage';
import { startIngestWorker } from './worker';

const log = logger('ingest');

async function main(): Promise<void> {
	const cfg = loadConfig();
	setLogLevel(cfg.logLevel);
	if (!cfg.nats.url)
		throw new ConfigError(
			'NATS_URL: required for `npm run ingest` (in the embedded mode ingest runs inside the app)'
		);
	const { ch, registry } = await prepareStorage(cfg);
	const worker = await startIngestWorker({ cfg, ch, registry, log });
	// another process may change the registry (an import): refresh it now and then
	const refresh = setInterval(
		() => void registry.reload().catch((error) => log.warn('registry reload failed', { error })),
		60_000
	);
	refresh.unref();
	log.info('ingest started', {
		mode: cfg.mode,
		batch_size: cfg.ingest.batchSize,
		flush_ms: cfg.ingest.flushMs,
		schools: registry.registry.schools.length
	});

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info('stopping', { signal });
		clearInterval(refresh);
		await worker.stop();
		await ch.close();
		log.info('stopped', {
			events_total: worker.stats.eventsTotal,
			duplicates_total: worker.stats.duplicatesTotal,
			rejects_total: worker.stats.rejectsTotal
		});
		process.exit(0);
	};
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
	log.error(error instanceof ConfigError ? error.message : 'ingest failed to start', { error });
	process.exit(1);
});
