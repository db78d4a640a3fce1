import { redirect } from '@sveltejs/kit';
import { appRuntime } from '$lib/server/app-runtime';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { audit } from '$lib/server/store/audit';
import { invalidateSession, invalidateUserSessions } from '$lib/server/store/sessions';
import type { RequestHandler } from './$types';

/** POST (a form: SvelteKit's origin check applies): ends this session, or with `everywhere` all of the account's. */
export const POST: RequestHandler = async ({ locals, cookies, url, request, getClientAddress }) => {
	const rt = await appRuntime();
	const everywhere = (await request.formData()).get('everywhere') === '1';
	if (locals.user && locals.session) {
		if (everywhere) await invalidateUserSessions(rt.store, locals.user.id);
		else await invalidateSession(rt.store, locals.session.id);
		await audit(rt.store, {
			actor: `user:${locals.user.id}`,
			action: everywhere ? 'logout.everywhere' : 'logout',
			target: `user:${locals.user.id}`,
			ip: getClientAddress()
		});
	}
	clearSessionCookie(cookies, url);
	redirect(303, '/login');
};
