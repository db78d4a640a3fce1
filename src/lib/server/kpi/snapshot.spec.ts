import { describe, expect, it } from 'vitest';
import { localMs } from '../../shared/calendar';
import { schoolSchema, type Area } from '../../shared/registry';
import { DayClock } from './day-clock';
import { SYNC_OVERDUE_MS } from '../../shared/kpi';
import {
	buildWallNumbers,
	districtResolver,
	libraryRanges,
	numbersHoldUntil,
	type WallInputs
} from './snapshot';

const DAY = 86_400_000;
const areas: Area[] = [
	{
		area_id: 'can-tho',
		parent_id: null,
		level: 'city',
		name: 'Cần Thơ',
		name_en: '',
		kind: '',
		code: '',
		geometry: null
	},
	{
		area_id: 'ninh-kieu',
		parent_id: 'can-tho',
		level: 'district',
		name: 'Ninh Kiều',
		name_en: '',
		kind: 'urban',
		code: '',
		geometry: null
	},
	{
		area_id: 'co-do',
		parent_id: 'can-tho',
		level: 'district',
		name: 'Cờ Đỏ',
		name_en: '',
		kind: 'rural',
		code: '',
		geometry: null
	},
	{
		area_id: 'an-cu',
		parent_id: 'ninh-kieu',
		level: 'ward',
		name: 'An Cư',
		name_en: '',
		kind: '',
		code: '',
		geometry: null
	}
];
const school = (id: string, area: string, devices: number, elibrary: boolean) =>
	schoolSchema.parse({
		school_id: id,
		name: `Trường ${id}`,
		area_id: area,
		levels: ['primary'],
		lat: 10,
		lon: 105.7,
		enrolment: 500,
		classrooms: 20,
		multimedia_rooms: 2,
		smart_rooms: 1,
		devices,
		elibrary
	});

describe('DayClock', () => {
	it('measures the calendar day with the real clock', () => {
		const c = new DayClock(0);
		const now = localMs(2026, 11, 24, 9, 30);
		expect(c.dayStart(now)).toBe(localMs(2026, 11, 24));
		expect(c.dayLabel(now)).toBe('2026-11-24');
		// a primary school, Tuesday 09:00–09:15 is in the morning session; 12:00–12:15 is lunch
		expect(
			c.scheduledMinutes(['primary'], localMs(2026, 11, 24, 9), localMs(2026, 11, 24, 9, 15))
		).toBe(15);
		expect(
			c.scheduledMinutes(['primary'], localMs(2026, 11, 24, 12), localMs(2026, 11, 24, 12, 15))
		).toBe(0);
		// Sunday: no school
		expect(
			c.scheduledMinutes(['primary'], localMs(2026, 11, 29, 9), localMs(2026, 11, 29, 10))
		).toBe(0);
	});
	it('with the demo shift, "today" is the played day and its school hours, across midnight', () => {
		// Saturday 23:50 on the wall plays Friday 09:50 (shift 38 h)
		const c = new DayClock(38 * 3600_000);
		const now = localMs(2026, 11, 28, 23, 50);
		expect(c.dayLabel(now)).toBe('2026-11-27');
		expect(c.dayStart(now)).toBe(localMs(2026, 11, 27) + 38 * 3600_000);
		// the wall window 23:50–00:05 is Friday 09:50–10:05 on the played calendar: all in hours
		expect(c.scheduledMinutes(['primary'], now, now + 15 * 60_000)).toBe(15);
		expect(c.sqlDayOffsetSeconds).toBe(7 * 3600 - 38 * 3600);
	});
});

describe('buildWallNumbers', () => {
	const now = localMs(2026, 11, 24, 9, 30, 20);
	const clock = new DayClock(0);
	const w1 = localMs(2026, 11, 24, 9, 30);
	const w0 = w1 - 15 * 60_000;
	const schools = [
		school('a', 'ninh-kieu', 2, true),
		school('b', 'an-cu', 4, false),
		school('c', 'co-do', 1, true)
	];
	const base: WallInputs = {
		now,
		clock,
		schools,
		districtOf: districtResolver(areas),
		districts: areas.filter((a) => a.level === 'district'),
		attendance: new Map([
			[
				'a',
				{
					school_id: 'a',
					reports: 2,
					enrolled: 70,
					present: 66,
					absent_excused: 3,
					absent_unexcused: 1
				}
			],
			[
				'b',
				{
					school_id: 'b',
					reports: 1,
					enrolled: 30,
					present: 24,
					absent_excused: 0,
					absent_unexcused: 6
				}
			]
		]),
		attendancePrev: new Map([
			[
				'a',
				{
					school_id: 'a',
					reports: 2,
					enrolled: 70,
					present: 70,
					absent_excused: 0,
					absent_unexcused: 0
				}
			]
		]),
		devices: new Map([
			// a: both devices up all 15 minutes; b: 4 devices, 30 heartbeats up of 60 (the rest missing)
			[
				'a',
				{
					school_id: 'a',
					up_seconds: 1800,
					heartbeats: 30,
					up_seconds_prev: 900,
					heartbeats_prev: 15,
					first_ms: w0
				}
			],
			[
				'b',
				{
					school_id: 'b',
					up_seconds: 1800,
					heartbeats: 30,
					up_seconds_prev: 0,
					heartbeats_prev: 0,
					first_ms: w0
				}
			]
		]),
		window: [w0, w1],
		library: new Map([
			// today, yesterday, four earlier Tuesdays, four earlier Mondays
			['a', { school_id: 'a', ranges: [60, 50, 100, 0, 80, 60, 50, 50, 50, 50] }],
			['c', { school_id: 'c', ranges: [10, 0, 0, 0, 0, 0, 0, 0, 0, 0] }]
		]),
		completeness: new Map([
			[
				'a',
				{
					school_id: 'a',
					datasets: 9,
					required: 900,
					filled: 850,
					datasets_prev: 9,
					required_prev: 900,
					filled_prev: 800,
					last_sync_department: now - 3600_000,
					last_sync_ministry: null
				}
			],
			[
				'c',
				{
					school_id: 'c',
					datasets: 9,
					required: 100,
					filled: 50,
					datasets_prev: 0,
					required_prev: 0,
					filled_prev: 0,
					last_sync_department: now - 5 * DAY,
					last_sync_ministry: null
				}
			]
		])
	};

	it('computes each school, each district (a ward school counts for its district) and the city from sums', () => {
		const n = buildWallNumbers(base);
		const byId = Object.fromEntries(n.schools.map((s) => [s[0], s]));
		expect(byId.a).toEqual(['a', 'good', 0.9429, 1, 0.75, 0.9444]);
		// b: 24/30 = 0.8 → alert; uptime 1800 / (4 × 900) = 0.5; no e-library → library null
		expect(byId.b).toEqual(['b', 'alert', 0.8, 0.5, null, null]);
		// c: heard nothing today (no attendance, no heartbeat) though library counted 10 → heard
		expect(byId.c[1]).toBe('alert');
		expect(byId.c[3]).toBe(0);

		// Ninh Kiều = a + b: attendance 90/100, uptime (1800 + 1800) / (1800 + 3600)
		const nk = n.districts['ninh-kieu'];
		expect(nk.values.attendance).toBeCloseTo(0.9, 4);
		expect(nk.values.uptime).toBeCloseTo(3600 / 5400, 4);
		expect(nk.counts.schools).toBe(2);
		// previous school day: only a reported, 70/70
		expect(nk.prev.attendance).toBe(1);
		// yesterday's window: a up 900 of 1800 (b silent yesterday counts as down: 0 of 3600)
		expect(nk.prev.uptime).toBeCloseTo(900 / 5400, 4);

		// city: library only where a baseline exists: a 60 / 80 (c has none)
		expect(n.city.values.library).toBeCloseTo(0.75, 4);
		// completeness 900/1000; before today only a had data: 800/900
		expect(n.city.values.completeness).toBeCloseTo(0.9, 4);
		expect(n.city.prev.completeness).toBeCloseTo(800 / 900, 4);
		expect(n.city.counts.completeness.sync_overdue).toBe(1);
		expect(n.city.counts.status.alert).toBe(2);
	});

	it('says until when the same counts give the same numbers: up to the next sync that becomes overdue', () => {
		// a synced an hour ago: overdue 48 h after its sync; c is overdue already
		const until = numbersHoldUntil(base);
		expect(until).toBe(now - 3600_000 + SYNC_OVERDUE_MS);
		const at = (t: number) => buildWallNumbers({ ...base, now: t });
		expect(at(until)).toEqual(at(now));
		expect(at(until + 1)).not.toEqual(at(now));
		expect(at(until + 1).city.counts.completeness.sync_overdue).toBe(2);
		// nothing that can become overdue: they hold for good
		expect(numbersHoldUntil({ now: until + 1, completeness: base.completeness })).toBe(Infinity);
	});

	it('marks a school we heard nothing from as "no data" and leaves the city without uptime when every device is silent', () => {
		const n = buildWallNumbers({
			...base,
			attendance: new Map(),
			devices: new Map(),
			library: new Map()
		});
		expect(n.schools.every((s) => s[1] === 'nodata')).toBe(true);
		expect(n.city.values.uptime).toBeNull();
		expect(n.city.values.attendance).toBeNull();
	});

	it('aligns library baselines with the same weekday, up to the same time of day', () => {
		const dayStart = localMs(2026, 11, 24);
		const r = libraryRanges(dayStart, now);
		expect(r).toHaveLength(10);
		expect(r[0]).toEqual([dayStart, now]);
		expect(r[2]).toEqual([dayStart - 7 * DAY, now - 7 * DAY]);
		expect(r[5]).toEqual([dayStart - 28 * DAY, now - 28 * DAY]);
		expect(new Date(r[2][0] + 7 * 3600_000).getUTCDay()).toBe(2); // a Tuesday, like the 24th
		expect(r[6]).toEqual([dayStart - DAY - 7 * DAY, now - DAY - 7 * DAY]);
	});
});
