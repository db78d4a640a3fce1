import { fail, redirect } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { login } from '$lib/server/auth/login';
import { safeNext } from '$lib/server/auth/next';
import { isRole } from '$lib/shared/roles';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url, locals }) => {
	const denied = url.searchParams.get('denied');
	return {
		locale: parseLocale(url.searchParams.get('lang')),
		next: safeNext(url.searchParams.get('next')),
		denied: isRole(denied) ? denied : null,
		user: locals.user ? { email: locals.user.email, role: locals.user.role } : null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').slice(0, 254);
		const password = String(form.get('password') ?? '').slice(0, 1024);
		const next = safeNext(String(form.get('next') ?? ''));
		if (!email || !password) return fail(400, { email, error: 'missing' as const });
		const rt = await appRuntime();
		const r = await login(rt.store, {
			email,
			password,
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent') ?? ''
		});
		if (!r.ok) {
			if (r.reason === 'blocked')
				return fail(429, {
					email,
					error: `blocked.${r.block.by}` as const,
					minutes: Math.max(1, Math.ceil((r.block.retryAt - Date.now()) / 60_000))
				});
			return fail(400, { email, error: 'invalid' as const });
		}
		setSessionCookie(cookies, url, r.token, r.expiresAt);
		redirect(303, next);
	}
} satisfies Actions;
