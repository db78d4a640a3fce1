/**
 * Who is asking: a signed-in account (session cookie), or a wall or embed token (`?token=`,
 * `Authorization: Bearer`, or the kiosk's `edu_wall` cookie). Tokens are checked (signature,
 * expiry, revocation) and every refusal is logged and audited, without the token itself.
 */
import type { Cookies } from '@sveltejs/kit';
import type { TokenCheck } from '../store/tokens';

export const WALL_COOKIE = 'edu_wall';

/** The token a request carries, and where it came from. */
export function tokenOf(
	url: URL,
	headers: Headers,
	cookies: Cookies
): { token: string; from: 'query' | 'header' | 'cookie' } | null {
	const q = url.searchParams.get('token');
	if (q) return { token: q.slice(0, 4096), from: 'query' };
	const h = headers.get('authorization');
	if (h?.startsWith('Bearer ')) return { token: h.slice(7).trim().slice(0, 4096), from: 'header' };
	const c = cookies.get(WALL_COOKIE);
	return c ? { token: c.slice(0, 4096), from: 'cookie' } : null;
}

export type TokenPrincipal = Extract<TokenCheck, { ok: true }>;
