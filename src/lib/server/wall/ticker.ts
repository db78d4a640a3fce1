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
	ingest_lagging: 'watch'
};

export function tickerItems(i: TickerInput): TickerItem[] {
	const items: TickerItem[] = [];
	const last = i.health.ingest.last_event_at;
	const streamDown = last === null || i.now - Date.parse(last) > i.staleAfterS * 1000;
	// alerts not yet acknowledged come first, each with its school; acknowledged ones as one count
	const firing = (i.alerts ?? []).filter((a) => a.state === 'firing');
	for (const a of firing.slice(0, 5))
		items.push({ id: `alert:${a.id}`, severity: a.severity, key: 'ticker.alert', params: { rule: a.rule_id, school: a.school_id ? i.schoolName(a.school_id) : '' }, since: new Date(a.opened_at).toISOString() });
	if (firing.length > 5) items.push({ id: 'alerts_more', severity: 'alert', key: 'ticker.alerts_more', params: { n: firing.length - 5 }, since: null });
	const acked = (i.alerts ?? []).length - firing.length;
	if (acked > 0) items.push({ id: 'alerts_acked', severity: 'info', key: 'ticker.alerts_acked', params: { n: acked }, since: null });
	if (streamDown) items.push({ id: 'stream_down', severity: 'alert', key: 'ticker.stream_down', params: {}, since: last });
	for (const p of i.health.problems)
		if (!(streamDown && p === 'no_events_10_min')) items.push({ id: `problem:${p}`, severity: PROBLEM_SEVERITY[p] ?? 'watch', key: `ticker.problem.${p}`, params: {}, since: null });
	if (!streamDown)
		for (const kind of TELEMETRY_KINDS) {
			const cadence = KIND_CADENCE_S[kind];
			const at = i.health.ingest.last_event_at_by_kind[kind];
			if (cadence === null || !at) continue;
			const silentFor = i.now - Date.parse(at);
			if (silentFor > (cadence + i.staleAfterS) * 1000 && i.inSchoolHours(i.now))
				items.push({ id: `silent:${kind}`, severity: 'watch', key: 'ticker.kind_silent', params: { kind }, since: at });
		}
	if (i.rejects5m > 0) items.push({ id: 'rejects', severity: 'watch', key: 'ticker.rejects', params: { n: i.rejects5m }, since: null });
	if (i.kpis) {
		const alert = i.kpis.schools.filter((s) => s[1] === 'alert');
		if (alert.length)
			items.push({
				id: 'schools_alert',
				severity: 'alert',
				key: 'ticker.schools_alert',
				params: { n: alert.length, names: alert.slice(0, 3).map((s) => i.schoolName(s[0])).join(' · ') },
				since: null
			});
		const silent = i.kpis.schools.filter((s) => s[1] === 'nodata').length;
		if (silent && i.inSchoolHours(i.now)) items.push({ id: 'schools_nodata', severity: 'watch', key: 'ticker.schools_nodata', params: { n: silent }, since: null });
	}
	if (i.health.feed_backfilling) items.push({ id: 'backfilling', severity: 'info', key: 'ticker.backfilling', params: {}, since: null });
	if (i.health.source === 'embedded-feed') items.push({ id: 'embedded', severity: 'info', key: 'ticker.embedded_feed', params: {}, since: null });
	return items;
}
