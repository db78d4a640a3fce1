import { describe, expect, it } from 'vitest';
import {
	addSchool,
	areaValues,
	attendanceRate,
	comparisonValues,
	emptyArea,
	libraryBaseline,
	libraryIndex,
	scheduledSeconds,
	schoolStatus,
	statusOf,
	unexcusedRate,
	uptimeRatio,
	worstStatus,
	type SchoolCounts
} from './kpi';
import { hm } from './calendar';

/** A school's counts: nothing reported, unless `over` says otherwise. */
const school = (over: Partial<SchoolCounts>): SchoolCounts => ({
	attendance: { reports: 0, enrolled: 0, present: 0, absent_excused: 0, absent_unexcused: 0 },
	uptime: { up_seconds: 0, scheduled_seconds: 0, heartbeats: 0 },
	library: { today: 0, baseline_days: [] },
	completeness: {
		required: 0,
		filled: 0,
		datasets: 0,
		last_sync_department: null,
		last_sync_ministry: null
	},
	status: 'good',
	...over
});

const MORNING: [number, number][] = [[hm(7), hm(11, 15)]];

describe('attendance', () => {
	it('is present ÷ enrolled over the sessions reported; excused absences are absences too', () => {
		// class 6A: 40 enrolled, 36 present, 3 excused, 1 unexcused; class 6B: 30 of 30
		const sum = { reports: 2, enrolled: 70, present: 66, absent_excused: 3, absent_unexcused: 1 };
		expect(attendanceRate(sum)).toBeCloseTo(66 / 70, 10);
		expect(unexcusedRate(sum)).toBeCloseTo(1 / 70, 10);
	});
	it('is no data, not zero, before any report', () => {
		expect(attendanceRate({ present: 0, enrolled: 0 })).toBeNull();
		expect(statusOf('attendance', null)).toBe('nodata');
	});
});

describe('uptime', () => {
	it('counts a device with missing heartbeats as down for the seconds nobody vouched for', () => {
		// 3 devices, 15 minutes inside the morning session: 3 × 900 s scheduled.
		// A: 15 "up" heartbeats (900 s); B: 10 "up", then silent for 5 minutes; C: 15 "down" heartbeats.
		const scheduled = scheduledSeconds(3, MORNING, hm(9), hm(9, 15));
		expect(scheduled).toBe(2700);
		const up = 15 * 60 + 10 * 60 + 0;
		expect(uptimeRatio({ up_seconds: up, scheduled_seconds: scheduled })).toBeCloseTo(
			1500 / 2700,
			10
		);
	});
	it('schedules only school hours: a window across the end of the morning counts its first 10 minutes', () => {
		expect(scheduledSeconds(2, MORNING, hm(11, 5), hm(11, 20))).toBe(2 * 10 * 60);
		expect(scheduledSeconds(2, MORNING, hm(12), hm(12, 15))).toBe(0);
		expect(uptimeRatio({ up_seconds: 0, scheduled_seconds: 0 })).toBeNull();
	});
	it('caps at 1 when a heartbeat vouches past the window', () => {
		expect(uptimeRatio({ up_seconds: 960, scheduled_seconds: 900 })).toBe(1);
	});
});

describe('library', () => {
	it('compares today with the mean of earlier same weekdays that had data', () => {
		// four Tuesdays before: 120, 0 (a holiday: no data), 90, 150 → baseline 120
		expect(libraryBaseline([120, 0, 90, 150])).toBe(120);
		expect(libraryIndex({ today: 90, baseline_days: [120, 0, 90, 150] })).toBeCloseTo(0.75, 10);
		expect(statusOf('library', 0.75)).toBe('good');
		expect(statusOf('library', 0.5)).toBe('watch');
	});
	it('has no index without a baseline', () => {
		expect(libraryIndex({ today: 40, baseline_days: [0, 0] })).toBeNull();
		expect(libraryIndex({ today: 40, baseline_days: [] })).toBeNull();
	});
});

describe('status', () => {
	it('puts a value against its thresholds', () => {
		expect(statusOf('attendance', 0.96)).toBe('good');
		expect(statusOf('attendance', 0.9)).toBe('watch');
		expect(statusOf('attendance', 0.8)).toBe('alert');
		expect(statusOf('uptime', 0.7)).toBe('alert');
	});
	it('is "no data" for a school we did not hear from, whatever else we know', () => {
		expect(
			schoolStatus({
				attendance: null,
				uptime: 0,
				library: null,
				completeness: 0.99,
				heard: false,
				sync_overdue: false
			})
		).toBe('nodata');
	});
	it('is the worst KPI; an overdue sync makes it "watch"; a quiet library day does not count', () => {
		const base = {
			attendance: 0.97,
			uptime: 1,
			library: 0.1,
			completeness: 0.99,
			heard: true,
			sync_overdue: false
		};
		expect(schoolStatus(base)).toBe('good');
		expect(schoolStatus({ ...base, attendance: 0.9 })).toBe('watch');
		expect(schoolStatus({ ...base, sync_overdue: true })).toBe('watch');
		expect(schoolStatus({ ...base, uptime: 0.5 })).toBe('alert');
		expect(worstStatus(['nodata', 'good'])).toBe('good');
		expect(worstStatus(['nodata'])).toBe('nodata');
	});
});

describe('area sums', () => {
	it('recomputes rates from sums: a big school weighs more than a small one', () => {
		const now = Date.parse('2026-11-27T03:00:00Z');
		const a = emptyArea();
		addSchool(
			a,
			school({
				attendance: {
					reports: 10,
					enrolled: 1000,
					present: 900,
					absent_excused: 60,
					absent_unexcused: 40
				}
			}),
			now
		);
		addSchool(
			a,
			school({
				attendance: {
					reports: 1,
					enrolled: 100,
					present: 100,
					absent_excused: 0,
					absent_unexcused: 0
				},
				status: 'alert'
			}),
			now
		);
		// mean of rates would be 0.95; the city rate is 1000 / 1100
		expect(areaValues(a).attendance).toBeCloseTo(1000 / 1100, 10);
		expect(a.attendance.schools_reported).toBe(2);
		expect(a.status).toEqual({ good: 1, watch: 0, alert: 1, nodata: 0 });
	});
	it('adds library use only where a baseline exists, uptime only with heartbeats, and counts overdue syncs', () => {
		const now = Date.parse('2026-11-27T03:00:00Z');
		const a = emptyArea();
		addSchool(
			a,
			school({
				library: { today: 50, baseline_days: [100, 100] },
				uptime: { up_seconds: 900, scheduled_seconds: 1800, heartbeats: 15 }
			}),
			now
		);
		addSchool(a, school({ library: { today: 70, baseline_days: [] } }), now);
		addSchool(
			a,
			school({
				completeness: {
					required: 100,
					filled: 90,
					datasets: 9,
					last_sync_department: now - 72 * 3600_000,
					last_sync_ministry: null
				}
			}),
			now
		);
		const v = areaValues(a);
		expect(v.library).toBeCloseTo(0.5, 10);
		expect(v.uptime).toBeCloseTo(0.5, 10);
		expect(v.completeness).toBeCloseTo(0.9, 10);
		expect(a.completeness.sync_overdue).toBe(1);
		const silent = emptyArea();
		addSchool(
			silent,
			school({ uptime: { up_seconds: 0, scheduled_seconds: 1800, heartbeats: 0 } }),
			now
		);
		expect(areaValues(silent).uptime).toBeNull();
	});
});

describe('comparisonValues (the base of "so với cùng giờ hôm qua")', () => {
	const now = Date.parse('2026-11-27T03:00:00Z');
	const withLibrary = (today: number) => school({ library: { today, baseline_days: [100, 100] } });
	it('is no data where the base day had no library activity at all, not a change from 0 %', () => {
		const empty = addSchool(emptyArea(), withLibrary(0), now);
		expect(areaValues(empty).library).toBe(0);
		expect(comparisonValues(empty).library).toBeNull();
		const some = addSchool(emptyArea(), withLibrary(40), now);
		expect(comparisonValues(some).library).toBeCloseTo(0.4, 10);
	});
	it('is no data for attendance and completeness without a report on the base day', () => {
		const none = emptyArea();
		expect(comparisonValues(none)).toEqual({
			attendance: null,
			uptime: null,
			library: null,
			completeness: null
		});
		const att = { reports: 3, enrolled: 100, present: 95, absent_excused: 3, absent_unexcused: 2 };
		const a = addSchool(emptyArea(), school({ attendance: att }), now);
		expect(comparisonValues(a).attendance).toBeCloseTo(0.95, 10);
	});
});
