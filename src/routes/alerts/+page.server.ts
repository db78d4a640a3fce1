import { fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import {
	AlertError,
	acknowledge,
	addSilence,
	alertHistory,
	comment,
	listAlerts,
	resolveByHand
} from '$lib/server/store/alerts';
import { ALERT_STATES, RULE_KINDS, type AlertTransition } from '$lib/shared/alerts';
import type { WallKpis } from '$lib/shared/wall';
import { formatScope } from '$lib/shared/scope';
import { requestFilter } from '$lib/server/auth/request-scope';
import { actionTarget, scopedAlert } from '$lib/server/pages/alerts';
import type { Actions, PageServerLoad } from './$types';

const STATE_FILTERS = ['open', 'all', ...ALERT_STATES] as const;

export const load = (async ({ url, locals }) => {
	const rt = await appRuntime();
	const locale = parseLocale(url.searchParams.get('lang'));
	const reg = rt.registry;
	// a scoped account's console: its area's alerts; another district is as unknown as a wrong id
	const scope = requestFilter(locals, reg.registry);
	const districts = reg
		.areasAt('district')
		.filter((a) => scope.opensDistrict(a.area_id))
		.map((a) => ({ id: a.area_id, name: a.name }));
	// bad filter values fall back to the defaults, and say so
	const problems: string[] = [];
	const state = url.searchParams.get('state') ?? 'open';
	const district = url.searchParams.get('district') ?? '';
	const severity = url.searchParams.get('severity') ?? '';
	if (!(STATE_FILTERS as readonly string[]).includes(state)) problems.push(`state=${state}`);
	if (district && !districts.some((d) => d.id === district)) problems.push(`district=${district}`);
	if (severity && severity !== 'watch' && severity !== 'alert')
		problems.push(`severity=${severity}`);
	const f = {
		state: (STATE_FILTERS as readonly string[]).includes(state) ? state : 'open',
		district: districts.some((d) => d.id === district) ? district : '',
		severity: severity === 'watch' || severity === 'alert' ? severity : ''
	};
	const rows = await listAlerts(rt.store, {
		state:
			f.state === 'open' ? ['firing', 'acknowledged'] : f.state === 'all' ? undefined : [f.state],
		district: f.district || (scope.scope.kind === 'district' ? scope.scope.district : undefined),
		school: scope.scope.kind === 'school' ? scope.scope.school : undefined,
		severity: f.severity || undefined,
		limit: 300
	});
	const kpis = rt.hub.currentFor<WallKpis>('wall.kpis', formatScope(scope.scope));
	const tuple = new Map((kpis?.schools ?? []).map((t) => [t[0], t]));
	const districtName = new Map(reg.areasAt('district').map((d) => [d.area_id, d.name]));
	const alerts = rows.map((a) => {
		const s = a.school_id ? reg.school(a.school_id) : undefined;
		const t = tuple.get(a.school_id);
		return {
			...a,
			school_name: s?.name ?? '',
			district_name: districtName.get(a.district_id) ?? '',
			context: t
				? { status: t[1], attendance: t[2], uptime: t[3], library: t[4], completeness: t[5] }
				: null
		};
	});
	const selected = url.searchParams.get('id');
	const history =
		selected && (await scopedAlert(rt, scope, selected))
			? await alertHistory(rt.store, selected)
			: [];
	return { locale, filters: f, problems, districts, alerts, selected, history };
}) satisfies PageServerLoad;

type Ev = { request: Request; locals: App.Locals };
/** An operator's change: the store records it (history, audit); the console, the wall and NATS hear of it. */
const act =
	(
		op: (
			store: Awaited<ReturnType<typeof appRuntime>>['store'],
			id: string,
			actor: string,
			note: string
		) => Promise<AlertTransition>
	) =>
	async ({ request, locals }: Ev) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const id = String(f.get('id') ?? '').slice(0, 64);
		const note = String(f.get('note') ?? '').slice(0, 1000);
		try {
			// another area's alert is answered as an unknown one
			const target = await actionTarget(rt, requestFilter(locals, rt.registry.registry), id);
			const t = await op(rt.store, target, `user:${locals.user!.id}`, note);
			await rt.alerts.emitAndReload([t]);
			return { done: t.action, id };
		} catch (e) {
			if (e instanceof AlertError) return fail(400, { error: e.code, id });
			throw e;
		}
	};

export const actions = {
	ack: act(acknowledge),
	comment: act(comment),
	resolve: act(resolveByHand),
	silence: async ({ request, locals }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const hours = Number(f.get('hours') ?? 0);
		// this rule at this school, this rule everywhere, or every rule at this school
		const scope = String(f.get('scope') ?? 'both');
		if (!['both', 'rule', 'school'].includes(scope)) return fail(400, { error: 'scope' as const });
		const rule = scope === 'school' ? '' : String(f.get('rule') ?? '').slice(0, 64);
		const school = scope === 'rule' ? '' : String(f.get('school') ?? '').slice(0, 64);
		// a scoped account silences its own schools only: never a rule across the city
		const area = requestFilter(locals, rt.registry.registry);
		if (
			(!rule && !school) ||
			(rule && !(RULE_KINDS as readonly string[]).includes(rule)) ||
			(school && !rt.registry.school(school)) ||
			(school && !area.hasSchool(school)) ||
			(!school && !area.all)
		)
			return fail(400, { error: 'scope' as const });
		if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 14)
			return fail(400, { error: 'hours' as const });
		try {
			await addSilence(rt.store, {
				rule_id: rule,
				school_id: school,
				until: Date.now() + hours * 3_600_000,
				reason: String(f.get('reason') ?? '').slice(0, 500),
				by: `user:${locals.user!.id}`
			});
		} catch (e) {
			if (e instanceof AlertError) return fail(400, { error: e.code });
			throw e;
		}
		return { done: 'silenced' };
	}
} satisfies Actions;
