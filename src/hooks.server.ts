import {
	json,
	redirect,
	type Handle,
	type HandleServerError,
	type ServerInit
} from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { bootApp } from './compose/runtime';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { allowFraming, withSecurityHeaders } from '$lib/server/auth/headers';
import { WALL_COOKIE, tokenOf } from '$lib/server/auth/principal';
import { needOf, tokenAllows } from '$lib/server/auth/routes';
import { audit } from '$lib/server/store/audit';
import { verifyToken } from '$lib/server/store/tokens';
import { logger } from '$lib/server/platform/log';
import { validateSession } from '$lib/server/store/sessions';
import { atLeast } from '$lib/shared/roles';

const log = logger('http');

export const init: ServerInit = async () => {
	await bootApp();
};

/** Requests a program makes (JSON, SSE, CSV) get a status; pages a redirect to sign in. */
const isData = (url: URL) => url.pathname.startsWith('/api/') || url.pathname.endsWith('.csv');

export const handle: Handle = async (input) => {
	const response = await guard(input);
	// embeds: framed by the IOC's origins only (after SvelteKit wrote its CSP)
	if (input.event.route.id?.startsWith('/embed/') && response.status < 400) {
		const rt = await appRuntime();
		return allowFraming(response, rt.cfg.embedOrigins);
	}
	return response;
};

const guard: Handle = async ({ event, resolve }) => {
	const rt = await appRuntime();
	event.locals.user = null;
	event.locals.session = null;
	event.locals.token = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const v = await validateSession(rt.store, token);
		if (v) {
			event.locals.user = v.user;
			event.locals.session = v.session;
			// sliding expiry: the cookie is written again only when the session was renewed
			if (v.renewed) setSessionCookie(event.cookies, event.url, token, v.session.expires_at);
		} else clearSessionCookie(event.cookies, event.url);
	}

	// an unknown path has no route: SvelteKit answers 404 and shows nothing
	const routeId = event.route.id;

	// no account: a wall or embed token may open its own views, read-only
	const need = routeId === null ? null : needOf(routeId, event.request.method, event.url);
	const carried =
		event.locals.user || need === 'public'
			? null
			: tokenOf(event.url, event.request.headers, event.cookies);
	if (carried && routeId) {
		const check = await verifyToken(rt.store, carried.token);
		const ip = event.getClientAddress();
		if (!check.ok) {
			log.warn('token refused', { reason: check.reason, route: routeId, from: carried.from, ip });
			await audit(rt.store, {
				actor: 'token:?',
				action: 'token.refused',
				target: routeId,
				detail: { reason: check.reason, from: carried.from },
				ip
			});
			if (carried.from === 'cookie') event.cookies.delete(WALL_COOKIE, { path: '/' });
			return withSecurityHeaders(json({ message: `Token ${check.reason}` }, { status: 401 }));
		}
		event.locals.token = check;
		const allowed = event.request.method === 'GET' && tokenAllows(check, routeId, event.url);
		if (!allowed) {
			await audit(rt.store, {
				actor: `token:${check.id}`,
				action: 'token.denied',
				target: `${event.request.method} ${routeId}`,
				ip
			});
			return withSecurityHeaders(
				json({ message: 'This token does not open that' }, { status: 403 })
			);
		}
		// a kiosk opens /wall?token=… once: the token moves to a cookie and out of the address bar
		if (check.kind === 'wall' && carried.from === 'query' && routeId === '/wall') {
			event.cookies.set(WALL_COOKIE, carried.token, {
				path: '/',
				httpOnly: true,
				sameSite: 'lax',
				secure: event.url.protocol === 'https:',
				maxAge: 400 * 86_400
			});
			const clean = new URL(event.url);
			clean.searchParams.delete('token');
			redirect(303, clean.pathname + clean.search);
		}
		return withSecurityHeaders(await resolve(event));
	}

	if (routeId) {
		const user = event.locals.user;
		if (need === null) {
			log.warn('refused: no rule for route', { route: routeId, method: event.request.method });
			return withSecurityHeaders(json({ message: 'Not allowed' }, { status: 405 }));
		}
		if (need !== 'public' && !user) {
			if (isData(event.url) || event.request.method !== 'GET')
				return withSecurityHeaders(json({ message: 'Sign in first' }, { status: 401 }));
			redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
		if (need !== 'public' && user && !atLeast(user.role, need)) {
			if (isData(event.url) || event.request.method !== 'GET')
				return withSecurityHeaders(json({ message: `Needs the ${need} role` }, { status: 403 }));
			return withSecurityHeaders(
				new Response(null, {
					status: 303,
					headers: {
						location: `/login?denied=${need}&next=${encodeURIComponent(event.url.pathname + event.url.search)}`
					}
				})
			);
		}
	}
	return withSecurityHeaders(await resolve(event));
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status !== 404) log.error('unhandled', { path: event.url.pathname, status, error });
	return { message };
};
