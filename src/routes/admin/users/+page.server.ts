import { fail } from '@sveltejs/kit';
import { parseLocale, t, type Locale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { randomToken } from '$lib/server/store/secret-token';
import { audit } from '$lib/server/store/audit';
import {
	UserError,
	createUser,
	findUserByEmail,
	listUsers,
	scopeOf,
	setDisabled,
	setRole,
	setScope
} from '$lib/server/store/users';
import { formatScope, parseScope, scopeExists, scopeName, type Scope } from '$lib/shared/scope';
import type { Registry } from '$lib/shared/registry';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	const locale = parseLocale(url.searchParams.get('lang'));
	const reg = rt.registry.registry;
	const users = (await listUsers(rt.store)).map((u) => ({
		...u,
		scope_name: scopeName(scopeOf(u), reg, locale) ?? t(locale, 'scope.city')
	}));
	return {
		locale,
		users,
		districts: rt.registry
			.areasAt('district')
			.map((a) => ({ id: a.area_id, name: locale === 'en' && a.name_en ? a.name_en : a.name })),
		schools: reg.schools.map((s) => ({ id: s.school_id, name: s.name }))
	};
}) satisfies PageServerLoad;

/** A scope error the admin reads in their language (the page shows it above the table). */
class ScopeError extends Error {
	override name = 'ScopeError';
}

/**
 * The scope chosen in a form: `scope` is '' (the city), `district:<id>`, or `school` with the
 * school's id in `school`. Checked against the registry: an unknown id is named.
 */
function scopeOfForm(f: FormData, reg: Registry, locale: Locale): Scope {
	const raw = String(f.get('scope') ?? '').slice(0, 100);
	const text =
		raw === 'school'
			? `school:${String(f.get('school') ?? '')
					.trim()
					.slice(0, 64)}`
			: raw;
	const s = parseScope(text);
	if (!s) throw new ScopeError(t(locale, 'scope.error.kind'));
	if (!scopeExists(s, reg))
		throw new ScopeError(
			t(locale, s.kind === 'district' ? 'scope.error.district' : 'scope.error.school', {
				id: s.kind === 'district' ? s.district : s.kind === 'school' ? s.school : ''
			})
		);
	return s;
}

/** Each action: the admin (hooks checked the role), the change, its audit line; a bad value names itself. */
const change =
	(
		what: (
			store: Awaited<ReturnType<typeof appRuntime>>['store'],
			f: FormData,
			reg: Registry
		) => Promise<{
			action: string;
			target: string;
			detail?: Record<string, unknown>;
			password?: string;
		}>
	) =>
	async ({
		request,
		locals,
		getClientAddress
	}: {
		request: Request;
		locals: App.Locals;
		getClientAddress: () => string;
	}) => {
		const rt = await appRuntime();
		try {
			const r = await what(rt.store, await request.formData(), rt.registry.registry);
			await audit(rt.store, {
				actor: `user:${locals.user!.id}`,
				action: r.action,
				target: r.target,
				detail: r.detail,
				ip: getClientAddress()
			});
			return { ok: true, action: r.action, target: r.target, password: r.password ?? null };
		} catch (e) {
			if (e instanceof UserError || e instanceof ScopeError) return fail(400, { error: e.message });
			throw e;
		}
	};

const str = (f: FormData, k: string) => String(f.get(k) ?? '').slice(0, 254);
/** The page's language, sent with the form (the action's messages follow it). */
const localeOf = (f: FormData): Locale => parseLocale(str(f, 'lang') || null);

export const actions = {
	create: change(async (store, f, reg) => {
		// the scope is checked before the account exists: a bad id creates nothing
		const locale = localeOf(f);
		const scope = scopeOfForm(f, reg, locale);
		if (scope.kind !== 'city' && str(f, 'role') === 'admin')
			throw new ScopeError(t(locale, 'scope.error.admin'));
		const password = randomToken(12);
		let u = await createUser(store, {
			email: str(f, 'email'),
			name: str(f, 'name'),
			role: str(f, 'role'),
			password
		});
		if (scope.kind !== 'city') u = await setScope(store, u.email, scope);
		return {
			action: 'user.create',
			target: `account:${u.email}`,
			detail: { role: u.role, scope: u.scope },
			password
		};
	}),
	scope: change(async (store, f, reg) => {
		const locale = localeOf(f);
		const before = await findUserByEmail(store, str(f, 'email'));
		if (before?.role === 'admin') throw new ScopeError(t(locale, 'scope.error.admin'));
		const u = await setScope(store, str(f, 'email'), scopeOfForm(f, reg, locale));
		return {
			action: 'user.scope',
			target: `account:${u.email}`,
			detail: { scope: formatScope(scopeOf(u)) || 'city', was: before?.scope || 'city' }
		};
	}),
	role: change(async (store, f) => {
		const u = await setRole(store, str(f, 'email'), str(f, 'role'));
		return { action: 'user.role', target: `account:${u.email}`, detail: { role: u.role } };
	}),
	disable: change(async (store, f) => {
		const off = str(f, 'disabled') === '1';
		const u = await setDisabled(store, str(f, 'email'), off);
		return { action: off ? 'user.disable' : 'user.enable', target: `account:${u.email}` };
	})
} satisfies Actions;
