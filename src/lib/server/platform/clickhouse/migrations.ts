/**
 * Forward-only ClickHouse migrations: `clickhouse/migrations/NNNN_verb_noun.sql`, applied in
 * order at start and recorded in `schema_migrations`. An applied file that changed since is an
 * error (write a new migration instead); two files with one number are an error.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { rows, type CH } from './client';

export interface Migration {
	version: number;
	name: string;
	sql: string;
	checksum: string;
}

export class MigrationError extends Error {
	override name = 'MigrationError';
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The default folder: `clickhouse/migrations` under the working directory (the repo or the image's /app). */
export const DEFAULT_MIGRATIONS_DIR = path.resolve('clickhouse/migrations');

/** Read and check the migration files of a folder. */
export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
	const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
	const seen = new Map<number, string>();
	const out: Migration[] = [];
	for (const file of files) {
		const m = FILE_RE.exec(file);
		if (!m) throw new MigrationError(`migration file "${file}" is not named NNNN_verb_noun.sql`);
		const version = Number(m[1]);
		const other = seen.get(version);
		if (other) throw new MigrationError(`migration number ${m[1]} is used twice: ${other} and ${file}`);
		seen.set(version, file);
		const sql = await readFile(path.join(dir, file), 'utf8');
		out.push({ version, name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
	}
	return out;
}

/** Split a migration into statements: on ';' at the end of a line, outside comments. */
export function splitStatements(sql: string): string[] {
	const withoutComments = sql
		.split('\n')
		.filter((l) => !l.trim().startsWith('--'))
		.join('\n');
	return withoutComments
		.split(/;\s*(?:\n|$)/)
		.map((s) => s.trim())
		.filter((s) => s.length > 0);
}

/** Apply what is not yet applied; returns the versions applied by this call. */
export async function migrate(ch: CH, dir: string = DEFAULT_MIGRATIONS_DIR): Promise<number[]> {
	const migrations = await readMigrations(dir);
	await ch.command({
		query: `CREATE TABLE IF NOT EXISTS schema_migrations
			(version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC'))
			ENGINE = ReplacingMergeTree ORDER BY version`
	});
	const applied = new Map(
		(await rows<{ version: number; checksum: string }>(ch, 'SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version')).map(
			(r) => [Number(r.version), r.checksum]
		)
	);
	const done: number[] = [];
	for (const m of migrations) {
		const known = applied.get(m.version);
		if (known !== undefined) {
			if (known !== m.checksum)
				throw new MigrationError(`migration ${m.version} (${m.name}) changed after it was applied; add a new migration instead`);
			continue;
		}
		for (const stmt of splitStatements(m.sql)) {
			try {
				await ch.command({ query: stmt });
			} catch (cause) {
				throw new MigrationError(`migration ${m.version} (${m.name}) failed at: ${stmt.slice(0, 80)}…`, { cause });
			}
		}
		await ch.insert({
			table: 'schema_migrations',
			values: [{ version: m.version, name: m.name, checksum: m.checksum, applied_at: new Date().toISOString() }],
			format: 'JSONEachRow'
		});
		done.push(m.version);
	}
	return done;
}
