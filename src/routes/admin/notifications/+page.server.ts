/**
 * The notification console for admins: webhooks (the signing secret shown once), the escalation
 * contacts of each district, the weekly digests (the last week's sent now for a district), and the
 * delivery log with what failed and why (a failed delivery can be sent again).
 */
import { fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import {
	createWebhook,
	deleteWebhook,
	deliveryCounts,
	escalationContacts,
	listDeliveries,
	listWebhooks,
	retryDelivery,
	setEscalationContacts,
	setWebhookEnabled
} from '$lib/server/store/notify';
import { listUsers } from '$lib/server/store/users';
import {
	CHANNELS,
	DELIVERY_STATES,
	checkWebhook,
	type Channel,
	type DeliveryState
} from '$lib/shared/notify';
import { DIGEST_HOUR, parseDigestEventId, weekDays, weekSearch } from '$lib/shared/digest';
import type { Actions, PageServerLoad } from './$types';

/** `YYYY-MM-DD` → `DD/MM/YYYY` */
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** A digest's line in the delivery log: its district and week, and the district page for that week. */
function digestOf(eventId: string) {
	const d = parseDigestEventId(eventId);
	if (!d) return null;
	const { from, to } = weekDays(d.monday);
	return {
		district: d.district,
		from: dmy(from),
		to: dmy(to),
		href: `/districts/${d.district}${weekSearch(d.monday, 'vi')}`
	};
}

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	const locale = parseLocale(url.searchParams.get('lang'));
	const state = url.searchParams.get('state') ?? '';
	const channel = url.searchParams.get('channel') ?? '';
	const problems = [
		...(state && !(DELIVERY_STATES as readonly string[]).includes(state) ? [`state=${state}`] : []),
		...(channel && !(CHANNELS as readonly string[]).includes(channel) ? [`channel=${channel}`] : [])
	];
	const filters = {
		state: (DELIVERY_STATES as readonly string[]).includes(state)
			? (state as DeliveryState)
			: undefined,
		channel: (CHANNELS as readonly string[]).includes(channel) ? (channel as Channel) : undefined
	};
	const [hooks, users, escalation, deliveries, counts] = await Promise.all([
		listWebhooks(rt.store),
		listUsers(rt.store),
		escalationContacts(rt.store),
		listDeliveries(rt.store, { ...filters, limit: 200 }),
		deliveryCounts(rt.store)
	]);
	return {
		locale,
		problems,
		filters,
		districts: rt.registry.areasAt('district').map((a) => ({ id: a.area_id, name: a.name })),
		// the secret never leaves the server after its creation
		webhooks: hooks.map(({ secret: _, ...h }) => h),
		users: users
			.filter((u) => !u.disabled)
			.map((u) => ({ id: u.id, name: u.name, email: u.email })),
		escalation: Object.fromEntries(escalation),
		deliveries: deliveries.map(({ message: _, ...d }) => ({
			...d,
			digest: d.action === 'digest' ? digestOf(d.event_id) : null
		})),
		digest: (() => {
			const w = weekDays(rt.digest.lastWeek());
			return { hour: DIGEST_HOUR, from: dmy(w.from), to: dmy(w.to) };
		})(),
		counts,
		emailOn: !!rt.cfg.notify.smtpUrl
	};
}) satisfies PageServerLoad;

const actor = (l: App.Locals) => `user:${l.user!.id}`;

export const actions = {
	webhook: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const r = checkWebhook(
			{
				label: String(f.get('label') ?? '').slice(0, 200),
				url: String(f.get('url') ?? '').slice(0, 1000),
				districts: f.getAll('districts').map((v) => String(v).slice(0, 100)),
				severities: f.getAll('severities').map((v) => String(v).slice(0, 20)) as (
					'watch' | 'alert'
				)[],
				on_resolve: f.get('on_resolve') === 'on'
			},
			new Set(rt.registry.areasAt('district').map((a) => a.area_id))
		);
		if (!r.ok) return fail(400, { errors: r.errors });
		const hook = await createWebhook(rt.store, r.value, actor(locals));
		return { created: { id: hook.id, label: hook.label, secret: hook.secret } };
	},
	toggle: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const ok = await setWebhookEnabled(
			rt.store,
			String(f.get('id') ?? '').slice(0, 64),
			f.get('enabled') === '1',
			actor(locals)
		);
		return ok
			? { done: 'toggle' }
			: fail(404, { errors: [{ field: 'id', message: 'no such webhook' }] });
	},
	delete: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const ok = await deleteWebhook(rt.store, String(f.get('id') ?? '').slice(0, 64), actor(locals));
		return ok
			? { done: 'delete' }
			: fail(404, { errors: [{ field: 'id', message: 'no such webhook' }] });
	},
	escalation: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const district = String(f.get('district') ?? '');
		if (!rt.registry.areasAt('district').some((a) => a.area_id === district))
			return fail(400, {
				errors: [{ field: 'district', message: `unknown district "${district.slice(0, 60)}"` }]
			});
		const known = new Set((await listUsers(rt.store)).map((u) => u.id));
		const ids = f.getAll('users').map(String);
		const unknown = ids.find((u) => !known.has(u));
		if (unknown)
			return fail(400, {
				errors: [{ field: 'users', message: `unknown account "${unknown.slice(0, 60)}"` }]
			});
		await setEscalationContacts(rt.store, district, ids, actor(locals));
		return { done: 'escalation' };
	},
	digest: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const district = String(f.get('district') ?? '').slice(0, 100);
		const r = await rt.digest.sendNow(district, actor(locals));
		return r
			? { digest: { added: r.added } }
			: fail(400, { errors: [{ field: 'district', message: `unknown district "${district}"` }] });
	},
	retry: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const ok = await retryDelivery(
			rt.store,
			String(f.get('id') ?? '').slice(0, 300),
			actor(locals)
		);
		if (ok) void rt.notify.tick();
		return ok
			? { done: 'retry' }
			: fail(400, { errors: [{ field: 'id', message: 'not a failed delivery' }] });
	}
} satisfies Actions;
