/**
 * Drill-down queries on real chDB against hand-computed values: a district and a school over a
 * range that crosses a month boundary, rollups against the raw tables for the same range, and
 * replay: what the wall and a view showed at a moment is what they show for it later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areaFilter, narrowRegistry } from '#shared/scope';
import type { DistrictView, SchoolView } from '#shared/drill';
import { formatAt, resolveRange } from '#shared/range';
import { parseViewQuery, type ViewQuery } from '#shared/views';
import type { WallKpis } from '#shared/wall';
import { rows } from '#server/platform/clickhouse/client';
import { districtView } from '#server/drill/district';
import { deviceTotals } from '#server/drill/devices';
import { ledgerFlows } from '#server/kpi/flows';
import { versionBoard } from '#server/kpi/day-cache';
import { replayWall } from '#server/wall/replay';
import { schoolView } from '#server/drill/school';
import { planParts } from '#server/kpi/source';
import { setLogLevel } from '#server/platform/log';
import type { RegistryCache } from '#server/platform/registry/cache';
import type { IngestWorker } from '#ingest/worker';
import { DayClock } from '#server/kpi/day-clock';
import { PrevDayAttendance } from '#server/kpi/prev-day-cache';
import { attendanceBySchool } from '#server/kpi/queries';
import { WallService } from '#server/wall/service';
import type { TempClickHouse } from '#harness/chdb';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureDates } from '#harness/fixture-dates';
import { fixtureEvents, testRegistry } from '#harness/events';

setLogLevel('warn');
const M = 60_000;
const clock = new DayClock(0);
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
let db: TempClickHouse;
let registry: RegistryCache;
let worker: IngestWorker;
let fx: FixtureIngest;

const { roll, beat, lib, comp } = fixtureEvents('drill-test');

// the fixture's days, moved by whole weeks to the latest span before today (harness/fixture-dates.ts)
const { at, day } = fixtureDates('2026-10-20', '2026-11-23');
// the replayed moment: Tuesday 3 Nov 2026, 07:45 in Cần Thơ
const T = at(2026, 11, 3, 7, 45);
const now = Date.now();

const submit = (msgs: { subject: string; data: Uint8Array }[]) => fx.submit(msgs);
const view = (s: string): ViewQuery => {
	const q = parseViewQuery(new URLSearchParams(s));
	if (!q.ok) throw new Error(JSON.stringify(q.error));
	return q.value;
};
async function district(id: string, s: string): Promise<DistrictView> {
	const v = view(s);
	const r = resolveRange(v.range, now);
	if (!r.ok) throw new Error(JSON.stringify(r.error));
	return (await districtView({
		ch: db.ch,
		clock,
		registry: registry.registry,
		now,
		districtId: id,
		range: r.value,
		view: v
	}))!;
}
async function school(id: string, s: string): Promise<SchoolView> {
	const r = resolveRange(view(s).range, now);
	if (!r.ok) throw new Error(JSON.stringify(r.error));
	return (await schoolView({
		ch: db.ch,
		clock,
		registry: registry.registry,
		now,
		schoolId: id,
		range: r.value
	}))!;
}

let liveWall: WallKpis;
let liveDistrict: DistrictView;

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	({ db, registry, worker } = fx);
	// The fixture's days are fixed (Oct–Nov 2026) and the minute rollups keep 35 days from the real
	// clock: without this, the test would lose last Tuesday's library minutes as the calendar moves
	// on. Retention is not what this file tests.
	await db.ch.command({ query: 'SYSTEM STOP TTL MERGES' });

	const msgs = [
		roll(nk1, at(2026, 10, 27, 7, 30), 40, 40, 0), // the previous period
		roll(cd1, at(2026, 10, 29, 7, 30), 35, 28, 2),
		roll(nk1, at(2026, 10, 30, 7, 30), 40, 36, 3),
		roll(nk2, at(2026, 10, 30, 7, 30), 30, 30, 0),
		roll(nk1, at(2026, 11, 2, 7, 30), 40, 38, 1),
		roll(nk2, at(2026, 11, 2, 7, 30), 30, 27, 2),
		roll(nk2, at(2026, 11, 3, 7, 40), 30, 29, 1), // before the replayed moment
		comp(nk1, at(2026, 10, 29, 10), 'students', 1000, 900, { missing: ['ngay_sinh'] }),
		comp(nk2, at(2026, 10, 30, 10), 'staff', 200, 150, { missing: ['trinh_do', 'chuc_vu'] }),
		comp(nk1, at(2026, 11, 2, 10), 'students', 1000, 950, { missing: ['dan_toc'] }),
		// library at nk1: 40 last Tuesday by 07:20, 30 this Tuesday (the minute rollups keep 35 days: older Tuesdays are gone)
		lib(nk1, at(2026, 10, 27, 7, 20), 40),
		lib(nk1, at(2026, 11, 3, 7, 20), 30)
	];
	// Monday 2 Nov: nk1's four devices every minute 07:00–07:59; Tuesday 3 Nov: device 0 from 07:00 to the moment
	for (let m = 0; m < 60; m++)
		for (let i = 0; i < 4; i++) msgs.push(beat(nk1, i, at(2026, 11, 2, 7) + m * M + 5000));
	for (let m = 0; m < 45; m++) msgs.push(beat(nk1, 0, at(2026, 11, 3, 7) + m * M + 5000));
	await submit(msgs);

	// what the wall and the district view showed at the moment
	const wall = new WallService(db.ch, registry, clock);
	await wall.history(T);
	liveWall = await wall.kpis(T, worker.stats.snapshot());
	liveDistrict = await district('ninh-kieu', `at=${formatAt(T)}&sort=attendance&dir=asc`);

	// then the day goes on
	const later = [
		roll(nk2, at(2026, 11, 3, 7, 50), 30, 25, 0),
		roll(nk1, at(2026, 11, 3, 8), 40, 20, 0),
		comp(nk2, at(2026, 11, 3, 7, 55), 'staff', 200, 200, { missing: [] })
	];
	for (let m = 45; m < 60; m++) later.push(beat(nk1, 1, at(2026, 11, 3, 7) + m * M + 5000));
	await submit(later);
}, 120_000);

afterAll(async () => {
	await fx?.stop();
});

const RANGE = `from=${day('2026-10-29')}&to=${day('2026-11-02')}`;

describe('district view', () => {
	it('computes the district, its schools and the city over a range across a month boundary', async () => {
		const d = await district('ninh-kieu', `${RANGE}&sort=attendance&dir=asc&compare=1`);
		expect(d.range).toMatchObject({
			from_day: day('2026-10-29'),
			to_day: day('2026-11-02'),
			days: 5,
			prev: { from_day: day('2026-10-24'), to_day: day('2026-10-28') }
		});
		expect(d.values.attendance).toBeCloseTo(131 / 140, 6);
		expect(d.city.attendance).toBeCloseTo(159 / 175, 6);
		expect(d.prev?.attendance).toBe(1);
		// ranked by attendance, lowest first
		expect(d.schools.map((s) => [s.school_id, s.values.attendance])).toEqual([
			['t-nk-1', 74 / 80],
			['t-nk-2', 57 / 60]
		]);
		expect(d.schools[0].prev?.attendance).toBe(1);
		// uptime: 240 up minutes against 465 scheduled minutes a device (primary, Monday), only on the day the stream was heard
		expect(d.schools[0].values.uptime).toBeCloseTo(240 / (4 * 465), 6);
		expect(d.schools[1].values.uptime).toBeNull(); // not one heartbeat: no data, not zero
		expect(d.values.uptime).toBeCloseTo(240 / (8 * 465), 6);
		expect(d.city.uptime).toBeCloseTo(240 / (12 * 465), 6);
		// completeness: the latest of each dataset at the range's end
		expect(d.values.completeness).toBeCloseTo(1100 / 1200, 6);
		expect(d.schools[0].values.completeness).toBeCloseTo(0.95, 6);
		expect(d.schools[1].values.completeness).toBeCloseTo(0.75, 6);
		expect(d.schools[0].status).toBe('alert');
	});

	it("a scoped reader's view has no city-wide sums: its comparison is its own area", async () => {
		const v = view(`${RANGE}&compare=1`);
		const r = resolveRange(v.range, now);
		if (!r.ok) throw new Error(JSON.stringify(r.error));
		const f = areaFilter({ kind: 'district', district: 'ninh-kieu' }, registry.registry);
		const d = (await districtView({
			ch: db.ch,
			clock,
			registry: narrowRegistry(registry.registry, f),
			now,
			districtId: 'ninh-kieu',
			range: r.value,
			view: v,
			scoped: true
		}))!;
		// the city-wide figures (159/175, 240/(12 × 465)) are not in it: its "city" is Ninh Kiều
		expect(d.values.attendance).toBeCloseTo(131 / 140, 6);
		expect(d.city.attendance).toBeCloseTo(131 / 140, 6);
		expect(d.city.uptime).toBeCloseTo(240 / (8 * 465), 6);
		expect(d.trend.city).toEqual(d.trend.area);
		// one school's page, scoped to that school: its district and city are the school itself
		const rs = resolveRange(view(RANGE).range, now);
		if (!rs.ok) throw new Error(JSON.stringify(rs.error));
		const one = areaFilter({ kind: 'school', school: 't-nk-1' }, registry.registry);
		const sv = (await schoolView({
			ch: db.ch,
			clock,
			registry: narrowRegistry(registry.registry, one),
			now,
			schoolId: 't-nk-1',
			range: rs.value,
			scoped: true
		}))!;
		expect(sv.trend.city).toEqual(sv.trend.area);
	});

	it('follows the trend day by day and finds the worst movers since the previous school day', async () => {
		const d = await district('ninh-kieu', RANGE);
		const i = (day: string) => d.trend.days.indexOf(day);
		expect(d.trend.days).toContain(day('2026-10-31'));
		expect(d.trend.area.attendance[i(day('2026-10-30'))]).toBeCloseTo(66 / 70, 6);
		expect(d.trend.area.attendance[i(day('2026-10-31'))]).toBeNull();
		expect(d.trend.area.attendance[i(day('2026-11-02'))]).toBeCloseTo(65 / 70, 6);
		expect(d.trend.city.attendance[i(day('2026-10-29'))]).toBeCloseTo(28 / 35, 6);
		expect(d.movers.yesterday.day).toBe(day('2026-10-30'));
		expect(d.movers.yesterday.rows).toEqual([
			{ school_id: 't-nk-2', name: nk2.name, before: 1, after: 0.9, delta: expect.closeTo(-0.1, 6) }
		]);
		expect(d.movers.last_week.rows).toEqual([]);
	});

	it("sums a school's older days into one row, yet keeps the district's trend day by day", async () => {
		// the last 21 days before 23 Nov come one by one; 26 Oct – 1 Nov are summed per school
		const d = await district(
			'ninh-kieu',
			`from=${day('2026-10-26')}&to=${day('2026-11-23')}&sort=name&dir=asc`
		);
		expect(d.schools.map((s) => [s.school_id, s.values.attendance])).toEqual([
			['t-nk-1', (40 + 36 + 38 + 20) / 160],
			['t-nk-2', (30 + 27 + 29 + 25) / 120]
		]);
		expect(d.values.attendance).toBeCloseTo(245 / 280, 6);
		const i = (day: string) => d.trend.days.indexOf(day);
		expect(d.trend.area.attendance[i(day('2026-10-27'))]).toBe(1);
		expect(d.trend.area.attendance[i(day('2026-10-30'))]).toBeCloseTo(66 / 70, 6);
		expect(d.trend.city.attendance[i(day('2026-10-29'))]).toBeCloseTo(28 / 35, 6);
		expect(d.trend.area.attendance[i(day('2026-10-26'))]).toBeNull();
	});

	it('filters and sorts as the URL says, and breaks the district down by level', async () => {
		const d = await district('ninh-kieu', `${RANGE}&sort=name&dir=desc`);
		expect(d.schools.map((s) => s.school_id)).toEqual(['t-nk-2', 't-nk-1']);
		expect(d.by_level).toEqual([{ key: 'primary', schools: 2, values: d.values }]);
		const none = await district('ninh-kieu', `${RANGE}&level=upper_secondary`);
		expect(none.schools).toEqual([]);
		expect(none.total_schools).toBe(2);
		expect(
			await districtView({
				ch: db.ch,
				clock,
				registry: registry.registry,
				now,
				districtId: 'atlantis',
				range: null as never,
				view: view('')
			})
		).toBeNull();
	});
});

describe('school view', () => {
	it('shows attendance by grade and session, each device, the outage timeline and the datasets', async () => {
		const s = await school('t-nk-1', RANGE);
		expect(s.values.attendance).toBeCloseTo(74 / 80, 6);
		expect(s.district_values?.attendance).toBeCloseTo(131 / 140, 6);
		expect(s.attendance_by_grade).toEqual([
			{
				grade: 5,
				session: 'morning',
				reports: 2,
				enrolled: 80,
				present: 74,
				absent_excused: 4,
				absent_unexcused: 2
			}
		]);
		expect(s.devices).toHaveLength(4);
		for (const d of s.devices) expect(d.uptime).toBeCloseTo(60 / 465, 6);
		// Monday's timeline: up 07:00–08:00, then no heartbeat for the rest of school hours
		expect(s.timeline.day).toBe(day('2026-11-02'));
		expect(s.timeline.devices[0].runs.map((r) => [r.from, r.to, r.state])).toEqual([
			[
				new Date(at(2026, 11, 2, 7)).toISOString(),
				new Date(at(2026, 11, 2, 8)).toISOString(),
				'up'
			],
			[
				new Date(at(2026, 11, 2, 8)).toISOString(),
				new Date(at(2026, 11, 2, 11, 15)).toISOString(),
				'missing'
			],
			[
				new Date(at(2026, 11, 2, 13, 30)).toISOString(),
				new Date(at(2026, 11, 2, 17)).toISOString(),
				'missing'
			]
		]);
		expect(s.datasets).toEqual([
			expect.objectContaining({
				dataset: 'students',
				required: 1000,
				filled: 950,
				missing_fields: ['dan_toc']
			})
		]);
		expect(s.plan83).toMatchObject({ multimedia_rooms: 2, multimedia_year: 2023, elibrary: true });
	});
});

describe('rollups against raw tables', () => {
	it('gives the raw sums for the same range, whichever rollups (day, hour, minute) the range is read from', async () => {
		const from = at(2026, 10, 29);
		const to = at(2026, 11, 3, 7, 45);
		expect(planParts(from, to, { now, dailyAligned: true }).map((p) => p.grain)).toEqual([
			'1d',
			'1h',
			'1m'
		]);
		// closed days from the day cache, the same from the daily rollups, and hours only
		for (const [dailyAligned, noCache] of [
			[true, false],
			[true, true],
			[false, false]
		]) {
			const o = { now, dailyAligned, noCache, dayOffsetS: clock.sqlDayOffsetSeconds };
			// every school's every day on its own row (no older days summed), as the views read them
			const schools = ['t-nk-1', 't-nk-2', 't-cd-1'];
			const flows = await ledgerFlows(
				db.ch,
				from,
				to,
				schools,
				{ recent: 0, fromDay: 0, prevFromDay: 0, daily: schools },
				o
			);
			const att = flows.attendance.filter((r) => schools.includes(r.key));
			const dev = flows.device.filter((r) => r.key === '' || r.key === '#');
			const raw = await rows<{ school_id: string; present: string; enrolled: string }>(
				db.ch,
				`SELECT school_id, sum(present) AS present, sum(enrolled) AS enrolled FROM attendance_raw
				 WHERE ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC') GROUP BY school_id`,
				{ from, to }
			);
			const rawUp = await rows<{ up: string }>(
				db.ch,
				`SELECT sumIf(interval_s, event = 'heartbeat' AND status = 'up') AS up FROM device_raw
				 WHERE ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
				{ from, to }
			);
			const sum = (k: string, f: 'a' | 'b') =>
				att.filter((r) => r.key === k).reduce((x, r) => x + r[f], 0);
			expect(raw.length).toBe(3);
			for (const r of raw)
				expect([sum(r.school_id, 'a'), sum(r.school_id, 'b')]).toEqual([
					Number(r.present),
					Number(r.enrolled)
				]);
			// 07:40 on 3 Nov is in, 07:50 is not
			expect(sum('t-nk-2', 'a')).toBe(30 + 27 + 29);
			expect(dev.reduce((x, r) => x + r.a, 0)).toBe(Number(rawUp[0].up));
			expect(Number(rawUp[0].up)).toBe((240 + 45) * 60);
		}
	});
});

describe('devices per day against raw tables', () => {
	it("gives each device's raw totals and last state, from whole days of device_unit_1d and part days of device_raw", async () => {
		const ranges: [number, number][] = [
			[at(2026, 10, 29), at(2026, 11, 3, 7, 45)], // whole days, then the part day to a moment
			[at(2026, 11, 2), at(2026, 11, 4)], // whole days only
			[at(2026, 11, 3, 7, 10), at(2026, 11, 3, 7, 50)], // inside one day
			[at(2026, 11, 2, 7, 30), at(2026, 11, 3, 7, 20)] // part days both sides
		];
		for (const [from, to] of ranges) {
			const daily = await deviceTotals(db.ch, 't-nk-1', from, to, { now, dailyAligned: true });
			const raw = await deviceTotals(db.ch, 't-nk-1', from, to, { now, dailyAligned: false });
			expect(daily.devices.length).toBeGreaterThan(0);
			expect(daily.devices).toEqual(raw.devices);
			const up = await rows<{ up: string }>(
				db.ch,
				`SELECT sumIf(interval_s, event = 'heartbeat' AND status = 'up') AS up FROM device_raw WHERE school_id = 't-nk-1'
				 AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
				{ from, to }
			);
			expect(daily.devices.reduce((a, d) => a + d.up_seconds, 0)).toBe(Number(up[0].up));
		}
		// the first range: four devices' hour on Monday and device 0's 45 minutes on Tuesday (to 07:45)
		const first = await deviceTotals(db.ch, 't-nk-1', ranges[0][0], ranges[0][1], {
			now,
			dailyAligned: true
		});
		expect(first.devices.map((d) => d.up_seconds)).toEqual([
			(60 + 45) * 60,
			60 * 60,
			60 * 60,
			60 * 60
		]);
		expect(first.devices[0].last_seen).toBe(new Date(at(2026, 11, 3, 7, 44) + 5000).toISOString());
		// the per-device records begin on Monday 2 Nov, after the range's start; so do the school's
		// devices, so the school view names nothing
		expect(first.coversFrom).toBe(at(2026, 11, 2));
		expect((await school('t-nk-1', RANGE)).devices_since).toBeNull();
	});
});

describe('replay', () => {
	it('shows the wall as it was at the moment, after later events arrived', async () => {
		const r = await replayWall(db.ch, registry, clock, T, null, 90);
		const k = r['wall.kpis'];
		expect(k.city.values).toEqual(liveWall.city.values);
		expect(k.districts).toEqual(liveWall.districts);
		expect(k.schools).toEqual(liveWall.schools);
		expect(k.city.values.attendance).toBeCloseTo(29 / 30, 3); // the wall rounds to 4 digits
		// and the numbers did move since: the live wall of that day now says something else
		const after = await new WallService(db.ch, registry, clock).kpis(
			at(2026, 11, 3, 8, 30),
			worker.stats.snapshot()
		);
		expect(after.city.values.attendance).toBeCloseTo((29 + 25 + 20) / 100, 3);
	});

	it('shows a district view as it was at the moment', async () => {
		const d = await district('ninh-kieu', `at=${formatAt(T)}&sort=attendance&dir=asc`);
		expect(d.range.replay).toBe(true);
		expect(d.values).toEqual(liveDistrict.values);
		expect(d.schools).toEqual(liveDistrict.schools);
		expect(d.values.attendance).toBeCloseTo(29 / 30, 6);
		expect(d.schools.find((s) => s.school_id === 't-nk-1')?.values.uptime).toBeCloseTo(
			45 / (4 * 45),
			6
		);
		// library so far against the same weekday up to the same time, as the wall computes it
		expect(d.values.library).toBeCloseTo(30 / 40, 6);
		expect(liveWall.districts['ninh-kieu'].values.library).toBeCloseTo(30 / 40, 3);
	});
});

// last in the file: it writes an older day of school uptime without per-device days
describe('devices before their per-device days', () => {
	it('names the first per-device day when the school was heard before it', async () => {
		// an upgraded store: the school's uptime (device_1d: the day grain of device_rollup) on Friday 30 Oct, its per-device days
		// only from device_raw's (2 Nov here); written straight, so the day's version moves too
		await db.ch.command({
			query: `INSERT INTO device_rollup (grain, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down)
			        VALUES (3, 't-nk-1', '${day('2026-10-29')} 17:00:00', 10, 10, 600, 600, 0)`
		});
		await db.ch.command({
			query: `INSERT INTO day_version_bumps VALUES ('device', '${day('2026-10-30')}', 10)`
		});
		// written behind this process's back, as another process would: seen a tick later (at once here)
		versionBoard(db.ch).expire();
		const s = await school('t-nk-1', RANGE);
		expect(s.devices_since).toBe(day('2026-11-02'));
		// each device's uptime counts the days its records cover (Monday's hour of 465 minutes),
		// not Friday's, when only the school's total was kept
		expect(s.devices).toHaveLength(4);
		for (const d of s.devices) expect(d.uptime).toBeCloseTo(60 / 465, 6);
		expect(s.values.uptime).not.toBeCloseTo(60 / 465, 3);
		// a range from the first per-device day is whole
		expect(
			(await school('t-nk-1', `from=${day('2026-11-02')}&to=${day('2026-11-02')}`)).devices_since
		).toBeNull();
	});
});

// last in the file: it adds a late roll call to Monday 2 Nov
describe("a replay's previous school day", () => {
	it('is kept while its version holds, and read again after a late report', async () => {
		const cache = new PrevDayAttendance(db.ch);
		const monday = at(2026, 11, 2);
		const direct = await attendanceBySchool(db.ch, monday, monday + 24 * 3_600_000, now);
		expect(direct.get('t-nk-2')).toMatchObject({ enrolled: 30, present: 27 });
		expect(await cache.get(monday, now)).toEqual(direct);
		expect(await cache.get(monday, now)).toEqual(direct);
		expect(cache.stats).toEqual({ hits: 1, reads: 1 });
		await submit([roll(nk2, at(2026, 11, 2, 13, 30), 30, 24, 0)]);
		const after = await cache.get(monday, now);
		expect(after.get('t-nk-2')).toMatchObject({ reports: 2, enrolled: 60, present: 51 });
		expect(cache.stats).toEqual({ hits: 1, reads: 2 });
	});
});
