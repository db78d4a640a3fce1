/**
 * The app state store's tables (users, sessions, login failures, audit log), as Kysely sees them.
 * Times are epoch milliseconds (`bigint` columns, read back as numbers on both engines); flags are
 * 0/1 integers, so SQLite and PostgreSQL share one set of migrations and one query layer.
 */
import type { Alert, AlertAction, AlertSeverity, RuleKind } from '../../shared/alerts';
import type { Role } from '../../shared/roles';

export interface UsersTable {
	id: string;
	/** lower-cased, trimmed */
	email: string;
	name: string;
	role: Role;
	password_hash: string;
	disabled: number;
	created_at: number;
	updated_at: number;
}

export interface SessionsTable {
	/** SHA-256 (hex) of the session token: the token itself is never stored */
	id: string;
	user_id: string;
	expires_at: number;
	created_at: number;
	ip: string;
	user_agent: string;
}

export interface LoginFailuresTable {
	/** `account:<email>` or `address:<ip>` */
	key: string;
	at: number;
}

export interface AuditTable {
	id: string;
	at: number;
	/** `user:<id>`, `token:<id>`, `cli` or `system` */
	actor: string;
	action: string;
	target: string;
	/** JSON, never a secret */
	detail: string;
	ip: string;
}

export interface TokensTable {
	id: string;
	kind: 'wall' | 'embed';
	label: string;
	/** JSON: what the token opens (TokenScope) */
	scope: string;
	created_by: string;
	created_at: number;
	/** 0: never (a wall token lives until revoked) */
	expires_at: number;
	revoked_at: number;
	last_used_at: number;
}

export interface SettingsTable {
	key: string;
	value: string;
}

export interface AlertRulesTable {
	id: RuleKind;
	enabled: number;
	severity: AlertSeverity;
	/** JSON RuleParams */
	params: string;
	updated_at: number;
	updated_by: string;
}

export type AlertsTable = Alert;

export interface AlertEventsTable {
	id: string;
	alert_id: string;
	at: number;
	action: AlertAction;
	actor: string;
	note: string;
}

export interface SilencesTable {
	id: string;
	/** '' = every rule */
	rule_id: string;
	/** '' = every school */
	school_id: string;
	until: number;
	reason: string;
	created_by: string;
	created_at: number;
}

export interface DB {
	alert_rules: AlertRulesTable;
	alerts: AlertsTable;
	alert_events: AlertEventsTable;
	silences: SilencesTable;
	tokens: TokensTable;
	settings: SettingsTable;
	users: UsersTable;
	sessions: SessionsTable;
	login_failures: LoginFailuresTable;
	audit_log: AuditTable;
}
