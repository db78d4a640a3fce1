/** What the drill-down views receive from the server (district and school). */
import type { KpiId, Status } from './kpi';
import type { RangePreset } from './range';
import type { SchoolLevel } from './registry';
import type { Setting } from './views';

export type KpiValues = Record<KpiId, number | null>;

export interface RangeInfo {
	preset: RangePreset;
	/** first and last measured day, YYYY-MM-DD */
	from_day: string;
	to_day: string;
	/** [from, to) as ISO moments */
	from: string;
	to: string;
	/** the moment shown: the replay moment or now */
	as_of: string;
	replay: boolean;
	days: number;
	/** the previous period, when comparing */
	prev: { from_day: string; to_day: string } | null;
}

export interface SchoolRow {
	school_id: string;
	name: string;
	ward: string;
	levels: SchoolLevel[];
	setting: Setting;
	status: Status;
	values: KpiValues;
	prev: KpiValues | null;
	last_sync_department: string | null;
}

export interface GroupRow {
	key: string;
	schools: number;
	values: KpiValues;
}

export interface Mover {
	school_id: string;
	name: string;
	before: number | null;
	after: number | null;
	delta: number;
}

export interface Movers {
	kpi: KpiId;
	/** the day compared and the days it is compared with (YYYY-MM-DD) */
	day: string;
	yesterday: { day: string | null; rows: Mover[] };
	last_week: { day: string; rows: Mover[] };
}

export interface Trend {
	days: string[];
	area: Record<KpiId, (number | null)[]>;
	city: Record<KpiId, (number | null)[]>;
}

export interface DistrictView {
	district: { id: string; name: string; name_en: string; kind: string };
	range: RangeInfo;
	values: KpiValues;
	prev: KpiValues | null;
	city: KpiValues;
	status_counts: Record<Status, number>;
	/** all the district's schools, filtered and sorted as the URL asks */
	schools: SchoolRow[];
	total_schools: number;
	by_setting: GroupRow[];
	by_level: GroupRow[];
	trend: Trend;
	movers: Movers;
}

export interface GradeSessionRow {
	grade: number;
	session: string;
	reports: number;
	enrolled: number;
	present: number;
	absent_excused: number;
	absent_unexcused: number;
}

export interface DeviceRow {
	device_id: string;
	room: string;
	kind: string;
	/** up seconds ÷ the school's scheduled seconds per device over the range; null without heartbeats */
	uptime: number | null;
	heartbeats: number;
	went_down: number;
	last_seen: string | null;
	last_status: string;
	last_reason: string;
}

/** One device's day, minute by minute inside school hours, as runs of one state. */
export interface OutageRun {
	from: string;
	to: string;
	state: 'up' | 'down' | 'missing';
}

export interface DatasetRow {
	dataset: string;
	required: number;
	filled: number;
	records: number;
	missing_fields: string[];
	last_report: string;
	last_sync_department: string | null;
	last_sync_ministry: string | null;
}

export interface SchoolView {
	school: {
		id: string;
		name: string;
		ward: string;
		levels: SchoolLevel[];
		setting: Setting;
		enrolment: number;
		classrooms: number;
		devices: number;
		lat: number;
		lon: number;
	};
	district: { id: string; name: string; name_en: string } | null;
	range: RangeInfo;
	status: Status;
	values: KpiValues;
	prev: KpiValues | null;
	district_values: KpiValues | null;
	trend: Trend;
	attendance_by_grade: GradeSessionRow[];
	devices: DeviceRow[];
	/** the day the outage timeline shows (the range's last day) and its school hours */
	timeline: {
		day: string;
		hours: { from: string; to: string }[];
		/** the demo clock's shift: labels show the measured day's time of day (moment − shift) */
		shift_ms: number;
		devices: { device_id: string; runs: OutageRun[] }[];
	};
	/** the first day per-device records cover (YYYY-MM-DD) when the range starts before it, else null */
	devices_since: string | null;
	library: { days: string[]; activity: number[]; baseline: (number | null)[] };
	datasets: DatasetRow[];
	plan83: {
		on_plan: boolean;
		multimedia_rooms: number;
		multimedia_year: number | null;
		smart_rooms: number;
		smart_year: number | null;
		elibrary: boolean;
		elibrary_year: number | null;
	};
}
