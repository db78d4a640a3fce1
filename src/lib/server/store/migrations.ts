/**
 * The store's migrations, in code so both engines run the same steps (Kysely's schema builder
 * writes each engine's DDL). Forward only: add a new entry, never edit an applied one.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
	'0001_accounts': {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('users')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('email', 'text', (c) => c.notNull().unique())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('password_hash', 'text', (c) => c.notNull())
				.addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('sessions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('expires_at', 'bigint', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('ip', 'text', (c) => c.notNull())
				.addColumn('user_agent', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
			await db.schema
				.createTable('login_failures')
				.addColumn('key', 'text', (c) => c.notNull())
				.addColumn('at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('login_failures_key_at').on('login_failures').columns(['key', 'at']).execute();
			await db.schema
				.createTable('audit_log')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('at', 'bigint', (c) => c.notNull())
				.addColumn('actor', 'text', (c) => c.notNull())
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('target', 'text', (c) => c.notNull())
				.addColumn('detail', 'text', (c) => c.notNull())
				.addColumn('ip', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
		}
	},
	'0002_tokens': {
		async up(db: Kysely<unknown>) {
			// wall (kiosk) and embed tokens: signed, and listed here so each can be revoked
			await db.schema
				.createTable('tokens')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('scope', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('expires_at', 'bigint', (c) => c.notNull())
				.addColumn('revoked_at', 'bigint', (c) => c.notNull().defaultTo(0))
				.addColumn('last_used_at', 'bigint', (c) => c.notNull().defaultTo(0))
				.execute();
			// the app's own secrets (the token signing key), made once
			await db.schema
				.createTable('settings')
				.addColumn('key', 'text', (c) => c.primaryKey())
				.addColumn('value', 'text', (c) => c.notNull())
				.execute();
		}
	}
};

export const storeMigrations: MigrationProvider = {
	async getMigrations() {
		return migrations;
	}
};
