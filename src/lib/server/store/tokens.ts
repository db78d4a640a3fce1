/**
 * Wall and embed tokens: signed (HMAC-SHA256 with the app's key, kept in the store), expiring
 * (embeds) and revocable (both: the store lists every token issued). The token carries its id,
 * kind, scope and expiry; a changed byte breaks the signature. Verification answers why a token
 * is refused, so each refusal can be logged.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenKind, TokenScope } from '../../shared/tokens';
import { randomToken } from './secret-token';
import type { Store } from './open';
import type { TokensTable } from './schema';

export interface IssuedToken {
	id: string;
	token: string;
	kind: TokenKind;
	scope: TokenScope;
	expires_at: number;
}

export type TokenCheck =
	| { ok: true; id: string; kind: TokenKind; scope: TokenScope; expires_at: number }
	| { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'revoked' | 'unknown' };

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const TOKEN_RE = /^(wall|embed)_([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/;

/** The signing key: made on first use, kept in the store, shared by every app process. */
async function signingKey(store: Store): Promise<Buffer> {
	const row = await store.db
		.selectFrom('settings')
		.select('value')
		.where('key', '=', 'token_key')
		.executeTakeFirst();
	if (row) return Buffer.from(row.value, 'hex');
	await store.db
		.insertInto('settings')
		.values({ key: 'token_key', value: randomBytes(32).toString('hex') })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	return signingKey(store);
}

const sign = (key: Buffer, kind: string, body: string) =>
	createHmac('sha256', key).update(`${kind}_${body}`).digest();

export async function issueToken(
	store: Store,
	input: {
		kind: TokenKind;
		label: string;
		scope: TokenScope;
		expiresAt: number;
		createdBy: string;
	},
	now = Date.now()
): Promise<IssuedToken> {
	const id = randomToken(10);
	const row: TokensTable = {
		id,
		kind: input.kind,
		label: input.label.slice(0, 120),
		scope: JSON.stringify(input.scope),
		created_by: input.createdBy,
		created_at: now,
		expires_at: input.expiresAt,
		revoked_at: 0,
		last_used_at: 0
	};
	await store.db.insertInto('tokens').values(row).execute();
	const body = b64(JSON.stringify({ i: id, s: input.scope, e: input.expiresAt }));
	const token = `${input.kind}_${body}.${b64(sign(await signingKey(store), input.kind, body))}`;
	return { id, token, kind: input.kind, scope: input.scope, expires_at: input.expiresAt };
}

export async function verifyToken(
	store: Store,
	token: string,
	now = Date.now()
): Promise<TokenCheck> {
	const m = TOKEN_RE.exec(token);
	if (!m) return { ok: false, reason: 'malformed' };
	const [, kind, body, sig] = m;
	const want = sign(await signingKey(store), kind, body);
	const got = Buffer.from(sig, 'base64url');
	if (got.length !== want.length || !timingSafeEqual(got, want))
		return { ok: false, reason: 'forged' };
	let payload: { i: string; s: TokenScope; e: number };
	try {
		payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
	} catch {
		return { ok: false, reason: 'malformed' };
	}
	if (payload.e > 0 && now >= payload.e) return { ok: false, reason: 'expired' };
	const row = await store.db
		.selectFrom('tokens')
		.select(['kind', 'revoked_at', 'last_used_at'])
		.where('id', '=', payload.i)
		.executeTakeFirst();
	if (!row || row.kind !== kind) return { ok: false, reason: 'unknown' };
	if (row.revoked_at > 0) return { ok: false, reason: 'revoked' };
	// last use, to the minute (not a write per request)
	if (now - row.last_used_at > 60_000)
		await store.db
			.updateTable('tokens')
			.set({ last_used_at: now })
			.where('id', '=', payload.i)
			.execute();
	return {
		ok: true,
		id: payload.i,
		kind: kind as TokenKind,
		scope: payload.s,
		expires_at: payload.e
	};
}

export async function revokeToken(store: Store, id: string, now = Date.now()): Promise<boolean> {
	const r = await store.db
		.updateTable('tokens')
		.set({ revoked_at: now })
		.where('id', '=', id)
		.where('revoked_at', '=', 0)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

export async function listTokens(store: Store) {
	return store.db.selectFrom('tokens').selectAll().orderBy('created_at', 'desc').execute();
}
