/**
 * The store's migrations, in code so both engines run the same steps (Kysely's schema builder
 * writes each engine's DDL). Forward only: add a new entry, never edit an applied one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

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
			await db.schema
				.createIndex('login_failures_key_at')
				.on('login_failures')
				.columns(['key', 'at'])
				.execute();
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
	},
	'0003_alerts': {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('alert_rules')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('enabled', 'integer', (c) => c.notNull())
				.addColumn('severity', 'text', (c) => c.notNull())
				.addColumn('params', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.addColumn('updated_by', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('alerts')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('rule_id', 'text', (c) => c.notNull())
				.addColumn('school_id', 'text', (c) => c.notNull())
				.addColumn('district_id', 'text', (c) => c.notNull())
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('severity', 'text', (c) => c.notNull())
				.addColumn('opened_at', 'bigint', (c) => c.notNull())
				.addColumn('last_fired_at', 'bigint', (c) => c.notNull())
				.addColumn('fired_count', 'integer', (c) => c.notNull())
				.addColumn('value', 'double precision')
				.addColumn('detail', 'text', (c) => c.notNull())
				.addColumn('acked_by', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('acked_at', 'bigint', (c) => c.notNull().defaultTo(0))
				.addColumn('ack_note', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('resolved_at', 'bigint', (c) => c.notNull().defaultTo(0))
				.addColumn('resolved_by', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('resolve_note', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('escalated_at', 'bigint', (c) => c.notNull().defaultTo(0))
				.execute();
			// one open alert per rule × school: the database refuses a second
			await db.schema
				.createIndex('alerts_one_open')
				.on('alerts')
				.columns(['rule_id', 'school_id'])
				.unique()
				.where(sql.ref('state'), '!=', 'resolved')
				.execute();
			await db.schema
				.createIndex('alerts_state')
				.on('alerts')
				.columns(['state', 'opened_at'])
				.execute();
			await db.schema
				.createTable('alert_events')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('alert_id', 'text', (c) => c.notNull())
				.addColumn('at', 'bigint', (c) => c.notNull())
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('actor', 'text', (c) => c.notNull())
				.addColumn('note', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('alert_events_alert')
				.on('alert_events')
				.columns(['alert_id', 'at'])
				.execute();
			await db.schema
				.createTable('silences')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('rule_id', 'text', (c) => c.notNull())
				.addColumn('school_id', 'text', (c) => c.notNull())
				.addColumn('until', 'bigint', (c) => c.notNull())
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
		}
	},
	'0004_notifications': {
		async up(db: Kysely<unknown>) {
			// an alert's detail as a message key and its values, so each reader gets it in their language
			await db.schema
				.alterTable('alerts')
				.addColumn('detail_args', 'text', (c) => c.notNull().defaultTo(''))
				.execute();
			// a transition whose notifications are planned (the outbox holds them): 1
			await db.schema
				.alterTable('alert_events')
				.addColumn('planned', 'integer', (c) => c.notNull().defaultTo(0))
				.execute();
			await db.schema
				.createIndex('alert_events_unplanned')
				.on('alert_events')
				.columns(['planned', 'at'])
				.execute();
			await db.schema
				.createTable('notify_settings')
				.addColumn('user_id', 'text', (c) =>
					c.primaryKey().references('users.id').onDelete('cascade')
				)
				.addColumn('settings', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('push_subscriptions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('endpoint', 'text', (c) => c.notNull())
				.addColumn('p256dh', 'text', (c) => c.notNull())
				.addColumn('auth', 'text', (c) => c.notNull())
				.addColumn('user_agent', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('webhooks')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('url', 'text', (c) => c.notNull())
				.addColumn('secret', 'text', (c) => c.notNull())
				.addColumn('districts', 'text', (c) => c.notNull())
				.addColumn('severities', 'text', (c) => c.notNull())
				.addColumn('on_resolve', 'integer', (c) => c.notNull())
				.addColumn('enabled', 'integer', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('escalation_contacts')
				.addColumn('district_id', 'text', (c) => c.notNull())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addPrimaryKeyConstraint('escalation_contacts_pk', ['district_id', 'user_id'])
				.execute();
			// the outbox: one row per transition × channel × recipient (its id is that key, so a
			// transition planned twice, after a crash, is still one delivery)
			await db.schema
				.createTable('deliveries')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('event_id', 'text', (c) => c.notNull())
				.addColumn('alert_id', 'text', (c) => c.notNull())
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('channel', 'text', (c) => c.notNull())
				.addColumn('target', 'text', (c) => c.notNull())
				.addColumn('address', 'text', (c) => c.notNull())
				.addColumn('locale', 'text', (c) => c.notNull())
				.addColumn('message', 'text', (c) => c.notNull())
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('attempts', 'integer', (c) => c.notNull())
				.addColumn('next_at', 'bigint', (c) => c.notNull())
				.addColumn('last_error', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('sent_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('deliveries_due')
				.on('deliveries')
				.columns(['state', 'next_at'])
				.execute();
			await db.schema
				.createIndex('deliveries_created')
				.on('deliveries')
				.column('created_at')
				.execute();
		}
	},
	// an account's area: '' (the city), district:<id> or school:<id> (shared/scope.ts)
	'0005_scope': {
		async up(db: Kysely<unknown>) {
			await db.schema
				.alterTable('users')
				.addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
				.execute();
		}
	},
	// weekly digests: one row per district × week once its mails are in the outbox (deliveries),
	// so a week is planned once, even for a district with nobody to send to (shared/digest.ts)
	'0006_digests': {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('digests')
				.addColumn('district_id', 'text', (c) => c.notNull())
				.addColumn('week', 'text', (c) => c.notNull())
				.addColumn('planned_at', 'bigint', (c) => c.notNull())
				.addColumn('planned_by', 'text', (c) => c.notNull())
				.addColumn('recipients', 'integer', (c) => c.notNull())
				.addColumn('skipped', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('digests_pk', ['district_id', 'week'])
				.execute();
			await db.schema.createIndex('digests_week').on('digests').column('week').execute();
		}
	}
};

export const storeMigrations: MigrationProvider = {
	async getMigrations() {
		return migrations;
	}
};
