/**
 * What a district's weekly digest says, as data: the week's KPIs against the week before, the
 * schools that need attention, the week's alerts and the gaps in the sector data. The figures are
 * the district page's (`districtView` over the same custom range with compare on), so the mail and
 * the page it links to agree; the alerts come from the alert store.
 */
import type { Alert, AlertSeverity, RuleKind } from '../../shared/alerts';
import {
	KPI_IDS,
	SYNC_OVERDUE_MS,
	THRESHOLDS,
	statusOf,
	type KpiId,
	type Status
} from '../../shared/kpi';
import type { DistrictView, SchoolRow } from '../../shared/drill';
import { weekDays } from '../../shared/digest';

/** Schools listed per KPI (attention) and per gap; the page has the rest. */
export const DIGEST_ROWS = 5;
/** Open alerts listed by name. */
export const DIGEST_ALERTS = 10;
/** A drop from the week before worth a mention, in ratio points (5 percentage points). */
export const DROP = 0.05;
/** The KPIs whose schools are ranked under "attention"; completeness has its own section. */
export const ATTENTION_KPIS = [
	'attendance',
	'uptime',
	'library'
] as const satisfies readonly KpiId[];

export interface DigestKpi {
	kpi: KpiId;
	value: number | null;
	prev: number | null;
	/** value − prev; null when either is missing ("no data to compare") */
	delta: number | null;
	status: Status;
}

export interface AttentionRow {
	school_id: string;
	name: string;
	value: number | null;
	prev: number | null;
	delta: number | null;
	reason: 'alert' | 'watch' | 'drop';
}

export interface DigestAlert {
	id: string;
	rule_id: RuleKind;
	school_id: string;
	school_name: string;
	severity: AlertSeverity;
	/** at the end of the week */
	state: 'firing' | 'acknowledged';
	opened_at: number;
	detail: string;
	detail_args: string;
}

export interface GapRow {
	school_id: string;
	name: string;
	value?: number | null;
	/** last sync to the department (ms), null: never */
	last_sync?: number | null;
}

export interface Digest {
	district: { id: string; name: string; name_en: string };
	/** the week's Monday (local day number) and its days, and the week before's */
	monday: number;
	from: string;
	to: string;
	prev_from: string;
	prev_to: string;
	total_schools: number;
	status_counts: Record<Status, number>;
	kpis: DigestKpi[];
	attention: { kpi: KpiId; rows: AttentionRow[]; more: number }[];
	alerts: {
		fired: number;
		escalated: number;
		acknowledged: number;
		resolved: number;
		open: number;
		/** the open ones, most severe and oldest first, at most DIGEST_ALERTS */
		list: DigestAlert[];
	};
	gaps: {
		below: { rows: GapRow[]; more: number };
		overdue: { rows: GapRow[]; more: number };
		silent: { rows: GapRow[]; more: number };
	};
}

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'vi');
const cut = <T>(rows: T[]) => ({
	rows: rows.slice(0, DIGEST_ROWS),
	more: Math.max(0, rows.length - DIGEST_ROWS)
});

/** The schools of a KPI worth a look: below a threshold (lowest first), then the sharpest drops. */
function attentionOf(kpi: KpiId, rows: readonly SchoolRow[]): AttentionRow[] {
	const out: AttentionRow[] = [];
	const row = (r: SchoolRow, reason: AttentionRow['reason']): AttentionRow => ({
		school_id: r.school_id,
		name: r.name,
		value: r.values[kpi],
		prev: r.prev?.[kpi] ?? null,
		delta: delta(r.values[kpi], r.prev?.[kpi] ?? null),
		reason
	});
	const low = rows
		.filter(
			(r) => r.values[kpi] !== null && ['alert', 'watch'].includes(statusOf(kpi, r.values[kpi]))
		)
		.sort((a, b) => a.values[kpi]! - b.values[kpi]! || byName(a, b));
	for (const r of low) out.push(row(r, statusOf(kpi, r.values[kpi]) as 'alert' | 'watch'));
	const listed = new Set(out.map((r) => r.school_id));
	const drops = rows
		.map((r) => row(r, 'drop'))
		.filter((r) => !listed.has(r.school_id) && r.delta !== null && r.delta <= -DROP)
		.sort((a, b) => a.delta! - b.delta! || byName(a, b));
	return [...out, ...drops];
}

/** The digest of a district's week from its view (custom range of the week, compare on) and alerts. */
export function digestOf(
	view: DistrictView,
	alerts: readonly Alert[],
	w: { monday: number; from: number; to: number },
	schoolName: (id: string) => string
): Digest {
	const days = weekDays(w.monday);
	const prev = weekDays(w.monday - 7);
	const kpis = KPI_IDS.map((kpi) => {
		const value = view.values[kpi];
		const p = view.prev?.[kpi] ?? null;
		return { kpi, value, prev: p, delta: delta(value, p), status: statusOf(kpi, value) };
	});
	const attention = ATTENTION_KPIS.map((kpi) => {
		const all = attentionOf(kpi, view.schools);
		return { kpi, ...cut(all) };
	});

	const inWeek = (t: number) => t >= w.from && t < w.to;
	const openAtEnd = alerts.filter(
		(a) => a.opened_at < w.to && (a.resolved_at === 0 || a.resolved_at >= w.to)
	);
	const rank = (s: AlertSeverity) => (s === 'alert' ? 0 : 1);
	const list = openAtEnd
		.map((a): DigestAlert => ({
			id: a.id,
			rule_id: a.rule_id,
			school_id: a.school_id,
			school_name: a.school_id ? schoolName(a.school_id) : '',
			severity: a.severity,
			// as it stood when the week ended: an acknowledgement on Monday morning does not count yet
			state: a.acked_at && a.acked_at < w.to ? 'acknowledged' : 'firing',
			opened_at: a.opened_at,
			detail: a.detail,
			detail_args: a.detail_args
		}))
		.sort(
			(a, b) =>
				rank(a.severity) - rank(b.severity) ||
				(a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) ||
				a.opened_at - b.opened_at ||
				a.id.localeCompare(b.id)
		);

	const weekEnd = w.to;
	const below = view.schools
		.filter(
			(r) =>
				r.values.completeness !== null && r.values.completeness < THRESHOLDS.completeness.target
		)
		.map((r) => ({ school_id: r.school_id, name: r.name, value: r.values.completeness }))
		.sort((a, b) => a.value! - b.value! || byName(a, b));
	const overdue = view.schools
		.map((r) => ({
			school_id: r.school_id,
			name: r.name,
			last_sync: r.last_sync_department ? Date.parse(r.last_sync_department) : null
		}))
		.filter((r) => r.last_sync === null || weekEnd - r.last_sync > SYNC_OVERDUE_MS)
		.sort((a, b) => (a.last_sync ?? 0) - (b.last_sync ?? 0) || byName(a, b));
	const silent = view.schools
		.filter((r) => r.status === 'nodata')
		.map((r) => ({ school_id: r.school_id, name: r.name }))
		.sort(byName);

	return {
		district: { id: view.district.id, name: view.district.name, name_en: view.district.name_en },
		monday: w.monday,
		from: days.from,
		to: days.to,
		prev_from: prev.from,
		prev_to: prev.to,
		total_schools: view.total_schools,
		status_counts: view.status_counts,
		kpis,
		attention,
		alerts: {
			fired: alerts.filter((a) => inWeek(a.opened_at)).length,
			escalated: alerts.filter((a) => a.escalated_at && inWeek(a.escalated_at)).length,
			acknowledged: alerts.filter((a) => a.acked_at && inWeek(a.acked_at)).length,
			resolved: alerts.filter((a) => a.resolved_at && inWeek(a.resolved_at)).length,
			open: openAtEnd.length,
			list: list.slice(0, DIGEST_ALERTS)
		},
		gaps: { below: cut(below), overdue: cut(overdue), silent: cut(silent) }
	};
}
