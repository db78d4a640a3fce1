/**
 * The alert lifecycle in the store. Every transition is one transaction that changes the alert,
 * writes its history line and its audit line, and returns what to publish.
 *
 * - apply(): one evaluation's conditions → new alerts (firing), repeat firings (the same alert:
 *   its count and last time move, nothing new), alerts whose condition cleared (resolved by
 *   'auto'), alerts of a rule turned off (resolved), alerts not acknowledged in time (escalated:
 *   severity alert). Silenced rule × school pairs open nothing new.
 * - acknowledge / comment / resolve: by an operator, with a note.
 */
import {
	DEFAULT_RULES,
	type AlertDetailArgs,
	type Alert,
	type AlertAction,
	type AlertRule,
	type AlertTransition,
	type RuleKind,
	type RuleParams
} from '../../shared/alerts';
import { randomToken } from './secret-token';
import { auditIn } from './audit';
import type { Store } from './open';
import type { DB } from './schema';
import type { Transaction } from 'kysely';

/** A condition that holds now: the rule fires for this school ('' = city-wide). */
export interface Condition {
	rule_id: RuleKind;
	school_id: string;
	district_id: string;
	value: number | null;
	/** in English, for logs and NATS readers */
	detail: string;
	/** the same as a message key and values, rendered in each reader's language */
	args: AlertDetailArgs;
}

export class AlertError extends Error {
	override name = 'AlertError';
	constructor(
		readonly code: 'unknown' | 'state' | 'note',
		message: string
	) {
		super(message);
	}
}

/** The rules, the defaults filled in for any not yet stored. */
export async function listRules(store: Store): Promise<AlertRule[]> {
	const rows = await store.db.selectFrom('alert_rules').selectAll().execute();
	const byId = new Map(rows.map((r) => [r.id, r]));
	return DEFAULT_RULES.map((d) => {
		const r = byId.get(d.id);
		return r
			? {
					id: d.id,
					enabled: r.enabled === 1,
					severity: r.severity,
					params: { ...d.params, ...(JSON.parse(r.params) as RuleParams) }
				}
			: d;
	});
}

export async function saveRule(
	store: Store,
	rule: AlertRule,
	by: string,
	now = Date.now()
): Promise<void> {
	const row = {
		id: rule.id,
		enabled: rule.enabled ? 1 : 0,
		severity: rule.severity,
		params: JSON.stringify(rule.params),
		updated_at: now,
		updated_by: by
	};
	await store.db
		.insertInto('alert_rules')
		.values(row)
		.onConflict((oc) =>
			oc.column('id').doUpdateSet({
				enabled: row.enabled,
				severity: row.severity,
				params: row.params,
				updated_at: now,
				updated_by: by
			})
		)
		.execute();
}

async function history(
	tx: Transaction<DB>,
	alert: Alert,
	action: AlertAction,
	actor: string,
	note: string,
	now: number
): Promise<AlertTransition> {
	await tx
		.insertInto('alert_events')
		.values({ id: randomToken(10), alert_id: alert.id, at: now, action, actor, note })
		.execute();
	await auditIn(
		tx,
		{
			actor,
			action: `alert.${action}`,
			target: `alert:${alert.id}`,
			detail: { rule: alert.rule_id, school: alert.school_id, note }
		},
		now
	);
	return { action, at: now, actor, note, alert };
}

const get = (tx: Transaction<DB>, id: string) =>
	tx.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();

/** Resolved by the system (its condition cleared, or its rule was turned off), with the reason. */
async function autoResolve(tx: Transaction<DB>, id: string, note: string, now: number) {
	await tx
		.updateTable('alerts')
		.set({ state: 'resolved', resolved_at: now, resolved_by: 'auto', resolve_note: note })
		.where('id', '=', id)
		.execute();
	return history(tx, (await get(tx, id))!, 'resolved', 'system', note, now);
}

/** Whether a rule × school is silenced at `now`. */
export function silenced(
	silences: { rule_id: string; school_id: string; until: number }[],
	c: { rule_id: string; school_id: string },
	now: number
): boolean {
	return silences.some(
		(s) =>
			s.until > now &&
			(s.rule_id === '' || s.rule_id === c.rule_id) &&
			(s.school_id === '' || s.school_id === c.school_id)
	);
}

/** Apply one evaluation: `conditions` are all that hold now for the `evaluated` rules. */
export async function applyEvaluation(
	store: Store,
	rules: readonly AlertRule[],
	evaluated: readonly RuleKind[],
	conditions: readonly Condition[],
	now = Date.now()
): Promise<AlertTransition[]> {
	return store.db.transaction().execute(async (tx) => {
		const out: AlertTransition[] = [];
		const rule = new Map(rules.map((r) => [r.id, r]));
		const open = await tx
			.selectFrom('alerts')
			.selectAll()
			.where('state', '!=', 'resolved')
			.execute();
		const openBy = new Map(open.map((a) => [`${a.rule_id}|${a.school_id}`, a]));
		const silences = await tx.selectFrom('silences').selectAll().where('until', '>', now).execute();
		const holding = new Set<string>();
		for (const c of conditions) {
			const key = `${c.rule_id}|${c.school_id}`;
			if (holding.has(key)) continue;
			holding.add(key);
			const a = openBy.get(key);
			if (a) {
				// the same alert fires again: counted, not duplicated
				await tx
					.updateTable('alerts')
					.set({
						last_fired_at: now,
						fired_count: a.fired_count + 1,
						value: c.value,
						detail: c.detail,
						detail_args: JSON.stringify(c.args)
					})
					.where('id', '=', a.id)
					.execute();
				continue;
			}
			if (silenced(silences, c, now)) continue;
			const alert: Alert = {
				id: randomToken(10),
				rule_id: c.rule_id,
				school_id: c.school_id,
				district_id: c.district_id,
				state: 'firing',
				severity: rule.get(c.rule_id)?.severity ?? 'watch',
				opened_at: now,
				last_fired_at: now,
				fired_count: 1,
				value: c.value,
				detail: c.detail,
				acked_by: '',
				acked_at: 0,
				ack_note: '',
				resolved_at: 0,
				resolved_by: '',
				resolve_note: '',
				escalated_at: 0,
				detail_args: JSON.stringify(c.args)
			};
			await tx.insertInto('alerts').values(alert).execute();
			out.push(await history(tx, alert, 'fired', 'system', c.detail, now));
		}
		for (const a of open) {
			const key = `${a.rule_id}|${a.school_id}`;
			// a rule turned off closes what it opened
			if (rule.get(a.rule_id)?.enabled === false) {
				out.push(await autoResolve(tx, a.id, 'the rule was turned off', now));
				continue;
			}
			// a rule not evaluated this time (disabled, or outside its hours) leaves its alerts as they are
			if (!evaluated.includes(a.rule_id) || holding.has(key)) {
				const after = rule.get(a.rule_id)?.params.escalate_after_min ?? 0;
				if (
					holding.has(key) &&
					a.state === 'firing' &&
					!a.escalated_at &&
					after > 0 &&
					now - a.opened_at >= after * 60_000
				) {
					await tx
						.updateTable('alerts')
						.set({ escalated_at: now, severity: 'alert' })
						.where('id', '=', a.id)
						.execute();
					out.push(
						await history(
							tx,
							(await get(tx, a.id))!,
							'escalated',
							'system',
							`not acknowledged within ${after} min`,
							now
						)
					);
				}
				continue;
			}
			out.push(await autoResolve(tx, a.id, 'the condition cleared', now));
		}
		return out;
	});
}

async function change(
	store: Store,
	id: string,
	actor: string,
	note: string,
	action: 'acknowledged' | 'commented' | 'resolved',
	now: number
): Promise<AlertTransition> {
	const text = note.trim().slice(0, 1000);
	if (action !== 'acknowledged' && !text) throw new AlertError('note', 'write a note');
	return store.db.transaction().execute(async (tx) => {
		const a = await get(tx, id);
		if (!a) throw new AlertError('unknown', `no alert ${id}`);
		if (a.state === 'resolved') throw new AlertError('state', 'this alert is already resolved');
		if (action === 'acknowledged') {
			if (a.state !== 'firing') throw new AlertError('state', 'this alert is already acknowledged');
			await tx
				.updateTable('alerts')
				.set({ state: 'acknowledged', acked_by: actor, acked_at: now, ack_note: text })
				.where('id', '=', id)
				.execute();
		}
		if (action === 'resolved')
			await tx
				.updateTable('alerts')
				.set({ state: 'resolved', resolved_by: actor, resolved_at: now, resolve_note: text })
				.where('id', '=', id)
				.execute();
		return history(tx, (await get(tx, id))!, action, actor, text, now);
	});
}

export const acknowledge = (
	store: Store,
	id: string,
	actor: string,
	note: string,
	now = Date.now()
) => change(store, id, actor, note, 'acknowledged', now);
export const comment = (store: Store, id: string, actor: string, note: string, now = Date.now()) =>
	change(store, id, actor, note, 'commented', now);
export const resolveByHand = (
	store: Store,
	id: string,
	actor: string,
	note: string,
	now = Date.now()
) => change(store, id, actor, note, 'resolved', now);

/** Silence a rule ('' = all) at a school ('' = all) until `until`, with a reason. */
export async function addSilence(
	store: Store,
	s: { rule_id: string; school_id: string; until: number; reason: string; by: string },
	now = Date.now()
): Promise<string> {
	if (!s.reason.trim()) throw new AlertError('note', 'say why');
	const id = randomToken(10);
	await store.db.transaction().execute(async (tx) => {
		await tx
			.insertInto('silences')
			.values({
				id,
				rule_id: s.rule_id,
				school_id: s.school_id,
				until: s.until,
				reason: s.reason.trim().slice(0, 500),
				created_by: s.by,
				created_at: now
			})
			.execute();
		await auditIn(
			tx,
			{
				actor: s.by,
				action: 'alert.silence',
				target: `rule:${s.rule_id || '*'}|school:${s.school_id || '*'}`,
				detail: { until: s.until, reason: s.reason }
			},
			now
		);
	});
	return id;
}

export async function listAlerts(
	store: Store,
	f: {
		state?: string[];
		district?: string;
		/** one school's alerts only (a school-scoped account's) */
		school?: string;
		severity?: string;
		limit?: number;
	} = {}
) {
	let q = store.db.selectFrom('alerts').selectAll();
	if (f.state?.length) q = q.where('state', 'in', f.state as Alert['state'][]);
	if (f.district) q = q.where('district_id', '=', f.district);
	if (f.school) q = q.where('school_id', '=', f.school);
	if (f.severity) q = q.where('severity', '=', f.severity as Alert['severity']);
	// newest first; one evaluation opens many at once: then by school, so the order is stable
	return q
		.orderBy('opened_at', 'desc')
		.orderBy('severity')
		.orderBy('school_id')
		.orderBy('id')
		.limit(f.limit ?? 500)
		.execute();
}

/** One alert by id, or undefined. */
export function getAlert(store: Store, id: string) {
	return store.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function alertHistory(store: Store, id: string) {
	return store.db
		.selectFrom('alert_events')
		.selectAll()
		.where('alert_id', '=', id)
		.orderBy('at')
		.execute();
}
