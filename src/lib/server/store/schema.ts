/**
 * The app state store's tables (users, sessions, login failures, audit log), as Kysely sees them.
 * Times are epoch milliseconds (`bigint` columns, read back as numbers on both engines); flags are
 * 0/1 integers, so SQLite and PostgreSQL share one set of migrations and one query layer.
 */
import type { Alert, AlertAction, AlertSeverity, RuleKind } from '../../shared/alerts';
import type { Channel, DeliveryState } from '../../shared/notify';
import type { Role } from '../../shared/roles';
import type { Generated } from 'kysely';

type Locale = 'vi' | 'en';

export interface UsersTable {
	id: string;
	/** lower-cased, trimmed */
	email: string;
	name: string;
	role: Role;
	/** '' (the city), `district:<area_id>` or `school:<school_id>` (shared/scope.ts) */
	scope: string;
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
	/** 1 once its notifications are in the outbox (deliveries) */
	planned: Generated<number>;
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

export interface NotifySettingsTable {
	user_id: string;
	/** JSON NotifySettings */
	settings: string;
	updated_at: number;
}

export interface PushSubscriptionsTable {
	/** SHA-256 (hex) of the endpoint */
	id: string;
	user_id: string;
	endpoint: string;
	p256dh: string;
	auth: string;
	user_agent: string;
	created_at: number;
}

export interface WebhooksTable {
	id: string;
	label: string;
	url: string;
	/** the HMAC key, shown once to the admin who made it */
	secret: string;
	/** JSON string[] ([] = all) */
	districts: string;
	/** JSON AlertSeverity[] */
	severities: string;
	on_resolve: number;
	enabled: number;
	created_by: string;
	created_at: number;
}

export interface EscalationContactsTable {
	district_id: string;
	user_id: string;
}

export interface DeliveriesTable {
	/** `<event>:<channel>:<target>`: one delivery per transition (or digest), channel and recipient */
	id: string;
	/** an alert_events id, or a digest's `digest:<district>:<week>` (shared/digest.ts) */
	event_id: string;
	/** '' for a digest */
	alert_id: string;
	action: AlertAction | 'digest';
	channel: Channel;
	/** a user id (email), a push subscription id, a webhook id */
	target: string;
	/** where it goes, for the log: an email address, a push service's host, a URL */
	address: string;
	locale: Locale;
	/** JSON: the transition as it was (DeliveryMessage) */
	message: string;
	state: DeliveryState;
	attempts: number;
	next_at: number;
	last_error: string;
	created_at: number;
	sent_at: number;
}

export interface DigestsTable {
	district_id: string;
	/** the week's Monday, YYYY-MM-DD */
	week: string;
	planned_at: number;
	/** 'system' (the schedule) or 'user:<id>' (an admin's "send now") */
	planned_by: string;
	/** deliveries planned (0: nobody to send to, or skipped) */
	recipients: number;
	/** why nothing was sent ('' when sent): 'no_school_days' */
	skipped: string;
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
	notify_settings: NotifySettingsTable;
	push_subscriptions: PushSubscriptionsTable;
	webhooks: WebhooksTable;
	escalation_contacts: EscalationContactsTable;
	deliveries: DeliveriesTable;
	digests: DigestsTable;
}
