/** What the wall receives: the live topics' payloads, shared by the server, the page and the tests. */
import type { Alert } from './alerts';
import type { TelemetryKind } from './contract';
import type { Health } from './health';
import type { AreaCounts, KpiId, Status } from './kpi';

/** One school on the map, compact: [id, status, attendance, uptime, library index, completeness]. */
export type SchoolTuple = [
	id: string,
	status: Status,
	attendance: number | null,
	uptime: number | null,
	library: number | null,
	completeness: number | null
];

export type KpiValues = Record<KpiId, number | null>;

export interface AreaSummary {
	values: KpiValues;
	/** the comparison values: previous school day (attendance), same window yesterday (uptime, library), before today's syncs (completeness) */
	prev: KpiValues;
	counts: AreaCounts;
}

/** Topic `wall.kpis`: the live numbers, recomputed when data changes. */
export interface WallKpis {
	/** when the server computed it */
	at: string;
	/** events written before the queries ran: every one of them is in these numbers */
	seq: number;
	/** the measured day (yyyy-mm-dd) and the moment it began */
	day: string;
	day_start: string;
	/** the previous school day with attendance, the comparison for attendance */
	prev_day: string | null;
	uptime_window: { from: string; to: string };
	city: AreaSummary;
	districts: Record<string, AreaSummary>;
	schools: SchoolTuple[];
	/** per kind, when an event of it was last written: the age each tile shows */
	last_event_at: Partial<Record<TelemetryKind, string>>;
}

/** Topic `wall.history`: daily series for sparklines and trend charts (recomputed each minute). */
export interface WallHistory {
	at: string;
	/** the last days, oldest first (yyyy-mm-dd) */
	days: string[];
	city: Record<Exclude<KpiId, 'uptime'>, (number | null)[]>;
	districts: Record<string, Record<Exclude<KpiId, 'uptime'>, (number | null)[]>>;
	/** today's uptime per hour (hour start ISO, ratio) */
	uptime_hours: {
		hours: string[];
		city: (number | null)[];
		districts: Record<string, (number | null)[]>;
	};
}

export type TickerSeverity = 'info' | 'watch' | 'alert';
export interface TickerItem {
	id: string;
	severity: TickerSeverity;
	/** i18n key and its parameters: the page words it in the screen's language */
	key: string;
	params: Record<string, string | number>;
	since: string | null;
}

/** Topic `wall.health`: ingest health, the stream's freshness and the ticker, every second. */
export interface WallHealth {
	at: string;
	health: Health;
	/** a tile or the stream older than this is stale */
	stale_after_s: number;
	/** the newest event written; the stream is "down" when it is older than stale_after_s */
	last_event_at: string | null;
	/** events written per second over the last few seconds */
	events_per_s: number;
	/** rejects in the last five minutes */
	rejects_5m: number;
	ticker: TickerItem[];
}

/** Topic `wall.alerts`: the open alerts (firing or acknowledged), newest first. */
export interface WallAlerts {
	at: string;
	open: OpenAlert[];
}
export type OpenAlert = Pick<
	Alert,
	| 'id'
	| 'rule_id'
	| 'school_id'
	| 'district_id'
	| 'state'
	| 'severity'
	| 'opened_at'
	| 'detail'
	| 'escalated_at'
>;

export interface LiveTopics {
	'wall.kpis': WallKpis;
	'wall.history': WallHistory;
	'wall.health': WallHealth;
	'wall.alerts': WallAlerts;
}
export type TopicName = keyof LiveTopics;
export const TOPIC_NAMES: readonly TopicName[] = [
	'wall.kpis',
	'wall.history',
	'wall.health',
	'wall.alerts'
];

/** How long after its kind's last event a tile is stale: the kind's reporting cadence plus the configured slack. */
export const KIND_CADENCE_S: Record<TelemetryKind, number | null> = {
	device: 60,
	library: 15 * 60,
	// attendance is reported once per session, completeness nightly: silence between is normal,
	// so those tiles follow the stream as a whole
	attendance: null,
	completeness: null
};

export const TILE_KIND: Record<KpiId, TelemetryKind> = {
	attendance: 'attendance',
	uptime: 'device',
	library: 'library',
	completeness: 'completeness'
};
