import { json, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { withSecurityHeaders } from '$lib/server/auth/headers';
import { needOf } from '$lib/server/auth/routes';
import { logger } from '$lib/server/log';
import { validateSession } from '$lib/server/store/sessions';
import { atLeast } from '$lib/shared/roles';

const log = logger('http');

export const init: ServerInit = async () => {
	await appRuntime();
};

/** Requests a program makes (JSON, SSE, CSV) get a status; pages a redirect to sign in. */
const isData = (url: URL) => url.pathname.startsWith('/api/') || url.pathname.endsWith('.csv');

export const handle: Handle = async ({ event, resolve }) => {
	const rt = await appRuntime();
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const v = await validateSession(rt.store, token);
		if (v) {
			event.locals.user = v.user;
			event.locals.session = v.session;
			setSessionCookie(event.cookies, event.url, token, v.session.expires_at);
		} else clearSessionCookie(event.cookies, event.url);
	}

	// an unknown path has no route: SvelteKit answers 404 and shows nothing
	const routeId = event.route.id;
	if (routeId) {
		const need = needOf(routeId, event.request.method, event.url);
		const user = event.locals.user;
		if (need === null) {
			log.warn('refused: no rule for route', { route: routeId, method: event.request.method });
			return withSecurityHeaders(json({ message: 'Not allowed' }, { status: 405 }));
		}
		if (need !== 'public' && !user) {
			if (isData(event.url) || event.request.method !== 'GET') return withSecurityHeaders(json({ message: 'Sign in first' }, { status: 401 }));
			redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
		if (need !== 'public' && user && !atLeast(user.role, need)) {
			if (isData(event.url) || event.request.method !== 'GET') return withSecurityHeaders(json({ message: `Needs the ${need} role` }, { status: 403 }));
			return withSecurityHeaders(new Response(null, { status: 303, headers: { location: `/login?denied=${need}&next=${encodeURIComponent(event.url.pathname + event.url.search)}` } }));
		}
	}
	return withSecurityHeaders(await resolve(event));
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status !== 404) log.error('unhandled', { path: event.url.pathname, status, error });
	return { message };
};
