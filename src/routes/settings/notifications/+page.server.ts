/**
 * A person's notification settings: channels, districts, severities, quiet hours, language, and
 * whether resolutions are sent; and the devices registered for Web Push. A refused field is named
 * beside the form, and nothing is stored.
 */
import { fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { requestFilter } from '$lib/server/auth/request-scope';
import { getSettings, pushSubscriptions, saveSettings } from '$lib/server/store/notify';
import { checkSettings } from '$lib/shared/notify';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url, locals }) => {
	const rt = await appRuntime();
	const user = locals.user!;
	const settings = await getSettings(rt.store, user.id);
	const scope = requestFilter(locals, rt.registry.registry);
	const locale = url.searchParams.has('lang')
		? parseLocale(url.searchParams.get('lang'))
		: settings.locale;
	return {
		locale,
		email: user.email,
		settings,
		// a scoped account hears of its own area only: the districts it may choose are its own
		districts: rt.registry
			.areasAt('district')
			.filter((a) => scope.opensDistrict(a.area_id))
			.map((a) => ({ id: a.area_id, name: a.name })),
		devices: (await pushSubscriptions(rt.store, user.id)).length,
		vapidPublicKey: rt.vapid.publicKey,
		emailOn: !!rt.cfg.notify.smtpUrl
	};
}) satisfies PageServerLoad;

export const actions = {
	save: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const scope = requestFilter(locals, rt.registry.registry);
		const all = (k: string) => f.getAll(k).map((v) => String(v).slice(0, 100));
		const one = (k: string) => String(f.get(k) ?? '').slice(0, 100);
		const r = checkSettings(
			{
				channels: all('channels'),
				districts: all('districts'),
				severities: all('severities'),
				quiet_from: one('quiet_from'),
				quiet_to: one('quiet_to'),
				locale: one('locale'),
				on_resolve: f.get('on_resolve') === 'on'
			},
			new Set(
				rt.registry
					.areasAt('district')
					.map((a) => a.area_id)
					.filter((id) => scope.opensDistrict(id))
			)
		);
		if (!r.ok) return fail(400, { errors: r.errors });
		await saveSettings(rt.store, locals.user!.id, r.value);
		return { saved: true };
	}
} satisfies Actions;
