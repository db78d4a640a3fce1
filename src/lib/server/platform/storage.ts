/**
 * The storage every process opens the same way (the app, ingest, the registry import, migrate):
 * connect ClickHouse, apply the migrations, seed the registry when it is empty, load it.
 */
import { mkdir } from 'node:fs/promises';
import { connectClickHouse, type CH } from './clickhouse/client';
import { migrate } from './clickhouse/migrations';
import type { Config } from './config';
import { logger } from './log';
import { RegistryCache } from './registry/cache';
import { ensureSeeded } from './registry/seed';

const log = logger('storage');

/** Connect, migrate, seed if empty, load the registry; returns the ready ClickHouse and registry. */
export async function prepareStorage(cfg: Config): Promise<{ ch: CH; registry: RegistryCache }> {
	if (!cfg.clickhouse.url) await mkdir(cfg.clickhouse.chdbPath, { recursive: true });
	const ch = await connectClickHouse(cfg.clickhouse);
	const { cluster, database } = cfg.clickhouse;
	const applied = await migrate(ch, undefined, {
		cluster: cluster ? { cluster, database } : undefined
	});
	if (applied.length) log.info('migrations applied', { versions: applied });
	if (await ensureSeeded(ch, cfg.registry.schools))
		log.info('registry seeded', { schools: cfg.registry.schools ?? 'seed' });
	const registry = new RegistryCache(ch);
	await registry.reload();
	return { ch, registry };
}
