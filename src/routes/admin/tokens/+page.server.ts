import { fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { audit } from '$lib/server/store/audit';
import { issueToken, listTokens, revokeToken } from '$lib/server/store/tokens';
import { KPI_IDS, type KpiId } from '$lib/shared/kpi';
import type { TokenScope } from '$lib/shared/tokens';
import { isTheme } from '$lib/shared/theme';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	const tokens = (await listTokens(rt.store)).map((t) => ({
		...t,
		scope: JSON.parse(t.scope) as Record<string, string>
	}));
	const districts = rt.registry.areasAt('district').map((a) => ({ id: a.area_id, name: a.name }));
	return {
		locale: parseLocale(url.searchParams.get('lang')),
		tokens,
		districts,
		kpis: KPI_IDS,
		embedOrigins: rt.cfg.embedOrigins
	};
}) satisfies PageServerLoad;

/** Longest an embed token may live. */
const MAX_EMBED_DAYS = 365;

export const actions = {
	/** A wall token for a kiosk: the link to open once on the screen is shown once. */
	wall: async ({ request, locals, url, getClientAddress }) => {
		const rt = await appRuntime();
		const label = String((await request.formData()).get('label') ?? '')
			.trim()
			.slice(0, 120);
		if (!label) return fail(400, { error: 'label' as const });
		const t = await issueToken(rt.store, {
			kind: 'wall',
			label,
			scope: { view: 'wall' },
			expiresAt: 0,
			createdBy: `user:${locals.user!.id}`
		});
		await audit(rt.store, {
			actor: `user:${locals.user!.id}`,
			action: 'token.issue',
			target: `token:${t.id}`,
			detail: { kind: 'wall', label },
			ip: getClientAddress()
		});
		return { issued: { id: t.id, link: `${url.origin}/wall?token=${t.token}` } };
	},
	/** An embed token for the IOC: one view, expiring, optionally one language and one theme; the URL is shown once. */
	embed: async ({ request, locals, url, getClientAddress }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const get = (k: string) =>
			String(f.get(k) ?? '')
				.trim()
				.slice(0, 120);
		const label = get('label');
		const view = get('view');
		const district = get('district');
		const kpi = get('kpi');
		const lang = get('lang');
		const theme = get('theme');
		const days = Number(get('days') || 30);
		const districts = rt.registry.areasAt('district').map((a) => a.area_id);
		if (!label) return fail(400, { error: 'label' as const });
		if (!Number.isInteger(days) || days < 1 || days > MAX_EMBED_DAYS)
			return fail(400, { error: 'days' as const });
		if (lang && lang !== 'vi' && lang !== 'en') return fail(400, { error: 'lang' as const });
		if (theme && !isTheme(theme)) return fail(400, { error: 'theme' as const });
		if ((view === 'district' || (view === 'kpi' && district)) && !districts.includes(district))
			return fail(400, { error: 'district' as const });
		let scope: TokenScope;
		if (view === 'city') scope = { view: 'city' };
		else if (view === 'district') scope = { view: 'district', district };
		else if (view === 'kpi' && (KPI_IDS as readonly string[]).includes(kpi))
			scope = { view: 'kpi', kpi: kpi as KpiId, ...(district ? { district } : {}) };
		else return fail(400, { error: 'view' as const });
		if (lang) scope = { ...scope, lang: lang as 'vi' | 'en' };
		if (isTheme(theme)) scope = { ...scope, theme };
		const t = await issueToken(rt.store, {
			kind: 'embed',
			label,
			scope,
			expiresAt: Date.now() + days * 86_400_000,
			createdBy: `user:${locals.user!.id}`
		});
		await audit(rt.store, {
			actor: `user:${locals.user!.id}`,
			action: 'token.issue',
			target: `token:${t.id}`,
			detail: { kind: 'embed', label, scope, days },
			ip: getClientAddress()
		});
		const path =
			scope.view === 'city'
				? '/embed/city'
				: scope.view === 'district'
					? `/embed/district/${scope.district}`
					: `/embed/kpi/${scope.kpi}${scope.district ? `?district=${scope.district}` : ''}`;
		const link = `${url.origin}${path}${path.includes('?') ? '&' : '?'}token=${t.token}`;
		return { embedded: { id: t.id, link, api: `${url.origin}/api/ioc/kpis`, token: t.token } };
	},
	revoke: async ({ request, locals, getClientAddress }) => {
		const rt = await appRuntime();
		const id = String((await request.formData()).get('id') ?? '').slice(0, 64);
		if (!(await revokeToken(rt.store, id))) return fail(400, { error: 'unknown' as const });
		await audit(rt.store, {
			actor: `user:${locals.user!.id}`,
			action: 'token.revoke',
			target: `token:${id}`,
			ip: getClientAddress()
		});
		return { revoked: id };
	}
} satisfies Actions;
