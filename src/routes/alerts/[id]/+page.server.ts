/**
 * One alert, as a notification opens it on a phone: what fired, where, since when, its history,
 * and the acknowledgement with a short note — the notification is the first tap, "Xác nhận" the
 * second. An unknown id is a 404 before anything else is read.
 */
import { error, fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { AlertError, acknowledge, alertHistory, comment } from '$lib/server/store/alerts';
import { requestFilter } from '$lib/server/auth/request-scope';
import { actionTarget, scopedAlert } from '$lib/server/pages/alerts';
import { findUser } from '$lib/server/store/users';
import type { Actions, PageServerLoad } from './$types';

const ID = /^[a-z2-7]{1,32}$/;

export const load = (async ({ params, url, locals }) => {
	const locale = parseLocale(url.searchParams.get('lang'));
	if (!ID.test(params.id)) error(404, locale === 'vi' ? 'Không có cảnh báo này' : 'No such alert');
	const rt = await appRuntime();
	// another area's alert is, for a scoped account, no alert
	const alert = await scopedAlert(rt, requestFilter(locals, rt.registry.registry), params.id);
	if (!alert) error(404, locale === 'vi' ? 'Không có cảnh báo này' : 'No such alert');
	const school = alert.school_id ? rt.registry.school(alert.school_id) : undefined;
	const district = rt.registry.registry.areas.find((a) => a.area_id === alert.district_id);
	const history = await alertHistory(rt.store, alert.id);
	// people by name, the system as itself
	const names: Record<string, string> = {};
	for (const actor of new Set([alert.acked_by, ...history.map((h) => h.actor)]))
		if (actor.startsWith('user:'))
			names[actor] = (await findUser(rt.store, actor.slice(5)))?.name ?? actor;
	return {
		names,
		locale,
		alert,
		school_name: school?.name ?? '',
		district_name: district?.name ?? '',
		history
	};
}) satisfies PageServerLoad;

const act =
	(op: typeof acknowledge) =>
	async ({
		request,
		locals,
		params
	}: {
		request: Request;
		locals: App.Locals;
		params: { id: string };
	}) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const note = String(f.get('note') ?? '').slice(0, 1000);
		if (!ID.test(params.id)) return fail(404, { error: 'unknown' as const });
		try {
			const id = await actionTarget(rt, requestFilter(locals, rt.registry.registry), params.id);
			const t = await op(rt.store, id, `user:${locals.user!.id}`, note);
			await rt.alerts.emitAndReload([t]);
			return { done: t.action };
		} catch (e) {
			if (e instanceof AlertError) return fail(400, { error: e.code });
			throw e;
		}
	};

export const actions = { ack: act(acknowledge), comment: act(comment) } satisfies Actions;
