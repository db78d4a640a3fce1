/**
 * Login attempts, limited per account and per address: failures are kept in the store (so every
 * app process and a restart see them) and counted over a window; a success clears the account's.
 */
import type { Store } from './open';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES = { account: 5, address: 20 } as const;

export interface LoginBlock {
	by: 'account' | 'address';
	/** when the oldest counted failure leaves the window */
	retryAt: number;
}

const keys = (email: string, ip: string) => ({
	account: `account:${email}`,
	address: `address:${ip}`
});

/** Whether this account or address has failed too often lately. */
export async function loginBlocked(
	store: Store,
	email: string,
	ip: string,
	now = Date.now()
): Promise<LoginBlock | null> {
	const k = keys(email, ip);
	for (const by of ['account', 'address'] as const) {
		const rows = await store.db
			.selectFrom('login_failures')
			.select('at')
			.where('key', '=', k[by])
			.where('at', '>', now - LOGIN_WINDOW_MS)
			.orderBy('at', 'desc')
			.limit(MAX_FAILURES[by])
			.execute();
		if (rows.length >= MAX_FAILURES[by])
			return { by, retryAt: Number(rows[rows.length - 1].at) + LOGIN_WINDOW_MS };
	}
	return null;
}

export async function recordFailure(
	store: Store,
	email: string,
	ip: string,
	now = Date.now()
): Promise<void> {
	const k = keys(email, ip);
	await store.db
		.insertInto('login_failures')
		.values([
			{ key: k.account, at: now },
			{ key: k.address, at: now }
		])
		.execute();
	// old failures go as new ones come
	await store.db
		.deleteFrom('login_failures')
		.where('at', '<', now - LOGIN_WINDOW_MS)
		.execute();
}

export async function clearFailures(store: Store, email: string): Promise<void> {
	await store.db.deleteFrom('login_failures').where('key', '=', `account:${email}`).execute();
}
