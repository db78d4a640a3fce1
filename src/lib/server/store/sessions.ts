/**
 * Sessions as the Lucia guide teaches: the cookie carries a random token, the store keeps its
 * SHA-256 only; 30 days, renewed (sliding) when less than 15 remain; logout ends one session,
 * "log out everywhere" all of a user's.
 */
import { DAY_MS } from '../../shared/calendar';
import { randomToken, tokenHash } from './secret-token';
import type { Store } from './open';
import type { User } from './users';

export const SESSION_DAYS = 30;
const RENEW_BELOW_MS = 15 * DAY_MS;

export interface Session {
	id: string;
	user_id: string;
	expires_at: number;
}

export async function createSession(
	store: Store,
	userId: string,
	meta: { ip: string; userAgent: string },
	now = Date.now()
): Promise<{ token: string; session: Session }> {
	const token = randomToken();
	const session = {
		id: tokenHash(token),
		user_id: userId,
		expires_at: now + SESSION_DAYS * DAY_MS
	};
	await store.db
		.insertInto('sessions')
		.values({
			...session,
			created_at: now,
			ip: meta.ip.slice(0, 64),
			user_agent: meta.userAgent.slice(0, 256)
		})
		.execute();
	return { token, session };
}

/** The session and user of a token, or null (unknown, expired, disabled account). Renews it when due (`renewed`). */
export async function validateSession(
	store: Store,
	token: string,
	now = Date.now()
): Promise<{ session: Session; user: User; renewed: boolean } | null> {
	if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
	const id = tokenHash(token);
	const row = await store.db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id as sid',
			'sessions.expires_at',
			'users.id',
			'users.email',
			'users.name',
			'users.role',
			'users.scope',
			'users.disabled',
			'users.created_at',
			'users.updated_at'
		])
		.where('sessions.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	if (now >= row.expires_at || row.disabled) {
		await store.db.deleteFrom('sessions').where('id', '=', id).execute();
		return null;
	}
	let expires = row.expires_at;
	if (row.expires_at - now < RENEW_BELOW_MS) {
		expires = now + SESSION_DAYS * DAY_MS;
		await store.db
			.updateTable('sessions')
			.set({ expires_at: expires })
			.where('id', '=', id)
			.execute();
	}
	const { sid, expires_at: _, ...user } = row;
	return {
		session: { id: sid, user_id: user.id, expires_at: expires },
		user,
		renewed: expires !== row.expires_at
	};
}

export async function invalidateSession(store: Store, sessionId: string): Promise<void> {
	await store.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function invalidateUserSessions(store: Store, userId: string): Promise<number> {
	const r = await store.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
	return Number(r.numDeletedRows);
}
