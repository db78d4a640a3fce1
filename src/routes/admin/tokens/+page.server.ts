import { fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { audit } from '$lib/server/store/audit';
import { issueToken, listTokens, revokeToken } from '$lib/server/store/tokens';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	const tokens = (await listTokens(rt.store)).map((t) => ({ ...t, scope: JSON.parse(t.scope) as Record<string, string> }));
	return { locale: parseLocale(url.searchParams.get('lang')), tokens };
}) satisfies PageServerLoad;

export const actions = {
	/** A wall token for a kiosk: the link to open once on the screen is shown once. */
	wall: async ({ request, locals, url, getClientAddress }) => {
		const rt = await appRuntime();
		const label = String((await request.formData()).get('label') ?? '').trim().slice(0, 120);
		if (!label) return fail(400, { error: 'label' as const });
		const t = await issueToken(rt.store, { kind: 'wall', label, scope: { view: 'wall' }, expiresAt: 0, createdBy: `user:${locals.user!.id}` });
		await audit(rt.store, { actor: `user:${locals.user!.id}`, action: 'token.issue', target: `token:${t.id}`, detail: { kind: 'wall', label }, ip: getClientAddress() });
		return { issued: { id: t.id, link: `${url.origin}/wall?token=${t.token}` } };
	},
	revoke: async ({ request, locals, getClientAddress }) => {
		const rt = await appRuntime();
		const id = String((await request.formData()).get('id') ?? '').slice(0, 64);
		if (!(await revokeToken(rt.store, id))) return fail(400, { error: 'unknown' as const });
		await audit(rt.store, { actor: `user:${locals.user!.id}`, action: 'token.revoke', target: `token:${id}`, ip: getClientAddress() });
		return { revoked: id };
	}
} satisfies Actions;
