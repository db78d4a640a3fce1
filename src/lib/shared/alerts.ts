/**
 * The alert workflow's shared shapes: rule kinds with their parameters and defaults, states and
 * transitions. An alert is one rule at one school (city-wide rules use school ''): repeat firings
 * update it, never duplicate it.
 *
 *   firing ──acknowledge (who, when, note)──▶ acknowledged ──▶ resolved
 *      └──────────── resolved: the condition cleared (auto), or by hand with a note ───────┘
 */
export const ALERT_STATES = ['firing', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type AlertSeverity = 'watch' | 'alert';

export const RULE_KINDS = [
	'attendance_missing',
	'attendance_low',
	'uptime_low',
	'school_silent',
	'library_silent',
	'completeness_low',
	'rejects_spike'
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface RuleParams {
	/** attendance: from this local time on a school day (HH:MM) */
	after?: string;
	/** a ratio (0–1) under which the rule fires */
	below?: number;
	/** a window in minutes */
	minutes?: number;
	/** a count over which the rule fires */
	over?: number;
	/** sync overdue after this many hours */
	sync_hours?: number;
	/** not acknowledged within this many minutes: escalated (0: never) */
	escalate_after_min?: number;
}

export interface AlertRule {
	id: RuleKind;
	enabled: boolean;
	severity: AlertSeverity;
	params: RuleParams;
}

/** The rules a new store starts with (admins change them on /alerts/rules). */
export const DEFAULT_RULES: readonly AlertRule[] = [
	{
		id: 'attendance_missing',
		enabled: true,
		severity: 'alert',
		params: { after: '09:00', escalate_after_min: 30 }
	},
	{
		id: 'attendance_low',
		enabled: true,
		severity: 'watch',
		params: { after: '09:30', below: 0.85, escalate_after_min: 60 }
	},
	{
		id: 'uptime_low',
		enabled: true,
		severity: 'watch',
		params: { below: 0.8, minutes: 15, escalate_after_min: 30 }
	},
	{
		id: 'school_silent',
		enabled: true,
		severity: 'alert',
		params: { minutes: 20, escalate_after_min: 15 }
	},
	{
		id: 'library_silent',
		enabled: true,
		severity: 'watch',
		params: { minutes: 60, escalate_after_min: 0 }
	},
	{
		id: 'completeness_low',
		enabled: true,
		severity: 'watch',
		params: { below: 0.9, sync_hours: 48, escalate_after_min: 0 }
	},
	{
		id: 'rejects_spike',
		enabled: true,
		severity: 'alert',
		params: { minutes: 5, over: 50, escalate_after_min: 15 }
	}
];

export interface Alert {
	id: string;
	rule_id: RuleKind;
	/** '' for a city-wide rule */
	school_id: string;
	district_id: string;
	state: AlertState;
	severity: AlertSeverity;
	opened_at: number;
	last_fired_at: number;
	fired_count: number;
	/** the measured value when it last fired, and what it means */
	value: number | null;
	detail: string;
	acked_by: string;
	acked_at: number;
	ack_note: string;
	resolved_at: number;
	resolved_by: string;
	resolve_note: string;
	escalated_at: number;
	/** the detail as a message key and its values (JSON AlertDetailArgs; '' before it was kept) */
	detail_args: string;
}

/** What an alert's detail says, per rule, as a message key (i18n `alert.detail.<key>`) and its values. */
export const DETAIL_KEYS = [
	'attendance_missing',
	'attendance_low',
	'uptime_low',
	'silent_since',
	'silent_for',
	'library_silent',
	'completeness_low',
	'completeness_overdue',
	'rejects_spike'
] as const;
export type DetailKey = (typeof DETAIL_KEYS)[number];

/** Ratios are 0–1 (rendered as percentages), times epoch ms, the rest plain numbers or text. */
export interface AlertDetailArgs {
	key: DetailKey;
	p: Record<string, number | string>;
}

/** Parse a stored detail_args, or null (an older alert, or a damaged value). */
export function detailArgsOf(raw: string): AlertDetailArgs | null {
	if (!raw) return null;
	try {
		const v = JSON.parse(raw) as AlertDetailArgs;
		return (DETAIL_KEYS as readonly string[]).includes(v?.key) && typeof v.p === 'object'
			? v
			: null;
	} catch {
		return null;
	}
}

export type AlertAction = 'fired' | 'acknowledged' | 'commented' | 'resolved' | 'escalated';

/** A change of an alert, as published (NATS `edu.v1.alerts.<state>.<district>.<school>`, the wall, the console). */
export interface AlertTransition {
	action: AlertAction;
	at: number;
	actor: string;
	note: string;
	alert: Alert;
}

/** The NATS subject of a transition: its state after the change, the district and the school ('city' when none). */
export function alertSubject(t: AlertTransition): string {
	const state = t.action === 'escalated' ? 'escalated' : t.alert.state;
	const part = (v: string) => (v ? v.replace(/[^A-Za-z0-9_-]/g, '_') : 'city');
	return `edu.v1.alerts.${state}.${part(t.alert.district_id)}.${part(t.alert.school_id)}`;
}
