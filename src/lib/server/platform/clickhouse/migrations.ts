/**
 * Forward-only ClickHouse migrations: `clickhouse/migrations/NNNN_verb_noun.sql`, applied in
 * order at start and recorded in `schema_migrations`. An applied file that changed since is an
 * error (write a new migration instead); two files with one number are an error.
 */
import { rows, type CH } from './client';
import { migrationStatements, schemaMigrationsStatements, type ClusterOptions } from './cluster-ddl';
import { DEFAULT_MIGRATIONS_DIR, MigrationError, readMigrations } from './migration-files';

export {
	DEFAULT_MIGRATIONS_DIR,
	MigrationError,
	readMigrations,
	splitStatements,
	type Migration
} from './migration-files';

/**
 * Apply what is not yet applied; returns the versions applied by this call. With `cluster`, the
 * statements are their cluster form (cluster-ddl.ts: ON CLUSTER, Replicated engines, Distributed
 * tables) and the record is kept in a schema_migrations replicated to every node; the checksums
 * are the files' own either way.
 */
export async function migrate(
	ch: CH,
	dir: string = DEFAULT_MIGRATIONS_DIR,
	opts: { cluster?: ClusterOptions } = {}
): Promise<number[]> {
	const migrations = await readMigrations(dir);
	for (const query of schemaMigrationsStatements(opts.cluster)) await ch.command({ query });
	const applied = new Map(
		(
			await rows<{ version: number; checksum: string }>(
				ch,
				'SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version'
			)
		).map((r) => [Number(r.version), r.checksum])
	);
	const statements = migrationStatements(migrations, opts.cluster);
	const done: number[] = [];
	for (const m of migrations) {
		const known = applied.get(m.version);
		if (known !== undefined) {
			if (known !== m.checksum)
				throw new MigrationError(
					`migration ${m.version} (${m.name}) changed after it was applied; add a new migration instead`
				);
			continue;
		}
		for (const stmt of statements.get(m.version) ?? []) {
			try {
				await ch.command({ query: stmt });
			} catch (cause) {
				throw new MigrationError(
					`migration ${m.version} (${m.name}) failed at: ${stmt.slice(0, 80)}…`,
					{ cause }
				);
			}
		}
		await ch.insert({
			table: 'schema_migrations',
			values: [
				{
					version: m.version,
					name: m.name,
					checksum: m.checksum,
					applied_at: new Date().toISOString()
				}
			],
			format: 'JSONEachRow'
		});
		done.push(m.version);
	}
	return done;
}
