/** Signing in: rate limits first, then the password (argon2id), then a new session; each outcome audited. */
import { audit } from '../store/audit';
import { clearFailures, loginBlocked, recordFailure, type LoginBlock } from '../store/login-limit';
import type { Store } from '../store/open';
import { createSession } from '../store/sessions';
import { findUserByEmail, normalizeEmail, type User } from '../store/users';
import { hashPassword, verifyPassword } from '../store/password';

export type LoginResult =
	| { ok: true; token: string; expiresAt: number; user: User }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'blocked'; block: LoginBlock };

/** A hash to verify against when the account does not exist: the answer takes as long either way. */
let decoy: Promise<string> | null = null;

export async function login(
	store: Store,
	input: { email: string; password: string; ip: string; userAgent: string },
	now = Date.now()
): Promise<LoginResult> {
	const email = normalizeEmail(input.email).slice(0, 254);
	const blocked = await loginBlocked(store, email, input.ip, now);
	if (blocked) {
		await audit(
			store,
			{
				actor: 'anonymous',
				action: 'login.blocked',
				target: `account:${email}`,
				detail: { by: blocked.by },
				ip: input.ip
			},
			now
		);
		return { ok: false, reason: 'blocked', block: blocked };
	}
	const row = await findUserByEmail(store, email);
	const ok = row
		? await verifyPassword(row.password_hash, input.password)
		: await verifyPassword(await (decoy ??= hashPassword('decoy password')), input.password).then(
				() => false
			);
	if (!row || !ok || row.disabled) {
		await recordFailure(store, email, input.ip, now);
		await audit(
			store,
			{
				actor: 'anonymous',
				action: 'login.failed',
				target: `account:${email}`,
				detail: { known: !!row, disabled: !!row?.disabled },
				ip: input.ip
			},
			now
		);
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(store, email);
	const { token, session } = await createSession(
		store,
		row.id,
		{ ip: input.ip, userAgent: input.userAgent },
		now
	);
	await audit(
		store,
		{ actor: `user:${row.id}`, action: 'login', target: `user:${row.id}`, ip: input.ip },
		now
	);
	const { password_hash: _, ...user } = row;
	return { ok: true, token, expiresAt: session.expires_at, user };
}
