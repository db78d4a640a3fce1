/**
 * The four KPIs of the wall, as pure functions over counts (DESIGN.md, "KPIs"). The server's
 * queries fetch counts per school; everything from a rate to a district's colour is computed
 * here, once, so the server, the browser and the tests agree on every number.
 */

export const KPI_IDS = ['attendance', 'uptime', 'library', 'completeness'] as const;
export type KpiId = (typeof KPI_IDS)[number];

/** good / watch / alert, and "no data" as its own state (never shown as zero). */
export const STATUSES = ['good', 'watch', 'alert', 'nodata'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * Where a value turns from good to watch, and from watch to alert (ratio, higher is better), and
 * the target a tile shows. Attendance: the city's usual day is ~95 %; under 92 % is worth a look
 * and under 85 % (a flooded rural morning) needs a call. Uptime: plan 83 wants every room usable
 * each lesson; a school under 75 % has lost most of its rooms. Library: against the school's own
 * weekday baseline. Completeness: plan 83's 95 % / 100 % targets, with room for the nightly sync.
 * Tuned so that on an ordinary simulated day a few percent of schools are on alert, not a third.
 */
export const THRESHOLDS: Record<KpiId, { target: number; watch: number; alert: number }> = {
	attendance: { target: 0.95, watch: 0.92, alert: 0.85 },
	uptime: { target: 0.95, watch: 0.9, alert: 0.75 },
	library: { target: 1, watch: 0.7, alert: 0.4 },
	completeness: { target: 0.95, watch: 0.9, alert: 0.75 }
};

/** A sync to the department older than this makes a school's data overdue. */
export const SYNC_OVERDUE_MS = 48 * 3600_000;

/** Per-school counts, as the queries return them. Every field is a sum over the school's reports. */
export interface AttendanceCounts {
	reports: number;
	enrolled: number;
	present: number;
	absent_excused: number;
	absent_unexcused: number;
}
export interface UptimeCounts {
	/** seconds of "up" heartbeats in the window (each heartbeat vouches for its interval) */
	up_seconds: number;
	/** devices × school-hours seconds in the window: what should have been up */
	scheduled_seconds: number;
	heartbeats: number;
}
export interface LibraryCounts {
	/** loans + returns + e-book opens + visits today, up to now */
	today: number;
	/** the same, on each earlier same weekday up to the same time of day (one entry per week with data) */
	baseline_days: number[];
}
export interface CompletenessCounts {
	required: number;
	filled: number;
	datasets: number;
	/** newest sync to the department / ministry, ms; null when never */
	last_sync_department: number | null;
	last_sync_ministry: number | null;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** present ÷ enrolled over the sessions reported; null when nothing was reported. */
export function attendanceRate(c: Pick<AttendanceCounts, 'present' | 'enrolled'>): number | null {
	return ratio(c.present, c.enrolled);
}

/** Unexcused absences ÷ enrolled: the chronic-absence signal. */
export function unexcusedRate(
	c: Pick<AttendanceCounts, 'absent_unexcused' | 'enrolled'>
): number | null {
	return ratio(c.absent_unexcused, c.enrolled);
}

/**
 * Seconds a school's devices should have been up in [fromMin, toMin) minutes of its day:
 * devices × the overlap with its school hours. A device that sent nothing for those
 * seconds counts as down, because the denominator does not depend on what arrived.
 */
export function scheduledSeconds(
	devices: number,
	hours: readonly (readonly [number, number])[],
	fromMin: number,
	toMin: number
): number {
	let minutes = 0;
	for (const [a, b] of hours) minutes += Math.max(0, Math.min(b, toMin) - Math.max(a, fromMin));
	return devices * minutes * 60;
}

/** up ÷ scheduled (capped at 1: a heartbeat may vouch past the window); null outside school hours. */
export function uptimeRatio(
	c: Pick<UptimeCounts, 'up_seconds' | 'scheduled_seconds'>
): number | null {
	const r = ratio(c.up_seconds, c.scheduled_seconds);
	return r === null ? null : Math.min(1, r);
}

/** The usual use so far today: the mean of the earlier same weekdays with data; null with none. */
export function libraryBaseline(days: readonly number[]): number | null {
	const withData = days.filter((d) => d > 0);
	if (withData.length === 0) return null;
	return withData.reduce((a, b) => a + b, 0) / withData.length;
}

/** today ÷ the usual for this weekday; null without a baseline. */
export function libraryIndex(c: LibraryCounts): number | null {
	const base = libraryBaseline(c.baseline_days);
	return base === null ? null : c.today / base;
}

/** filled ÷ required fields over the datasets reported. */
export function completenessRatio(
	c: Pick<CompletenessCounts, 'filled' | 'required'>
): number | null {
	return ratio(c.filled, c.required);
}

/** Where a value stands against its KPI's thresholds. */
export function statusOf(kpi: KpiId, value: number | null): Status {
	if (value === null || !Number.isFinite(value)) return 'nodata';
	const t = THRESHOLDS[kpi];
	if (value < t.alert) return 'alert';
	if (value < t.watch) return 'watch';
	return 'good';
}

/** Statuses from the least to the most urgent. */
export const STATUS_RANK: Record<Status, number> = { nodata: 0, good: 1, watch: 2, alert: 3 };

/** The worst of several statuses, ignoring "no data" unless everything is. */
export function worstStatus(statuses: readonly Status[]): Status {
	let worst: Status = 'nodata';
	for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
	return worst;
}

/** A school's values on the wall. */
export interface SchoolKpis {
	attendance: number | null;
	uptime: number | null;
	library: number | null;
	completeness: number | null;
	/** we heard from the school: attendance today, a heartbeat in the window, or library use today */
	heard: boolean;
	sync_overdue: boolean;
}

/**
 * A school's status: "no data" when we heard nothing from it (a dark school is not a healthy
 * one, nor a zero); otherwise the worst of attendance, uptime and completeness, and "watch" for
 * an overdue sync. Library use is compared with the school's own habits and shown on its tile and
 * the choropleth, but does not colour the school: a quiet library day is not an incident.
 */
export function schoolStatus(k: SchoolKpis): Status {
	if (!k.heard) return 'nodata';
	return worstStatus([
		statusOf('attendance', k.attendance),
		statusOf('uptime', k.uptime),
		statusOf('completeness', k.completeness),
		k.sync_overdue ? 'watch' : 'good'
	]);
}

/** Sums over a set of schools (a district, the city): rates are recomputed from the sums, never averaged. */
export interface AreaCounts {
	schools: number;
	attendance: AttendanceCounts & { schools_reported: number };
	uptime: UptimeCounts & { schools_scheduled: number };
	library: { today: number; baseline: number; schools_with_baseline: number };
	completeness: {
		required: number;
		filled: number;
		schools_reported: number;
		sync_overdue: number;
		oldest_sync: number | null;
	};
	status: Record<Status, number>;
}

export interface SchoolCounts {
	attendance: AttendanceCounts;
	uptime: UptimeCounts;
	library: LibraryCounts;
	completeness: CompletenessCounts;
	status: Status;
}

export function emptyArea(): AreaCounts {
	return {
		schools: 0,
		attendance: {
			reports: 0,
			enrolled: 0,
			present: 0,
			absent_excused: 0,
			absent_unexcused: 0,
			schools_reported: 0
		},
		uptime: { up_seconds: 0, scheduled_seconds: 0, heartbeats: 0, schools_scheduled: 0 },
		library: { today: 0, baseline: 0, schools_with_baseline: 0 },
		completeness: {
			required: 0,
			filled: 0,
			schools_reported: 0,
			sync_overdue: 0,
			oldest_sync: null
		},
		status: { good: 0, watch: 0, alert: 0, nodata: 0 }
	};
}

/** Add one school's counts into an area. Library baselines add only where the school has one. */
export function addSchool(area: AreaCounts, s: SchoolCounts, now: number): AreaCounts {
	area.schools++;
	const a = area.attendance;
	a.reports += s.attendance.reports;
	a.enrolled += s.attendance.enrolled;
	a.present += s.attendance.present;
	a.absent_excused += s.attendance.absent_excused;
	a.absent_unexcused += s.attendance.absent_unexcused;
	if (s.attendance.reports > 0) a.schools_reported++;
	area.uptime.up_seconds += Math.min(s.uptime.up_seconds, s.uptime.scheduled_seconds);
	area.uptime.scheduled_seconds += s.uptime.scheduled_seconds;
	area.uptime.heartbeats += s.uptime.heartbeats;
	if (s.uptime.scheduled_seconds > 0) area.uptime.schools_scheduled++;
	const base = libraryBaseline(s.library.baseline_days);
	if (base !== null) {
		area.library.today += s.library.today;
		area.library.baseline += base;
		area.library.schools_with_baseline++;
	}
	const c = s.completeness;
	if (c.datasets > 0) {
		area.completeness.required += c.required;
		area.completeness.filled += c.filled;
		area.completeness.schools_reported++;
		const sync = c.last_sync_department;
		if (sync === null || now - sync > SYNC_OVERDUE_MS) area.completeness.sync_overdue++;
		if (
			sync !== null &&
			(area.completeness.oldest_sync === null || sync < area.completeness.oldest_sync)
		)
			area.completeness.oldest_sync = sync;
	}
	area.status[s.status]++;
	return area;
}

/**
 * The four headline values of an area. An area with not one heartbeat in the window has no
 * uptime value: a silent district is a broken feed or a blackout, and either way "no data".
 */
export function areaValues(a: AreaCounts): Record<KpiId, number | null> {
	return {
		attendance: attendanceRate(a.attendance),
		uptime: a.uptime.heartbeats > 0 ? uptimeRatio(a.uptime) : null,
		library: a.library.baseline > 0 ? a.library.today / a.library.baseline : null,
		completeness: completenessRatio(a.completeness)
	};
}

/**
 * An area's values as the base of a comparison ("so với cùng giờ hôm qua"): null where the base
 * holds nothing to compare with, so the wall says "chưa có số liệu để so sánh" instead of a
 * change from an empty day. Today's library index may be 0 (no loans yet this morning); the same
 * hour yesterday with no activity at all is no data (the feed or the schools' systems were
 * silent), not a usual day to measure today against. The other KPIs are null already when their
 * base is empty (no one enrolled, no heartbeat, nothing required).
 */
export function comparisonValues(a: AreaCounts): Record<KpiId, number | null> {
	const v = areaValues(a);
	return {
		...v,
		attendance: a.attendance.reports > 0 ? v.attendance : null,
		library: a.library.today > 0 ? v.library : null,
		completeness: a.completeness.schools_reported > 0 ? v.completeness : null
	};
}
