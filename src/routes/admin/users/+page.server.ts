import { fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { randomToken } from '$lib/server/store/secret-token';
import { audit } from '$lib/server/store/audit';
import { UserError, createUser, listUsers, setDisabled, setRole } from '$lib/server/store/users';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	return { locale: parseLocale(url.searchParams.get('lang')), users: await listUsers(rt.store) };
}) satisfies PageServerLoad;

/** Each action: the admin (hooks checked the role), the change, its audit line; a bad value names itself. */
const change =
	(
		what: (
			store: Awaited<ReturnType<typeof appRuntime>>['store'],
			f: FormData
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
			const r = await what(rt.store, await request.formData());
			await audit(rt.store, {
				actor: `user:${locals.user!.id}`,
				action: r.action,
				target: r.target,
				detail: r.detail,
				ip: getClientAddress()
			});
			return { ok: true, action: r.action, target: r.target, password: r.password ?? null };
		} catch (e) {
			if (e instanceof UserError) return fail(400, { error: e.message });
			throw e;
		}
	};

const str = (f: FormData, k: string) => String(f.get(k) ?? '').slice(0, 254);

export const actions = {
	create: change(async (store, f) => {
		const password = randomToken(12);
		const u = await createUser(store, {
			email: str(f, 'email'),
			name: str(f, 'name'),
			role: str(f, 'role'),
			password
		});
		return {
			action: 'user.create',
			target: `account:${u.email}`,
			detail: { role: u.role },
			password
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
