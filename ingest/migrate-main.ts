/**
 * `npm run migrate`: apply ClickHouse migrations and seed the registry if empty, then exit
 * (compose's one-shot service). With CLICKHOUSE_CLUSTER set, the migrations are applied in their
 * cluster form (docs/capacity.md, "The cluster DDL").
 *
 * `npm run migrate -- --print [--cluster NAME]` prints the whole DDL instead and touches nothing:
 * the migrations as they are, or their cluster form for cluster NAME (default CLICKHOUSE_CLUSTER;
 * the database is CLICKHOUSE_DATABASE's, `edu` by default).
 */
import { parseArgs } from 'node:util';
import { printDdl } from '#server/platform/clickhouse/cluster-ddl';
import { readMigrations } from '#server/platform/clickhouse/migrations';
import { loadConfig } from '#server/platform/config';
import { logger } from '#server/platform/log';
import { prepareStorage } from '#server/platform/storage';

const log = logger('migrate');
try {
	const { values } = parseArgs({
		options: { print: { type: 'boolean', default: false }, cluster: { type: 'string' } }
	});
	if (values.print) {
		const cfg = loadConfig();
		const cluster = values.cluster ?? cfg.clickhouse.cluster;
		const ddl = printDdl(
			await readMigrations(),
			cluster ? { cluster, database: cfg.clickhouse.database } : undefined
		);
		process.stdout.write(ddl);
	} else {
		if (values.cluster)
			throw new Error(
				'--cluster is for --print; to apply, set CLICKHOUSE_CLUSTER (and CLICKHOUSE_URL)'
			);
		const { ch, registry } = await prepareStorage(loadConfig());
		log.info('ready', {
			schools: registry.registry.schools.length,
			areas: registry.registry.areas.length
		});
		await ch.close();
	}
} catch (error) {
	log.error('migrate failed', { error });
	process.exit(1);
}
