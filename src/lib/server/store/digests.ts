/**
 * Weekly digests in the store: who a district's digest goes to, the week's alerts of a district,
 * and planning a digest: its row in `digests` (one per district × week) and its mails in the
 * outbox (`deliveries`, id `digest:<district>:<week>:email:<user>`), in one transaction. The
 * schedule plans a week once; an admin's "send now" adds only the recipients who have no delivery
 * for that week yet, so nobody gets the same week twice.
 */
import type { Alert } from '../../shared/alerts';
import type { NotifySettings } from '../../shared/notify';
import type { Role } from '../../shared/roles';
import { auditIn } from './audit';
import { insertDeliveries, settingsOf, type NewDelivery } from './notify';
import type { Store } from './open';

/** The districts whose digest of this week (its Monday, YYYY-MM-DD) is planned. */
export async function plannedDigests(store: Store, week: string): Promise<Set<string>> {
	const rows = await store.db
		.selectFrom('digests')
		.select('district_id')
		.where('week', '=', week)
		.execute();
	return new Set(rows.map((r) => r.district_id));
}

export async function listDigests(store: Store, limit = 50) {
	return store.db
		.selectFrom('digests')
		.selectAll()
		.orderBy('week', 'desc')
		.orderBy('district_id')
		.limit(limit)
		.execute();
}

export interface DigestRecipient {
	id: string;
	email: string;
	role: Role;
	settings: NotifySettings;
	/** an escalation contact of the district (named by an admin) */
	contact: boolean;
	/** an account scoped to the district */
	scoped: boolean;
}

/** The district's contacts: its escalation contacts and the accounts scoped to it, enabled, once each. */
export async function digestRecipients(store: Store, district: string): Promise<DigestRecipient[]> {
	const contacts = new Set(
		(
			await store.db
				.selectFrom('escalation_contacts')
				.select('user_id')
				.where('district_id', '=', district)
				.execute()
		).map((r) => r.user_id)
	);
	const rows = await store.db
		.selectFrom('users')
		.leftJoin('notify_settings', 'notify_settings.user_id', 'users.id')
		.select(['users.id', 'users.email', 'users.role', 'users.scope', 'notify_settings.settings'])
		.where('users.disabled', '=', 0)
		.where((eb) =>
			eb.or([
				eb('users.scope', '=', `district:${district}`),
				...(contacts.size ? [eb('users.id', 'in', [...contacts])] : [])
			])
		)
		.orderBy('users.email')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		email: r.email,
		role: r.role as Role,
		settings: settingsOf(r.settings),
		contact: contacts.has(r.id),
		scoped: r.scope === `district:${district}`
	}));
}

/** A district's alerts that were open at some moment of [from, to). */
export async function alertsOverlapping(
	store: Store,
	district: string,
	from: number,
	to: number
): Promise<Alert[]> {
	return store.db
		.selectFrom('alerts')
		.selectAll()
		.where('district_id', '=', district)
		.where('opened_at', '<', to)
		.where((eb) => eb.or([eb('resolved_at', '=', 0), eb('resolved_at', '>=', from)]))
		.orderBy('opened_at')
		.orderBy('id')
		.execute();
}

export interface DigestPlan {
	district: string;
	/** the week's Monday, YYYY-MM-DD */
	week: string;
	/** 'system' (the schedule) or 'user:<id>' (an admin's "send now") */
	by: string;
	/** why nothing is sent ('' when sent) */
	skipped: string;
	deliveries: readonly NewDelivery[];
}

/**
 * Write a digest's row and its deliveries in one transaction. The schedule (`by` 'system') plans a
 * week once: when the row exists it adds nothing and returns null. An admin's "send now" adds the
 * deliveries not yet there (an existing id is kept) and says so in the audit log. Returns the
 * number of deliveries added.
 */
export async function planDigest(
	store: Store,
	p: DigestPlan,
	now = Date.now()
): Promise<number | null> {
	return store.db.transaction().execute(async (tx) => {
		const r = await tx
			.insertInto('digests')
			.values({
				district_id: p.district,
				week: p.week,
				planned_at: now,
				planned_by: p.by,
				recipients: 0,
				skipped: p.skipped
			})
			.onConflict((oc) => oc.columns(['district_id', 'week']).doNothing())
			.executeTakeFirst();
		const fresh = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
		if (!fresh && p.by === 'system') return null;
		const added = await insertDeliveries(tx, p.deliveries, now);
		const before = fresh
			? 0
			: ((
					await tx
						.selectFrom('digests')
						.select('recipients')
						.where('district_id', '=', p.district)
						.where('week', '=', p.week)
						.executeTakeFirst()
				)?.recipients ?? 0);
		await tx
			.updateTable('digests')
			.set({ recipients: before + added, ...(fresh ? {} : { skipped: p.skipped }) })
			.where('district_id', '=', p.district)
			.where('week', '=', p.week)
			.execute();
		if (p.by !== 'system')
			await auditIn(
				tx,
				{
					actor: p.by,
					action: 'digest.send',
					target: `district:${p.district}`,
					detail: { week: p.week, added }
				},
				now
			);
		return added;
	});
}
