/**
 * `npm run ingest`: the ingest worker as its own process (servers mode, or chDB with NATS).
 * SIGTERM/SIGINT: stop pulling, write the batch in hand, ack it, exit 0 — within STOP_MS: what is
 * not written by then stays unacked and NATS redelivers it; chDB is closed once no query runs in it.
 */
import { closeClickHouse } from '#server/platform/clickhouse/client';
import { ConfigError, loadConfig } from '#server/platform/config';
import { logger, setLogLevel } from '#server/platform/log';
import { prepareStorage } from '#server/platform/storage';
import { startIngestWorker } from './worker';

const log = logger('ingest');
/** signal to exit: within docker's 10 s grace */
const STOP_MS = 5000;

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
		const t0 = Date.now();
		let timer: NodeJS.Timeout | undefined;
		const drained = await Promise.race([
			worker.stop().then(
				() => true,
				(error) => (log.error('stop failed', { error }), true)
			),
			new Promise<false>((r) => (timer = setTimeout(() => r(false), STOP_MS - 1000)))
		]);
		clearTimeout(timer);
		if (!drained) log.warn('batch in hand not written in time: NATS redelivers what was not acked');
		if (!(await closeClickHouse(ch, STOP_MS - (Date.now() - t0))))
			log.warn('ClickHouse still running a query at exit');
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
