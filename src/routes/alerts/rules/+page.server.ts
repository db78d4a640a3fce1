import { fail } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/dictionary';
import { appRuntime } from '$lib/server/app-runtime';
import { audit } from '$lib/server/store/audit';
import { listRules, saveRule } from '$lib/server/store/alerts';
import { RULE_KINDS, type RuleKind, type RuleParams } from '$lib/shared/alerts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const rt = await appRuntime();
	return {
		locale: parseLocale(url.searchParams.get('lang')),
		rules: await listRules(rt.store),
		health: rt.alerts.health()
	};
}) satisfies PageServerLoad;

/** Each parameter's bounds: a value outside them names itself. */
const BOUNDS: Record<keyof RuleParams, [number, number] | 'time'> = {
	after: 'time',
	below: [0, 1],
	minutes: [1, 24 * 60],
	over: [0, 1_000_000],
	sync_hours: [1, 24 * 30],
	escalate_after_min: [0, 24 * 60]
};

export const actions = {
	/** Save one rule, then evaluate at once so the change shows now, not at the next run. */
	save: async ({ request, locals, getClientAddress }) => {
		const rt = await appRuntime();
		const f = await request.formData();
		const id = String(f.get('id') ?? '') as RuleKind;
		if (!RULE_KINDS.includes(id)) return fail(400, { error: `rule "${id}"` });
		const current = (await listRules(rt.store)).find((r) => r.id === id)!;
		const params: RuleParams = { ...current.params };
		for (const key of Object.keys(current.params) as (keyof RuleParams)[]) {
			const raw = String(f.get(key) ?? '').trim();
			const b = BOUNDS[key];
			if (b === 'time') {
				if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(raw))
					return fail(400, { error: `${key}=${raw}`, id });
				params.after = raw;
				continue;
			}
			const v = Number(raw);
			if (raw === '' || !Number.isFinite(v) || v < b[0] || v > b[1])
				return fail(400, { error: `${key}=${raw} (${b[0]}–${b[1]})`, id });
			(params as Record<string, number>)[key] = v;
		}
		const severity = f.get('severity') === 'alert' ? 'alert' : 'watch';
		const rule = { id, enabled: f.get('enabled') === 'on', severity, params } as const;
		await saveRule(rt.store, rule, `user:${locals.user!.id}`);
		await audit(rt.store, {
			actor: `user:${locals.user!.id}`,
			action: 'alert.rule',
			target: `rule:${id}`,
			detail: { enabled: rule.enabled, severity, params },
			ip: getClientAddress()
		});
		const ts = await rt.alerts.evaluate();
		return { saved: id, transitions: ts.length };
	}
} satisfies Actions;
