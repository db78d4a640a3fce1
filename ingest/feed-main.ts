/**
 * `npm run feed`: the demo feed as its own process, publishing to NATS JetStream.
 * The registry comes from ClickHouse when CLICKHOUSE_URL is set, else from the built-in seed
 * (grown to REGISTRY_SCHOOLS when set, the same registry the app and ingest seed)
 * (chDB's data directory belongs to the process that ingests).
 */
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectClickHouse } from '#server/platform/clickhouse/client';
import { ConfigError, loadConfig } from '#server/platform/config';
import { logger, setLogLevel } from '#server/platform/log';
import { ensureTopology, natsOptions } from '#server/platform/nats/streams';
import { seedRegistry } from '#server/platform/registry/seed';
import { loadRegistry } from '#server/platform/registry/store';
import { DemoFeed } from './feed/feed';
import { natsSink } from './feed/nats-sink';
import { feedOptions } from './feed/options';

const log = logger('feed');

async function main(): Promise<void> {
	const cfg = loadConfig();
	setLogLevel(cfg.logLevel);
	if (!cfg.nats.url)
		throw new ConfigError(
			'NATS_URL: required for `npm run feed` (in the embedded mode the feed runs inside the app)'
		);
	let registry = seedRegistry(cfg.registry.schools);
	let opts = await feedOptions(cfg, null, log);
	if (cfg.clickhouse.url) {
		const ch = await connectClickHouse(cfg.clickhouse);
		const loaded = await loadRegistry(ch);
		if (loaded.schools.length) registry = loaded;
		opts = await feedOptions(cfg, ch, log);
		await ch.close();
	}
	const nc = await connect(natsOptions(cfg, 'edu-feed'));
	await ensureTopology(nc, {
		stream: cfg.nats.stream,
		consumer: cfg.nats.consumer,
		replicas: cfg.nats.replicas
	});
	const feed = new DemoFeed(natsSink(jetstream(nc)), registry, opts);
	await feed.start();
	log.info('feed started', {
		schools: registry.schools.length,
		speed: cfg.feed.speed,
		clock: cfg.feed.clock,
		shift_hours: (opts.shiftMs ?? 0) / 3600_000
	});
	const stop = async () => {
		await feed.stop();
		await nc.drain();
		log.info('feed stopped', { published: feed.published });
		process.exit(0);
	};
	process.on('SIGTERM', () => void stop());
	process.on('SIGINT', () => void stop());
}

main().catch((error) => {
	log.error(error instanceof ConfigError ? error.message : 'feed failed', { error });
	process.exit(1);
});
