/**
 * The day cache (src/lib/server/kpi/day-cache.ts): closed days served from memory give what
 * the rollups give, and a late event for a closed day is seen on the next read (its version moved).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_WIDTH, FIELD, closedDays, dayCache } from '#server/kpi/day-cache';
import { completenessDays, ledgerFlows, readDays, type FlowDay } from '#server/kpi/flows';
import { setLogLevel } from '#server/platform/log';
import { expireShared } from '#server/kpi/tick-shared';
import { DayClock } from '#server/kpi/day-clock';
import { dailyBySchool } from '#server/kpi/queries';
import { dayStartMs, localDay } from '#shared/calendar';
import { fixtureDates } from '#harness/fixture-dates';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureEvents, testRegistry } from '#harness/events';

setLogLevel('warn');
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
const { roll, beat, lib, comp } = fixtureEvents('day-cache-test');
// the fixture's days, moved by whole weeks to the latest span before today (harness/fixture-dates.ts);
// the dates in the comments are the fixture's, as written (28 Oct is a Wednesday in either)
const { at } = fixtureDates('2026-10-28', '2026-11-04');
const clock = new DayClock(0);
const now = Date.now();
const o = { now, dailyAligned: true, dayOffsetS: clock.sqlDayOffsetSeconds };
// a demo clock 5 hours behind: each measured day runs 05:00–05:00, across two Vietnam days
const SHIFT = 5 * 3_600_000;
const so = { now, dailyAligned: false, dayOffsetS: new DayClock(SHIFT).sqlDayOffsetSeconds };
const keep = [nk1.school_id, nk2.school_id];
const lumps = {
	recent: localDay(at(2026, 11, 2)),
	fromDay: localDay(at(2026, 10, 30)),
	prevFromDay: localDay(at(2026, 10, 28)),
	daily: [nk2.school_id]
};
// the range: 28 Oct – 3 Nov, whole days, all before today (the span above ends on 4 Nov)
const from = at(2026, 10, 28);
const to = at(2026, 11, 4);
let fx: FixtureIngest;

/** Rows in one order, for comparing the cached and the uncached reads. */
const sorted = (xs: FlowDay[]) =>
	[...xs]
		// only the city's and the area's rows carry the minutes heard (buildLedgers reads no other)
		.map((r) => (r.key === '' || r.key === '#' ? r : { ...r, first_ms: 0, last_ms: 0 }))
		.sort((a, b) => `${a.key}|${a.day}`.localeCompare(`${b.key}|${b.day}`));

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	const msgs = [
		roll(nk1, at(2026, 10, 28, 7, 30), 40, 39, 0),
		roll(nk1, at(2026, 10, 30, 7, 30), 40, 36, 3),
		roll(nk2, at(2026, 10, 30, 7, 30), 30, 30, 0),
		roll(cd1, at(2026, 10, 31, 7, 30), 35, 28, 2),
		roll(nk1, at(2026, 11, 2, 7, 30), 40, 38, 1),
		roll(nk2, at(2026, 11, 3, 7, 30), 30, 27, 2),
		comp(nk1, at(2026, 10, 29, 10), 'students', 1000, 900),
		comp(nk1, at(2026, 10, 29, 15), 'students', 1000, 920),
		comp(cd1, at(2026, 11, 2, 10), 'staff', 200, 150),
		lib(nk1, at(2026, 10, 28, 9), 12),
		lib(cd1, at(2026, 11, 3, 9), 7)
	];
	for (let m = 0; m < 30; m++)
		msgs.push(
			beat(nk1, 0, at(2026, 11, 2, 7) + m * 60_000 + 5000),
			beat(cd1, 1, at(2026, 11, 2, 8) + m * 60_000 + 5000)
		);
	await fx.submit(msgs);
}, 120_000);

afterAll(async () => {
	await fx?.stop();
});

describe('day cache', () => {
	it('serves whole past days only', () => {
		expect(closedDays(from, to, o)).toEqual({ d0: localDay(from), d1: localDay(to) - 1 });
		// a range ending mid-day keeps that day for the rollups; today is never cached
		expect(closedDays(from, at(2026, 11, 3, 7, 45), o)).toEqual({
			d0: localDay(from),
			d1: localDay(at(2026, 11, 2))
		});
		expect(closedDays(now - 3_600_000, now, o)).toBeNull();
		// not from a measured day's start (under the real clock, a Vietnam day's)
		expect(closedDays(from + 3_600_000, to, o)).toBeNull();
		// a demo clock's shift: measured days start 5 hours later
		expect(closedDays(from + 3_600_000, to, so)).toBeNull();
		expect(closedDays(from + SHIFT, to + SHIFT, so)).toEqual({
			d0: localDay(from),
			d1: localDay(to) - 1
		});
		// under a shift yesterday's measured day reaches into today's Vietnam day: not served
		const today = localDay(now);
		expect(closedDays(dayStartMs(today - 3) + SHIFT, now, so)).toEqual({
			d0: today - 3,
			d1: today - 2
		});
		expect(closedDays(dayStartMs(today - 3), now, o)).toEqual({ d0: today - 3, d1: today - 1 });
	});

	it('gives what the rollups give, and reads a day again only when its version moved', async () => {
		const cache = dayCache(fx.db.ch);
		const read = async () => ({
			cached: await ledgerFlows(fx.db.ch, from, to, keep, lumps, o),
			rollups: await ledgerFlows(fx.db.ch, from, to, keep, lumps, { ...o, noCache: true }),
			comp: await completenessDays(fx.db.ch, from, to, keep, o),
			compRollups: await completenessDays(fx.db.ch, from, to, keep, { ...o, noCache: true })
		});
		const first = await read();
		for (const k of ['attendance', 'device', 'library'] as const)
			expect(sorted(first.cached[k])).toEqual(
				sorted(first.rollups[k].filter((r) => r.a || r.b || r.c))
			);
		expect(sorted(first.comp)).toEqual(sorted(first.compRollups));
		// hand-computed: nk1's older range days lumped onto 30 Oct (36 + …), nk2 day by day (daily)
		const att = (key: string) =>
			first.cached.attendance
				.filter((r) => r.key === key)
				.map((r) => [r.day - lumps.fromDay, r.a, r.b]);
		expect(att(nk1.school_id).sort()).toEqual([
			[-2, 39, 40], // 28 Oct: the previous period's first day
			[0, 36, 40], // 30 Oct–1 Nov summed onto 30 Oct
			[3, 38, 40] // 2 Nov: recent, its own row
		]);
		expect(att(nk2.school_id).sort()).toEqual([
			[0, 30, 30],
			[4, 27, 30]
		]);
		// completeness that day is the day's latest report: 920 of 1000
		expect(first.comp.filter((r) => r.key === nk1.school_id).map((r) => [r.a, r.b])).toEqual([
			[920, 1000]
		]);

		const reads = cache.stats.reads;
		await read();
		expect(cache.stats.reads).toBe(reads);

		// a late event for 31 Oct: only that day is read again, and it counts
		await fx.submit([
			roll(nk2, at(2026, 10, 31, 7, 30), 30, 24, 0),
			lib(nk2, at(2026, 10, 31, 9), 5)
		]);
		const after = await read();
		expect(cache.stats.reads).toBe(reads + 1);
		for (const k of ['attendance', 'library'] as const)
			expect(sorted(after.cached[k])).toEqual(
				sorted(after.rollups[k].filter((r) => r.a || r.b || r.c))
			);
		expect(
			after.cached.attendance.find(
				(r) => r.key === nk2.school_id && r.day === localDay(at(2026, 10, 31))
			)
		).toMatchObject({ a: 24, b: 30 });
	});

	it("under a demo clock's shift: gives what the rollups give, and reads again the measured days a late event's Vietnam day spans", async () => {
		const cache = dayCache(fx.db.ch, SHIFT);
		const sFrom = from + SHIFT;
		const sTo = to + SHIFT;
		const read = async () => ({
			cached: await ledgerFlows(fx.db.ch, sFrom, sTo, keep, lumps, so),
			rollups: await ledgerFlows(fx.db.ch, sFrom, sTo, keep, lumps, { ...so, noCache: true }),
			comp: await completenessDays(fx.db.ch, sFrom, sTo, keep, so),
			compRollups: await completenessDays(fx.db.ch, sFrom, sTo, keep, { ...so, noCache: true })
		});
		// a day's first and last minute heard: from the hourly rows here, so not the day's start;
		// the cache gives the day's whole stream (any school) to the area's and the others' rows
		// alike (as it does for today under the real clock), the query each group's own
		const edges = (xs: FlowDay[]) => {
			const by = new Map<number, [number, number]>();
			for (const x of xs.filter((x) => x.key === '' || x.key === '#')) {
				const e = by.get(x.day) ?? [Infinity, 0];
				by.set(x.day, [Math.min(e[0], x.first_ms), Math.max(e[1], x.last_ms)]);
			}
			return [...by].sort((a, b) => a[0] - b[0]);
		};
		const noEdges = (xs: FlowDay[]) => sorted(xs).map((x) => ({ ...x, first_ms: 0, last_ms: 0 }));
		const same = (r: Awaited<ReturnType<typeof read>>) => {
			for (const k of ['attendance', 'device', 'library'] as const)
				expect(noEdges(r.cached[k])).toEqual(
					noEdges(r.rollups[k].filter((x) => x.a || x.b || x.c))
				);
			expect(edges(r.cached.device)).toEqual(edges(r.rollups.device));
			for (const x of r.cached.device.filter((x) => x.key === '#'))
				expect(x.first_ms).toBeGreaterThan(dayStartMs(x.day) + SHIFT);
			expect(sorted(r.comp)).toEqual(sorted(r.compRollups));
		};
		const first = await read();
		same(first);
		expect(cache.stats.reads).toBe(localDay(to) - localDay(from));
		// the Vietnam-day cache is another: its days were not read for this
		expect(dayCache(fx.db.ch)).not.toBe(cache);
		const reads = cache.stats.reads;
		await read();
		expect(cache.stats.reads).toBe(reads);

		// a late roll call at 02:00 on 2 Nov belongs to measured day 1 Nov; Vietnam day 2 Nov's
		// version moved, and both measured days spanning it are read again
		await fx.submit([roll(cd1, at(2026, 11, 2, 2, 0), 35, 33, 0)]);
		const after = await read();
		same(after);
		expect(cache.stats.reads).toBe(reads + 2);
		const city = (r: typeof first, day: number) =>
			r.cached.attendance.filter((x) => x.key === '' && x.day === day).reduce((a, x) => a + x.a, 0);
		const nov1 = localDay(at(2026, 11, 1));
		expect(city(after, nov1) - city(first, nov1)).toBe(33);

		// up to now: yesterday's measured day (it reaches into today's Vietnam day) and today's
		// are read from the rollups, and give what the rollups give
		const end = Date.now();
		const live = await ledgerFlows(fx.db.ch, sFrom, end, keep, lumps, so);
		const plain = await ledgerFlows(fx.db.ch, sFrom, end, keep, lumps, { ...so, noCache: true });
		for (const k of ['attendance', 'library'] as const)
			expect(noEdges(live[k])).toEqual(noEdges(plain[k].filter((x) => x.a || x.b || x.c)));
		// the closed measured days are cached (every one from the range's start), not the last two
		const closed = closedDays(sFrom, end, so)!;
		// the last one ends by today's Vietnam midnight, the next (yesterday's) after it
		const vnToday = dayStartMs(localDay(end));
		expect(dayStartMs(closed.d1 + 1) + SHIFT).toBeLessThanOrEqual(vnToday);
		expect(dayStartMs(closed.d1 + 2) + SHIFT).toBeGreaterThan(vnToday);
		expect(cache.stats.days).toBe(closed.d1 - closed.d0 + 1);
	});

	it("feeds the wall's daily series as the rollups do", async () => {
		for (const kind of ['attendance', 'library', 'completeness'] as const) {
			const cached = await dailyBySchool(fx.db.ch, kind, from, to, clock.sqlDayOffsetSeconds, now);
			// a range not from a measured day's start never uses the cache: the same range with days
			// starting a second later reads the rollups
			const rollups = await dailyBySchool(
				fx.db.ch,
				kind,
				from,
				to,
				clock.sqlDayOffsetSeconds - 1,
				now
			);
			const key = (r: { school_id: string; day: number; a: number; b: number }) =>
				`${r.school_id}|${r.day}|${r.a}|${r.b}`;
			expect(cached.length).toBeGreaterThan(0);
			expect(cached.map(key).sort()).toEqual(
				rollups
					.filter((r) => r.a || r.b)
					.map(key)
					.sort()
			);
		}
	});

	it('a day in progress read for some kinds serves only those: a read wanting more kinds reads again', async () => {
		// the range ends mid-day on 2 Nov: that day is read from the rollups, for the kinds asked
		const end = at(2026, 11, 2, 9, 0);
		const trends = await readDays(fx.db.ch, from, end, o, [
			'attendance',
			'library',
			'completeness'
		]);
		const last = trends!.tables.find((t) => t.day === localDay(at(2026, 11, 2)))!;
		const up = (t: typeof last, id: string) =>
			t.vals[t.ids.indexOf(id) * DAY_WIDTH + FIELD.hb] ?? 0;
		expect(up(last, nk1.school_id)).toBe(0);
		// the same span offered to a read that needs devices: not reused
		const all = await readDays(fx.db.ch, from, end, { ...o, read: trends! });
		expect(all!.kinds).toEqual(['attendance', 'device', 'library', 'completeness']);
		expect(
			up(
				all!.tables.find((t) => t.day === last.day)!,
				nk1.school_id
			)
		).toBe(30);
		// and to one that needs what it holds: reused as it is
		expect(
			(await readDays(fx.db.ch, from, end, { ...o, read: trends! }, ['library']))!.tables
		).toEqual(trends!.tables);
	});

	it("the day in progress is read once per tick, also when this process writes: shown within the tick's bound, or at once after expireShared", async () => {
		const dayStart = clock.dayStart(Date.now());
		const libOf = (tables: { ids: string[]; vals: Float64Array }[], id: string) =>
			tables.reduce(
				(a, t) => a + (t.ids.includes(id) ? t.vals[t.ids.indexOf(id) * DAY_WIDTH + FIELD.lib] : 0),
				0
			);
		const first = await readDays(fx.db.ch, dayStart, Date.now(), o);
		const before = libOf(first!.tables, nk2.school_id);
		// this process's ingest writes today's library count (a live feed does, many times a second)
		await fx.submit([lib(nk2, Date.now() - 60_000, 5)]);
		const again = await readDays(fx.db.ch, dayStart, Date.now(), o);
		// the same read, shared: not read again for the write
		expect(again!.tables.length).toBe(1);
		expect(again!.tables[0]).toBe(first!.tables[0]);
		expect(libOf(again!.tables, nk2.school_id)).toBe(before);
		// a test (or anything that must see its write at once) forgets the shared reads
		expireShared(fx.db.ch);
		const fresh = await readDays(fx.db.ch, dayStart, Date.now(), o);
		expect(libOf(fresh!.tables, nk2.school_id)).toBe(before + 5);
	});
});
