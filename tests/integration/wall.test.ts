/**
 * The wall's numbers from real chDB rollups, against hand-computed values; and the live hub:
 * one computation per topic per tick whatever the number of screens, none when nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestStats } from '#ingest/stats';
import type { IngestWorker } from '#ingest/worker';
import { lastWritesByKind } from '#ingest/writer';
import { localMs } from '#shared/calendar';
import type { WallKpis } from '#shared/wall';
import { applyPatch, isPatch, type LivePatch } from '#shared/live-patch';
import { LiveHub } from '#server/live/hub';
import { logger, setLogLevel } from '#server/platform/log';
import type { RegistryCache } from '#server/platform/registry/cache';
import { DayClock } from '#server/kpi/day-clock';
import { DeviceWindowCache, deviceDayAndWindow, windowEnd } from '#server/kpi/device-window';
import { deviceHoursBySchool, devicesBySchool } from '#server/kpi/queries';
import { rows } from '#server/platform/clickhouse/client';
import { replayWall } from '#server/wall/replay';
import { WallService, narrowHistory, narrowKpis } from '#server/wall/service';
import { areaFilter } from '#shared/scope';
import { addWallTopics } from '#server/wall/topics';
import { waitFor, type TempClickHouse } from '#harness/chdb';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureEvents, testRegistry } from '#harness/events';

const H = 3600_000;
const D = 24 * H;
const M = 60_000;
setLogLevel('warn');

// The measured day is Tuesday 24 Nov 2026, between 09:00 and 10:00, whatever the real time:
// a whole-hour shift, as the demo clock uses.
const now = Date.now();
const shift = Math.floor((now - localMs(2026, 11, 24, 9, 0)) / H) * H;
const clock = new DayClock(shift);
const dayStart = clock.dayStart(now);
const w1 = Math.floor(now / M) * M;

const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
let db: TempClickHouse;
let registry: RegistryCache;
let worker: IngestWorker;
let fx: FixtureIngest;
let wall: WallService;

const { roll, beat, lib, comp } = fixtureEvents('wall-test');

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	({ db, registry, worker } = fx);
	wall = new WallService(db.ch, registry, clock);

	const msgs = [
		// today's roll calls: 36/40 (3 excused, 1 unexcused), 30/30, 28/35 (2 excused, 5 unexcused)
		roll(nk1, dayStart + 7.5 * H, 40, 36, 3),
		roll(nk2, dayStart + 7.5 * H, 30, 30, 0),
		roll(cd1, dayStart + 7.6 * H, 35, 28, 2),
		// the previous school day (Monday): 40/40 at nk1
		roll(nk1, dayStart - D + 7.5 * H, 40, 40, 0)
	];
	// the last 15 full minutes: nk1's 4 devices every minute; nk2's d1, d2 every minute, d3 for 10, d4 silent; cd1 dark
	for (let m = 1; m <= 15; m++) {
		const t = w1 - m * M + 5_000;
		for (let i = 0; i < 4; i++) msgs.push(beat(nk1, i, t));
		msgs.push(beat(nk2, 0, t), beat(nk2, 1, t));
		if (m <= 10) msgs.push(beat(nk2, 2, t));
	}
	// library at nk1: 50 today, 100 and 60 on the two previous Tuesdays (same time of day)
	msgs.push(
		lib(nk1, dayStart + 1 * H, 50),
		lib(nk1, dayStart - 7 * D + 1 * H, 100),
		lib(nk1, dayStart - 14 * D + 1 * H, 60)
	);
	// completeness: nk1 students 900/1000 last night, 950/1000 this morning; cd1 staff 100/200, synced 5 days ago
	msgs.push(
		comp(nk1, dayStart - 2 * H, 'students', 1000, 900),
		comp(nk1, dayStart + 6 * H, 'students', 1000, 950),
		comp(cd1, dayStart + 6 * H, 'staff', 200, 100, { sync: dayStart - 5 * D })
	);
	for (const m of msgs) await worker.submit(m.subject, m.data);
	await waitFor('all written', () => worker.stats.eventsTotal >= msgs.length, 30_000);
});

afterAll(async () => {
	await fx?.stop();
});

describe('wall numbers from chDB rollups', () => {
	let k: WallKpis;
	it('finds the previous school day, then computes the city, districts and schools by hand-checked sums', async () => {
		const h = await wall.history(now);
		expect(h.days.at(-1)).toBe('2026-11-24');
		expect(h.city.attendance.at(-2)).toBe(1); // Monday: 40/40
		k = await wall.kpis(now, worker.stats.snapshot());
		expect(k.day).toBe('2026-11-24');
		expect(k.prev_day).toBe(new Date(dayStart - D).toISOString());

		const c = k.city;
		expect(c.counts.attendance).toMatchObject({
			enrolled: 105,
			present: 94,
			absent_excused: 5,
			absent_unexcused: 6,
			schools_reported: 3
		});
		expect(c.values.attendance).toBeCloseTo(94 / 105, 4);
		expect(c.prev.attendance).toBe(1);
		// uptime: (3600 + 2400 + 0) / (3 × 4 devices × 900 s)
		expect(c.counts.uptime.scheduled_seconds).toBe(10800);
		expect(c.values.uptime).toBeCloseTo(6000 / 10800, 4);
		// library: 50 against the mean of 100 and 60
		expect(c.values.library).toBeCloseTo(50 / 80, 4);
		// completeness: (950 + 100) / 1200 now; 900 / 1000 before today's round
		expect(c.values.completeness).toBeCloseTo(1050 / 1200, 4);
		expect(c.prev.completeness).toBeCloseTo(0.9, 4);
		expect(c.counts.completeness.sync_overdue).toBe(1);

		expect(k.districts['ninh-kieu'].values.attendance).toBeCloseTo(66 / 70, 4);
		// not one heartbeat in Cờ Đỏ: the district has no uptime value (no data), not 0 %
		expect(k.districts['co-do'].values.uptime).toBeNull();
		expect(k.districts['co-do'].counts.uptime.scheduled_seconds).toBe(3600);
		const byId = Object.fromEntries(k.schools.map((s) => [s[0], s]));
		// nk1: 90 % attendance is under the 92 % watch line; devices 100 %, library 62.5 %, data 95 %
		expect(byId[nk1.school_id]).toEqual([nk1.school_id, 'watch', 0.9, 1, 0.625, 0.95]);
		expect(byId[nk2.school_id][3]).toBeCloseTo(2400 / 3600, 4);
		expect(byId[nk2.school_id][1]).toBe('alert'); // 66.7 % uptime
		expect(byId[cd1.school_id][1]).toBe('alert'); // dark all window, 80 % attendance
	});

	it('a restarted worker starts from the stored last writes, not from "never"', async () => {
		const last = await lastWritesByKind(db.ch);
		expect(Object.keys(last).sort()).toEqual(['attendance', 'completeness', 'device', 'library']);
		const fresh = new IngestStats();
		fresh.restoreLastWrites(last);
		const snap = fresh.snapshot();
		expect(Date.parse(snap.last_event_at!)).toBe(Math.max(...Object.values(last)));
		expect(Date.now() - Date.parse(snap.last_event_at_by_kind.device!)).toBeLessThan(120_000);
		expect(snap.events_total).toBe(0);
	});

	it('asks ClickHouse nothing again while nothing changed', async () => {
		const before = { ...wall.queries };
		const again = await wall.kpis(now, worker.stats.snapshot());
		expect(wall.queries).toEqual(before);
		expect(again.city).toEqual(k.city);
	});

	it('does not count minutes the stream has not delivered yet as devices down', async () => {
		// three minutes later with no heartbeat since: ingest is behind (or the feed stopped, which the
		// stale banner reports); the window ends where the stream got to, so uptime is unchanged
		const later = await wall.kpis(now + 3 * M, worker.stats.snapshot());
		expect(later.uptime_window.to).toBe(new Date(w1).toISOString());
		expect(later.city.values.uptime).toBeCloseTo(6000 / 10800, 4);
	});
});

describe('the wall over a scope: the same counts summed over its schools', () => {
	it("a district's numbers are the city's district row, exactly; a school's are its own counts", async () => {
		const h = await wall.history(now);
		const k = await wall.kpis(now, worker.stats.snapshot());
		const coDo = areaFilter({ kind: 'district', district: 'co-do' }, reg);
		const d = narrowKpis(k, coDo);
		// the scope's "city" is Cờ Đỏ: values, comparisons and counts equal to the city-wide row
		expect(d.city).toEqual(k.districts['co-do']);
		expect(Object.keys(d.districts)).toEqual(['co-do']);
		expect(d.schools.map((x) => x[0])).toEqual([cd1.school_id]);
		expect(d.city.counts.attendance).toMatchObject({ enrolled: 35, present: 28 });
		// the city's payload is untouched, and the city filter gives it as it is
		expect(k.city.counts.attendance.enrolled).toBe(105);
		expect(narrowKpis(k, areaFilter({ kind: 'city' }, reg))).toBe(k);

		// one school: summed from its own counts (not its district's), so its rates are exact
		const s = narrowKpis(k, areaFilter({ kind: 'school', school: nk1.school_id }, reg));
		expect(s.city.counts.attendance).toMatchObject({ enrolled: 40, present: 36 });
		expect(s.city.values.attendance).toBeCloseTo(0.9, 4);
		expect(s.city.values.library).toBeCloseTo(50 / 80, 4);
		expect(s.city.counts.uptime.scheduled_seconds).toBe(3600);
		expect(s.city.values.uptime).toBe(1);
		expect(s.schools).toEqual([k.schools.find((x) => x[0] === nk1.school_id)]);
		expect(Object.keys(s.districts)).toEqual(['ninh-kieu']);
		expect(s.districts['ninh-kieu']).toEqual(s.city);

		// the history: Cờ Đỏ's series as the city-wide history has them, and no other district
		const hd = narrowHistory(h, coDo, reg);
		expect(hd.city).toEqual(h.districts['co-do']);
		expect(hd.uptime_hours.city).toEqual(h.uptime_hours.districts['co-do']);
		expect(Object.keys(hd.districts)).toEqual(['co-do']);
		const hn = narrowHistory(h, areaFilter({ kind: 'school', school: nk1.school_id }, reg), reg);
		// Monday: 40/40 at nk1 alone
		expect(hn.city.attendance.at(-2)).toBe(1);
		expect(hn.city.attendance.at(-1)).toBeCloseTo(0.9, 4);
	});
});

describe('live hub', () => {
	it('computes each topic once per tick for 300 screens, sends each the same frames, and sends nothing when nothing changed', async () => {
		// ticks within the same minute as `now`, so the uptime window stands still
		let t = w1 + 10_000;
		const hub = new LiveHub(logger('test'), 1000, () => t);
		addWallTopics({
			alerts: { open: [] },
			hub,
			wall,
			registry,
			health: async () => ({
				status: 'ok',
				mode: 'embedded',
				source: 'embedded-feed',
				feed: false,
				schools: 3,
				districts: 2,
				ingest: worker.stats.snapshot(),
				problems: []
			}),
			staleAfterS: 90,
			tickMs: 1000
		});
		const got: string[][] = Array.from({ length: 300 }, () => []);
		const dec = new TextDecoder();
		got.forEach((frames) =>
			hub.subscribe(['wall.kpis'], (chunk) => (frames.push(dec.decode(chunk)), true))
		);
		// 100 screens of Cờ Đỏ accounts: one narrowing for all of them, and only Cờ Đỏ in it
		const scoped: string[][] = Array.from({ length: 100 }, () => []);
		scoped.forEach((frames) =>
			hub.subscribe(
				['wall.kpis'],
				(chunk) => (frames.push(dec.decode(chunk)), true),
				undefined,
				'district:co-do'
			)
		);
		await hub.tick();
		expect(hub.computes()['wall.kpis']).toBe(1);
		expect(hub.narrowings()['wall.kpis']).toBe(1);
		expect(got.every((f) => f.length === 1 && f[0] === got[0][0])).toBe(true);
		expect(scoped.every((f) => f.length === 1 && f[0] === scoped[0][0])).toBe(true);
		const seen = JSON.parse(scoped[0][0].split('\ndata: ')[1]) as WallKpis;
		expect(seen.schools.map((x) => x[0])).toEqual([cd1.school_id]);
		expect(Object.keys(seen.districts)).toEqual(['co-do']);
		expect(got[0][0]).toMatch(/^id: \d+\nevent: wall\.kpis\ndata: \{/);
		const queries = { ...wall.queries };

		// a second later, nothing new: computed once more, but no query and no frame
		t += 1000;
		await hub.tick();
		expect(hub.computes()['wall.kpis']).toBe(2);
		expect(wall.queries.attendance).toBe(queries.attendance);
		expect(got[0]).toHaveLength(1);

		// a new roll call: one more attendance query, one more frame to every screen
		const m = roll(nk2, dayStart + 8 * H, 30, 15, 0);
		const written = worker.stats.eventsTotal;
		await worker.submit(m.subject, m.data);
		await waitFor('written', () => worker.stats.eventsTotal > written, 10_000);
		t += 1000;
		await hub.tick();
		expect(wall.queries.attendance).toBe(queries.attendance + 1);
		expect(got.every((f) => f.length === 2)).toBe(true);
		// a Ninh Kiều roll call: Cờ Đỏ's screens get the new moment (one narrowing for the 100), their numbers unchanged
		expect(hub.narrowings()['wall.kpis']).toBe(2);
		expect(scoped.every((f) => f.length === 2 && f[1] === scoped[0][1])).toBe(true);
		// the scoped screens' second frame is a patch of the first (only the moment moved for them)
		const patch = JSON.parse(scoped[0][1].split('\ndata: ')[1]) as unknown;
		expect(isPatch(patch)).toBe(true);
		const after = applyPatch(seen, patch as LivePatch);
		expect(after).toEqual(hub.currentFor<WallKpis>('wall.kpis', 'district:co-do'));
		expect(after.city).toEqual(seen.city);
		expect(after.schools.map((x) => x[0])).toEqual([cd1.school_id]);
		expect(hub.current<WallKpis>('wall.kpis')!.city.counts.attendance.present).toBe(94 + 15);

		// a late joiner gets the current state at once
		const late: string[] = [];
		hub.subscribe(['wall.kpis'], (chunk) => (late.push(dec.decode(chunk)), true));
		expect(late).toHaveLength(1);
		expect(JSON.parse(late[0].split('\ndata: ')[1])).toEqual(hub.current<WallKpis>('wall.kpis'));
		const cityNow = got[0][1].split('\ndata: ')[1];
		const cityFirst = JSON.parse(got[0][0].split('\ndata: ')[1]) as WallKpis;
		const cityPatch = JSON.parse(cityNow) as unknown;
		expect(isPatch(cityPatch) ? applyPatch(cityFirst, cityPatch as LivePatch) : cityPatch).toEqual(
			hub.current<WallKpis>('wall.kpis')
		);

		// a screen that cannot keep up is cut off (it reconnects and resumes), the others are not
		let slowCalls = 0;
		hub.subscribe(['wall.kpis', 'wall.health'], () => (slowCalls++, false));
		expect(hub.clients).toBe(401);
		hub.stop();
		expect(hub.clients).toBe(0);
		expect(slowCalls).toBe(1);
	});
});

describe('the uptime window between minutes', () => {
	it("reads the schools' heartbeats again only when the window moves or a late heartbeat lands in it", async () => {
		const w = new WallService(db.ch, registry, clock);
		await w.history(now);
		const first = await w.kpis(now, worker.stats.snapshot());
		const reads = w.deviceWindow.stats.reads;
		const send = async (m: { subject: string; data: Uint8Array }) => {
			const written = worker.stats.eventsTotal;
			await worker.submit(m.subject, m.data);
			await waitFor('written', () => worker.stats.eventsTotal > written, 10_000);
		};
		const uptime = (k: WallKpis) => k.city.counts.uptime.up_seconds;

		// a heartbeat of the current minute: outside the window, so checked but not read again
		await send(beat(nk1, 0, now));
		const same = await w.kpis(now, worker.stats.snapshot());
		expect(w.deviceWindow.stats.reads).toBe(reads);
		expect(same.uptime_window).toEqual(first.uptime_window);
		expect(uptime(same)).toBe(uptime(first));
		// the numbers are kept as they were built (the hub's patch skips them by identity)
		expect(same.schools).toBe(first.schools);

		// also with no previous school day found (yet): its empty counts are the same every tick
		const fresh = new WallService(db.ch, registry, clock);
		const a = await fresh.kpis(now, worker.stats.snapshot());
		const b = await fresh.kpis(now, { ...worker.stats.snapshot(), events_total: a.seq + 1 });
		expect(b.seq).not.toBe(a.seq);
		expect(b.schools).toBe(a.schools);

		// a late heartbeat two minutes back, of nk2's silent fourth device: read again, counted at once
		await send(beat(nk2, 3, w1 - 2 * M + 5_000));
		const late = await w.kpis(now, worker.stats.snapshot());
		expect(w.deviceWindow.stats.reads).toBe(reads + 1);
		expect(uptime(late)).toBe(uptime(first) + 60);
		expect(late.schools).not.toBe(first.schools);

		// a late heartbeat in yesterday's comparison window: read again, counted at once
		await send(beat(nk1, 0, w1 - D - 2 * M + 5_000));
		const prevLate = await w.kpis(now, worker.stats.snapshot());
		expect(w.deviceWindow.stats.reads).toBe(reads + 2);
		expect(prevLate.city.counts.uptime).toEqual(late.city.counts.uptime);
		expect(prevLate.city.prev.uptime).toBeGreaterThan(late.city.prev.uptime ?? 0);

		// the next minute: the window moves (the heartbeat of the current minute is now in it)
		const next = await w.kpis(now + M, worker.stats.snapshot());
		expect(w.deviceWindow.stats.reads).toBe(reads + 3);
		expect(next.uptime_window.to).toBe(new Date(w1 + M).toISOString());
	});
});

describe("a replay's devices in one query", () => {
	it('gives the hours and the uptime window the separate reads give, ending where the stream had got to', async () => {
		const bySchool = <T extends { school_id: string }>(r: Iterable<T>) =>
			[...r].sort((a, b) => a.school_id.localeCompare(b.school_id));
		const sorted = <T extends { school_id: string; hour: number }>(r: T[]) =>
			bySchool(r).sort((a, b) => a.school_id.localeCompare(b.school_id) || a.hour - b.hour);
		// now; 3 minutes on with nothing heard since (the window stays where the stream got to);
		// the day before at this time (later minutes exist: the stream as it was then); 3 days back
		for (const at of [now, now + 3 * M, now - D, now - 3 * D]) {
			const minute = Math.floor(at / M) * M;
			const from = clock.dayStart(at);
			const [{ t }] = await rows<{ t: string }>(
				db.ch,
				`SELECT toUnixTimestamp(max(bucket)) * 1000 AS t FROM device_rollup WHERE grain = 1 AND bucket < fromUnixTimestamp64Milli({at:Int64}, 'UTC')`,
				{ at }
			);
			const heard = Number(t) > 0 ? Number(t) : null;
			const one = await deviceDayAndWindow(db.ch, from, at, minute, 15, heard);
			expect(sorted(one.hours)).toEqual(sorted(await deviceHoursBySchool(db.ch, from, at)));
			const { w0, w1 } = one.window;
			expect(w1).toBe(windowEnd(minute, 15, heard));
			expect(w1 - w0).toBe(15 * M);
			const sep = await devicesBySchool(db.ch, w0, w1, w0 - D, w1 - D);
			expect(bySchool(one.window.schools.values())).toEqual(bySchool(sep.values()));
			const firsts = [...sep.values()].map((x) => x.first_ms).filter((x) => x > 0);
			expect(one.window.firstHeard).toBe(firsts.length ? Math.min(...firsts) : null);
			// with nothing later than the moment written, the live window ends at the same minute
			if (at >= now) {
				const live = await new DeviceWindowCache(db.ch, 15).at(minute);
				expect([live.w0, live.w1, live.firstHeard]).toEqual([w0, w1, one.window.firstHeard]);
			}
		}
		// the day before: the stream had got to nk1's heartbeat two minutes before the moment
		const before = Math.floor((now - D) / M) * M;
		const one = await deviceDayAndWindow(
			db.ch,
			clock.dayStart(now - D),
			now - D,
			before,
			15,
			w1 - D - 2 * M
		);
		expect(one.window.w1).toBe(w1 - D - M);
	});

	it('a replayed moment has the numbers the live wall had at that moment', async () => {
		const live = new WallService(db.ch, registry, clock);
		await live.history(now);
		const l = await live.kpis(now, worker.stats.snapshot());
		const r = (await replayWall(db.ch, registry, clock, now, null, 90))['wall.kpis'];
		expect(r.uptime_window).toEqual(l.uptime_window);
		expect(r.city).toEqual(l.city);
		expect(r.districts).toEqual(l.districts);
		expect(r.schools).toEqual(l.schools);
		expect(l.city.counts.uptime.up_seconds).toBeGreaterThan(0);
	});
});
