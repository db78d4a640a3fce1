/** The audit log: who did what to what, when and from where. Details are JSON without secrets. */
import type { Kysely } from 'kysely';
import type { Store } from './open';
import type { DB } from './schema';
import { randomToken } from './secret-token';

export interface AuditEntry {
	actor: string;
	action: string;
	target?: string;
	detail?: Record<string, unknown>;
	ip?: string;
}

/** Keys whose values never reach the log, whatever a caller passes. */
const SECRET = /password|token|secret|hash|cookie/i;

export function audit(store: Store, e: AuditEntry, now = Date.now()): Promise<void> {
	return auditIn(store.db, e, now);
}

/** The same, within a transaction (a change and its audit line commit together). */
export async function auditIn(db: Kysely<DB>, e: AuditEntry, now = Date.now()): Promise<void> {
	const detail = Object.fromEntries(
		Object.entries(e.detail ?? {}).map(([k, v]) => [k, SECRET.test(k) ? '[redacted]' : v])
	);
	await db
		.insertInto('audit_log')
		.values({
			id: randomToken(10),
			at: now,
			actor: e.actor,
			action: e.action,
			target: e.target ?? '',
			detail: JSON.stringify(detail),
			ip: e.ip ?? ''
		})
		.execute();
}

export async function recentAudit(store: Store, limit = 200) {
	return store.db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').limit(limit).execute();
}
