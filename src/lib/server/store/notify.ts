/**
 * Notifications in the store: each person's settings and push subscriptions, the admin's
 * webhooks and escalation contacts, and the outbox (`deliveries`). A delivery's id is its
 * transition × channel × recipient, so planning a transition again (after a crash) adds nothing,
 * and a delivery marked sent is never sent again, across restarts.
 */
import { sql, type Kysely } from 'kysely';
import type { AlertSeverity } from '../../shared/alerts';
import {
	DEFAULT_SETTINGS,
	type Channel,
	type DeliveryState,
	type NotifySettings,
	type WebhookInput
} from '../../shared/notify';
import type { Role } from '../../shared/roles';
import { auditIn } from './audit';
import type { Store } from './open';
import type { DB, DeliveriesTable } from './schema';
import { randomToken, tokenHash } from './secret-token';

/** Stored settings over the defaults (a setting added later takes its default). */
export const settingsOf = (raw: string | null | undefined): NotifySettings =>
	raw ? { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as NotifySettings) } : DEFAULT_SETTINGS;

export async function getSettings(store: Store, userId: string): Promise<NotifySettings> {
	const row = await store.db
		.selectFrom('notify_settings')
		.select('settings')
		.where('user_id', '=', userId)
		.executeTakeFirst();
	return settingsOf(row?.settings);
}

export async function saveSettings(
	store: Store,
	userId: string,
	s: NotifySettings,
	now = Date.now()
): Promise<void> {
	const settings = JSON.stringify(s);
	await store.db.transaction().execute(async (tx) => {
		await tx
			.insertInto('notify_settings')
			.values({ user_id: userId, settings, updated_at: now })
			.onConflict((oc) => oc.column('user_id').doUpdateSet({ settings, updated_at: now }))
			.execute();
		await auditIn(
			tx,
			{
				actor: `user:${userId}`,
				action: 'notify.settings',
				target: `user:${userId}`,
				detail: { ...s }
			},
			now
		);
	});
}

/** Everyone who may be notified (enabled accounts), with their settings. */
export async function recipients(store: Store) {
	const rows = await store.db
		.selectFrom('users')
		.leftJoin('notify_settings', 'notify_settings.user_id', 'users.id')
		.select(['users.id', 'users.email', 'users.role', 'notify_settings.settings'])
		.where('users.disabled', '=', 0)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		email: r.email,
		role: r.role as Role,
		settings: settingsOf(r.settings)
	}));
}
export type Recipient = Awaited<ReturnType<typeof recipients>>[number];

// ── Web Push subscriptions ──────────────────────────────────────────────────────────────────

export interface PushSubscriptionInput {
	endpoint: string;
	keys: { p256dh: string; auth: string };
}

export async function savePushSubscription(
	store: Store,
	userId: string,
	sub: PushSubscriptionInput,
	userAgent: string,
	now = Date.now()
): Promise<string> {
	const id = tokenHash(sub.endpoint);
	await store.db
		.insertInto('push_subscriptions')
		.values({
			id,
			user_id: userId,
			endpoint: sub.endpoint,
			p256dh: sub.keys.p256dh,
			auth: sub.keys.auth,
			user_agent: userAgent.slice(0, 200),
			created_at: now
		})
		.onConflict((oc) =>
			oc.column('id').doUpdateSet({
				user_id: userId,
				p256dh: sub.keys.p256dh,
				auth: sub.keys.auth,
				user_agent: userAgent.slice(0, 200)
			})
		)
		.execute();
	return id;
}

export async function removePushSubscription(store: Store, userId: string, endpoint: string) {
	await store.db
		.deleteFrom('push_subscriptions')
		.where('id', '=', tokenHash(endpoint))
		.where('user_id', '=', userId)
		.execute();
}

/** A subscription the push service says is gone (404/410): removed. */
export async function dropPushSubscription(store: Store, id: string) {
	await store.db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
}

export async function pushSubscriptions(store: Store, userId?: string) {
	let q = store.db.selectFrom('push_subscriptions').selectAll();
	if (userId) q = q.where('user_id', '=', userId);
	return q.orderBy('created_at').execute();
}

// ── Webhooks ────────────────────────────────────────────────────────────────────────────────

export interface Webhook extends WebhookInput {
	id: string;
	secret: string;
	enabled: boolean;
	created_at: number;
}

export async function createWebhook(
	store: Store,
	w: WebhookInput,
	by: string,
	now = Date.now()
): Promise<Webhook> {
	const hook: Webhook = {
		...w,
		id: randomToken(8),
		secret: `whsec_${randomToken(24)}`,
		enabled: true,
		created_at: now
	};
	await store.db.transaction().execute(async (tx) => {
		await tx
			.insertInto('webhooks')
			.values({
				id: hook.id,
				label: w.label,
				url: w.url,
				secret: hook.secret,
				districts: JSON.stringify(w.districts),
				severities: JSON.stringify(w.severities),
				on_resolve: w.on_resolve ? 1 : 0,
				enabled: 1,
				created_by: by,
				created_at: now
			})
			.execute();
		await auditIn(
			tx,
			{ actor: by, action: 'webhook.create', target: `webhook:${hook.id}`, detail: { ...w } },
			now
		);
	});
	return hook;
}

export async function listWebhooks(store: Store): Promise<Webhook[]> {
	const rows = await store.db.selectFrom('webhooks').selectAll().orderBy('created_at').execute();
	return rows.map((r) => ({
		id: r.id,
		label: r.label,
		url: r.url,
		secret: r.secret,
		districts: JSON.parse(r.districts) as string[],
		severities: JSON.parse(r.severities) as AlertSeverity[],
		on_resolve: r.on_resolve === 1,
		enabled: r.enabled === 1,
		created_at: r.created_at
	}));
}

export async function setWebhookEnabled(
	store: Store,
	id: string,
	enabled: boolean,
	by: string,
	now = Date.now()
): Promise<boolean> {
	return store.db.transaction().execute(async (tx) => {
		const r = await tx
			.updateTable('webhooks')
			.set({ enabled: enabled ? 1 : 0 })
			.where('id', '=', id)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) return false;
		await auditIn(
			tx,
			{
				actor: by,
				action: enabled ? 'webhook.enable' : 'webhook.disable',
				target: `webhook:${id}`
			},
			now
		);
		return true;
	});
}

export async function deleteWebhook(store: Store, id: string, by: string, now = Date.now()) {
	return store.db.transaction().execute(async (tx) => {
		const r = await tx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
		if (!Number(r.numDeletedRows)) return false;
		await auditIn(tx, { actor: by, action: 'webhook.delete', target: `webhook:${id}` }, now);
		return true;
	});
}

// ── Escalation contacts ─────────────────────────────────────────────────────────────────────

/** district id → the users an escalation there goes to */
export async function escalationContacts(store: Store): Promise<Map<string, string[]>> {
	const rows = await store.db
		.selectFrom('escalation_contacts')
		.selectAll()
		.orderBy('district_id')
		.orderBy('user_id')
		.execute();
	const out = new Map<string, string[]>();
	for (const r of rows) out.set(r.district_id, [...(out.get(r.district_id) ?? []), r.user_id]);
	return out;
}

export async function setEscalationContacts(
	store: Store,
	districtId: string,
	userIds: readonly string[],
	by: string,
	now = Date.now()
): Promise<void> {
	await store.db.transaction().execute(async (tx) => {
		await tx.deleteFrom('escalation_contacts').where('district_id', '=', districtId).execute();
		for (const u of new Set(userIds))
			await tx
				.insertInto('escalation_contacts')
				.values({ district_id: districtId, user_id: u })
				.execute();
		await auditIn(
			tx,
			{
				actor: by,
				action: 'notify.escalation',
				target: `district:${districtId}`,
				detail: { users: [...userIds] }
			},
			now
		);
	});
}

// ── The outbox ──────────────────────────────────────────────────────────────────────────────

/** Transitions whose notifications are not yet planned, oldest first, with their alert. */
export async function unplannedTransitions(store: Store, limit = 200) {
	return store.db
		.selectFrom('alert_events')
		.innerJoin('alerts', 'alerts.id', 'alert_events.alert_id')
		.select([
			'alert_events.id as event_id',
			'alert_events.at',
			'alert_events.action',
			'alert_events.actor',
			'alert_events.note',
			'alerts.id as alert_id',
			'alerts.rule_id',
			'alerts.school_id',
			'alerts.district_id',
			'alerts.severity',
			'alerts.state',
			'alerts.value',
			'alerts.detail',
			'alerts.detail_args'
		])
		.where('alert_events.planned', '=', 0)
		.orderBy('alert_events.at')
		.orderBy('alert_events.id')
		.limit(limit)
		.execute();
}
export type UnplannedTransition = Awaited<ReturnType<typeof unplannedTransitions>>[number];

export type NewDelivery = Pick<
	DeliveriesTable,
	| 'id'
	| 'event_id'
	| 'alert_id'
	| 'action'
	| 'channel'
	| 'target'
	| 'address'
	| 'locale'
	| 'message'
> & { next_at: number };

/** Add a transition's deliveries and mark it planned, in one transaction; an existing id is kept. */
export async function planDeliveries(
	store: Store,
	eventId: string,
	ds: readonly NewDelivery[],
	now = Date.now()
): Promise<number> {
	return store.db.transaction().execute(async (tx) => {
		const added = await insertDeliveries(tx, ds, now);
		await tx.updateTable('alert_events').set({ planned: 1 }).where('id', '=', eventId).execute();
		return added;
	});
}

export async function dueDeliveries(store: Store, now: number, limit = 50) {
	return store.db
		.selectFrom('deliveries')
		.selectAll()
		.where('state', '=', 'pending')
		.where('next_at', '<=', now)
		.orderBy('next_at')
		.orderBy('id')
		.limit(limit)
		.execute();
}
export type Delivery = Awaited<ReturnType<typeof dueDeliveries>>[number];

export async function markSent(store: Store, id: string, attempts: number, now = Date.now()) {
	await store.db
		.updateTable('deliveries')
		.set({ state: 'sent', attempts, sent_at: now, last_error: '' })
		.where('id', '=', id)
		.execute();
}

/** A failed attempt: tried again at `nextAt`, or failed for good when `nextAt` is null. */
export async function markAttemptFailed(
	store: Store,
	id: string,
	attempts: number,
	error: string,
	nextAt: number | null
) {
	await store.db
		.updateTable('deliveries')
		.set({
			state: nextAt === null ? 'failed' : 'pending',
			attempts,
			last_error: error.slice(0, 500),
			next_at: nextAt ?? 0
		})
		.where('id', '=', id)
		.execute();
}

/** Deferred (quiet hours) without counting an attempt. */
export async function deferDelivery(store: Store, id: string, nextAt: number) {
	await store.db.updateTable('deliveries').set({ next_at: nextAt }).where('id', '=', id).execute();
}

/** An admin sends a failed delivery again (from the console). */
export async function retryDelivery(store: Store, id: string, by: string, now = Date.now()) {
	return store.db.transaction().execute(async (tx) => {
		const r = await tx
			.updateTable('deliveries')
			.set({ state: 'pending', next_at: now })
			.where('id', '=', id)
			.where('state', '=', 'failed')
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) return false;
		await auditIn(tx, { actor: by, action: 'delivery.retry', target: `delivery:${id}` }, now);
		return true;
	});
}

export async function listDeliveries(
	store: Store,
	f: { state?: DeliveryState; channel?: Channel; alertId?: string; limit?: number } = {}
) {
	let q = store.db.selectFrom('deliveries').selectAll();
	if (f.state) q = q.where('state', '=', f.state);
	if (f.channel) q = q.where('channel', '=', f.channel);
	if (f.alertId) q = q.where('alert_id', '=', f.alertId);
	return q
		.orderBy('created_at', 'desc')
		.orderBy('id')
		.limit(f.limit ?? 200)
		.execute();
}

/** Counts by state, for /api/health and the console. */
export async function deliveryCounts(store: Store): Promise<Record<DeliveryState, number>> {
	const rows = await store.db
		.selectFrom('deliveries')
		.select(['state', sql<string>`count(*)`.as('n')])
		.groupBy('state')
		.execute();
	const out: Record<DeliveryState, number> = { pending: 0, sent: 0, failed: 0 };
	for (const r of rows) out[r.state] = Number(r.n);
	return out;
}

/** A small key–value (the VAPID keys): read, or made once and kept. */
export async function keptSetting(store: Store, key: string, make: () => string): Promise<string> {
	const row = await store.db
		.selectFrom('settings')
		.select('value')
		.where('key', '=', key)
		.executeTakeFirst();
	if (row) return row.value;
	await store.db
		.insertInto('settings')
		.values({ key, value: make() })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	return (await store.db
		.selectFrom('settings')
		.select('value')
		.where('key', '=', key)
		.executeTakeFirstOrThrow())!.value;
}

/**
 * Put deliveries in the outbox, pending; one already there (the same id: the same transition or
 * digest, channel and recipient) is left as it is. Returns how many were new.
 */
export async function insertDeliveries(
	db: Kysely<DB>,
	ds: readonly NewDelivery[],
	now: number
): Promise<number> {
	let added = 0;
	for (const d of ds) {
		const r = await db
			.insertInto('deliveries')
			.values({ ...d, state: 'pending', attempts: 0, last_error: '', created_at: now, sent_at: 0 })
			.onConflict((oc) => oc.column('id').doNothing())
			.executeTakeFirst();
		added += Number(r.numInsertedOrUpdatedRows ?? 0);
	}
	return added;
}
