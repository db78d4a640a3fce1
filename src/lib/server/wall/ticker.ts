/**
 * The wall's ticker until the alert workflow lands: ingest problems, a stream that stopped,
 * a kind of data gone silent in school hours, rejects, and schools on alert or silent.
 * Items carry an i18n key and parameters; the page words them.
 */
import { TELEMETRY_KINDS } from '../../shared/contract';
import type { Health } from '../../shared/health';
import { KIND_CADENCE_S, type OpenAlert, type TickerItem, type WallKpis } from '../../shared/wall';

export interface TickerInput {
	now: number;
	health: Health;
	staleAfterS: number;
	rejects5m: number;
	kpis: WallKpis | null;
	/** open alerts (the alert workflow), newest first */
	alerts?: readonly OpenAlert[];
	/** true when some school is in its school hours at `t` */
	inSchoolHours: (t: number) => boolean;
	schoolName: (id: string) => string;
}

const PROBLEM_SEVERITY: Record<string, TickerItem['severity']> = {
	registry_empty: 'alert',
	ingest_not_reporting: 'alert',
	no_events_10_min: 'alert',
	ingest_lagging: 'watch',
	rollups_differ: 'watch'
};

export function tickerItems(i: TickerInput): TickerItem[] {
	const items: TickerItem[] = [];
	const last = i.health.ingest.last_event_at;
	const streamDown = last === null || i.now - Date.parse(last) > i.staleAfterS * 1000;
	// alerts not yet acknowledged come first: one item per rule (a wall is read from afar), urgent
	// rules first, with how many schools and the first of them; acknowledged ones as one count
	const firing = (i.alerts ?? []).filter((a) => a.state === 'firing');
	const byRule = new Map<string, OpenAlert[]>();
	for (const a of firing) byRule.set(a.rule_id, [...(byRule.get(a.rule_id) ?? []), a]);
	const rules = [...byRule.values()].sort(
		(a, b) =>
			Number(b.some((x) => x.severity === 'alert')) -
				Number(a.some((x) => x.severity === 'alert')) || b.length - a.length
	);
	for (const list of rules) {
		const first = list[0];
		const where = first.school_id ? i.schoolName(first.school_id) : '';
		items.push({
			id: `alerts:${first.rule_id}`,
			severity: list.some((a) => a.severity === 'alert') ? 'alert' : 'watch',
			key: !first.school_id
				? 'ticker.alert_city'
				: list.length > 1
					? 'ticker.alerts_rule'
					: 'ticker.alert',
			params: { rule: first.rule_id, school: where, n: list.length },
			since: new Date(Math.min(...list.map((a) => a.opened_at))).toISOString()
		});
	}
	const acked = (i.alerts ?? []).length - firing.length;
	if (acked > 0)
		items.push({
			id: 'alerts_acked',
			severity: 'info',
			key: 'ticker.alerts_acked',
			params: { n: acked },
			since: null
		});
	if (streamDown)
		items.push({
			id: 'stream_down',
			severity: 'alert',
			key: 'ticker.stream_down',
			params: {},
			since: last
		});
	for (const p of i.health.problems)
		if (!(streamDown && p === 'no_events_10_min'))
			items.push({
				id: `problem:${p}`,
				severity: PROBLEM_SEVERITY[p] ?? 'watch',
				key: `ticker.problem.${p}`,
				params: {},
				since: null
			});
	if (!streamDown)
		for (const kind of TELEMETRY_KINDS) {
			const cadence = KIND_CADENCE_S[kind];
			const at = i.health.ingest.last_event_at_by_kind[kind];
			if (cadence === null || !at) continue;
			const silentFor = i.now - Date.parse(at);
			if (silentFor > (cadence + i.staleAfterS) * 1000 && i.inSchoolHours(i.now))
				items.push({
					id: `silent:${kind}`,
					severity: 'watch',
					key: 'ticker.kind_silent',
					params: { kind },
					since: at
				});
		}
	if (i.rejects5m > 0)
		items.push({
			id: 'rejects',
			severity: 'watch',
			key: 'ticker.rejects',
			params: { n: i.rejects5m },
			since: null
		});
	if (i.kpis) {
		const alert = i.kpis.schools.filter((s) => s[1] === 'alert');
		if (alert.length)
			items.push({
				id: 'schools_alert',
				severity: 'alert',
				key: 'ticker.schools_alert',
				params: {
					n: alert.length,
					names: alert
						.slice(0, 3)
						.map((s) => i.schoolName(s[0]))
						.join(' · ')
				},
				since: null
			});
		const silent = i.kpis.schools.filter((s) => s[1] === 'nodata').length;
		if (silent && i.inSchoolHours(i.now))
			items.push({
				id: 'schools_nodata',
				severity: 'watch',
				key: 'ticker.schools_nodata',
				params: { n: silent },
				since: null
			});
	}
	if (i.health.feed_backfilling)
		items.push({
			id: 'backfilling',
			severity: 'info',
			key: 'ticker.backfilling',
			params: {},
			since: null
		});
	if (i.health.source === 'embedded-feed')
		items.push({
			id: 'embedded',
			severity: 'info',
			key: 'ticker.embedded_feed',
			params: {},
			since: null
		});
	return items;
}
