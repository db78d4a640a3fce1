/**
 * Open the app state store: SQLite (`better-sqlite3`) at `<DATA_DIR>/app.sqlite` by default,
 * PostgreSQL when DATABASE_URL is set; migrated before it is returned.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { DB } from './schema';
import { storeMigrations } from './migrations';
import { logger } from '../platform/log';

export interface Store {
	db: Kysely<DB>;
	engine: 'sqlite' | 'postgres';
	close(): Promise<void>;
}

export class StoreError extends Error {
	override name = 'StoreError';
}

export async function openStore(opts: { dataDir: string; databaseUrl?: string }): Promise<Store> {
	let db: Kysely<DB>;
	let engine: Store['engine'];
	if (opts.databaseUrl) {
		const pg = (await import('pg')).default;
		// bigint (int8) columns hold epoch milliseconds: safe as JavaScript numbers
		pg.types.setTypeParser(20, (v: string) => Number(v));
		const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 5 });
		// an idle connection the server ends (a restart, a failover, an administrator) is an event
		// on the pool: logged, and the pool opens a new one when next asked; unheard, it would end the process
		pool.on('error', (e) =>
			logger('store').warn('an idle PostgreSQL connection ended', { error: e.message })
		);
		db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
		engine = 'postgres';
	} else {
		const Database = (await import('better-sqlite3')).default;
		mkdirSync(opts.dataDir, { recursive: true });
		const sqlite = new Database(path.join(opts.dataDir, 'app.sqlite'));
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma('foreign_keys = ON');
		sqlite.pragma('busy_timeout = 5000');
		db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
		engine = 'sqlite';
	}
	const { error, results } = await new Migrator({
		db,
		provider: storeMigrations
	}).migrateToLatest();
	const failed = results?.find((r) => r.status === 'Error');
	if (error || failed) {
		await db.destroy();
		throw new StoreError(
			`store migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`
		);
	}
	return { db, engine, close: () => db.destroy() };
}
