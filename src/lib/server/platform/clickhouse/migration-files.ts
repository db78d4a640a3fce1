/**
 * The migration files: `clickhouse/migrations/NNNN_verb_noun.sql`, read, numbered and checked,
 * and split into statements. migrations.ts applies them; cluster-ddl.ts translates them.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

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
