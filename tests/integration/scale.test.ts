/**
 * 10× the city (issue 16): at 5,000 schools (REGISTRY_SCHOOLS' registry), the demo feed's school
 * day so far (attendance, library and completeness since midnight, the last 16 minutes of every
 * device's heartbeats) goes through the real ingest into chDB; then the wall's numbers equal sums
 * computed here with plain SQL over the raw tables, for the city, every district and a sample of
 * schools.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoFeed } from '#ingest/feed/feed';
import { DEFAULT_SEED, eventsBetween } from '#ingest/feed/simulator';
import { localMs } from '#shared/calendar';
import { districtResolver } from '#shared/registry';
import type { WallKpis } from '#shared/wall';
import { rows } from '#server/platform/clickhouse/client';
import { setLogLevel } from '#server/platform/log';
import { seedRegistry } from '#server/platform/registry/seed';
import { DayClock } from '#server/kpi/day-clock';
import { WallService } from '#server/wall/service';
import { waitFor } from '#harness/chdb';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';

setLogLevel('warn');
const H = 3600_000;
const D = 24 * H;
const SCHOOLS = 5000;

// The school day measured is Tuesday 24 Nov 2026, now between 10:00 and 11:00 (a whole-hour
// shift of the calendar, as the demo clock makes): the morning's roll calls are in.
const start = Date.now();
const shift = Math.floor((start - localMs(2026, 11, 24, 10, 0)) / H) * H;
const clock = new DayClock(shift);
const reg = seedRegistry(SCHOOLS);
const districtOf = districtResolver(reg.areas);

let fx: FixtureIngest;
let k: WallKpis;
let now = 0;
let published = 0;

const num = (v: unknown) => Number(v ?? 0);
const ms = (name: string) => `fromUnixTimestamp64Milli({${name}:Int64}, 'UTC')`;

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	const feed = new DemoFeed((subject, data) => fx.worker.submit(subject, data), reg, {
		shiftMs: shift,
		backfillMinutes: 16,
		historyDays: 0
	});
	await feed.start();
	await feed.stop();
	published = feed.published;
	// the library's baseline: the same weekday a week ago, up to the same time of day
	const dayStart = clock.dayStart(Date.now());
	const enc = new TextEncoder();
	for (const { subject, event } of eventsBetween(
		reg,
		dayStart - 7 * D - shift,
		Date.now() - 7 * D - shift,
		{ seed: DEFAULT_SEED, kinds: ['library'] }
	)) {
		event.ts = new Date(Date.parse(event.ts) + shift).toISOString();
		await fx.worker.submit(subject, enc.encode(JSON.stringify(event)));
		published++;
	}
	await waitFor('the day written', () => fx.worker.stats.eventsTotal >= published, 240_000, 200);
	now = Date.now();
	const wall = new WallService(fx.db.ch, fx.registry, clock);
	await wall.history(now); // finds the previous school day, as the live hub does first
	k = await wall.kpis(now, fx.worker.stats.snapshot());
}, 300_000);

afterAll(async () => {
	await fx?.stop();
});

describe('the wall at 5,000 schools equals plain sums over the raw tables', () => {
	it('has written the whole day for every school', async () => {
		expect(fx.registry.registry.schools).toHaveLength(SCHOOLS);
		expect(fx.worker.stats.rejectsTotal).toBe(0);
		expect(fx.worker.stats.eventsTotal).toBe(published);
		// a day at this scale: hundreds of thousands of events, from most schools
		expect(published).toBeGreaterThan(300_000);
		expect(k.schools).toHaveLength(SCHOOLS);
		expect(k.city.counts.schools).toBe(SCHOOLS);
		expect(Object.keys(k.districts)).toHaveLength(9);
	});

	it('attendance: the city, every district and sampled schools', async () => {
		const dayStart = clock.dayStart(now);
		const r = await rows<Record<string, string>>(
			fx.db.ch,
			`SELECT school_id, count() AS reports, sum(enrolled) AS enrolled, sum(present) AS present,
			        sum(absent_excused) AS excused, sum(absent_unexcused) AS unexcused
			 FROM attendance_raw WHERE ts >= ${ms('from')} AND ts < ${ms('to')} GROUP BY school_id`,
			{ from: dayStart, to: now }
		);
		expect(r.length).toBeGreaterThan(SCHOOLS * 0.8);
		const sum = (xs: Record<string, string>[], f: string) => xs.reduce((a, x) => a + num(x[f]), 0);
		const c = k.city.counts.attendance;
		expect(c.reports).toBe(sum(r, 'reports'));
		expect(c.enrolled).toBe(sum(r, 'enrolled'));
		expect(c.present).toBe(sum(r, 'present'));
		expect(c.absent_excused).toBe(sum(r, 'excused'));
		expect(c.absent_unexcused).toBe(sum(r, 'unexcused'));
		expect(c.schools_reported).toBe(r.length);
		expect(k.city.values.attendance).toBeCloseTo(sum(r, 'present') / sum(r, 'enrolled'), 4);

		const school = new Map(reg.schools.map((s) => [s.school_id, s]));
		for (const [d, summary] of Object.entries(k.districts)) {
			const mine = r.filter((x) => districtOf(school.get(x.school_id)!) === d);
			expect(summary.counts.attendance.present, d).toBe(sum(mine, 'present'));
			expect(summary.counts.attendance.enrolled, d).toBe(sum(mine, 'enrolled'));
			expect(summary.counts.attendance.schools_reported, d).toBe(mine.length);
		}
		const byId = new Map(k.schools.map((t) => [t[0], t]));
		for (const x of r.filter((_, i) => i % 97 === 0)) {
			const t = byId.get(x.school_id)!;
			expect(t[2], x.school_id).toBeCloseTo(num(x.present) / num(x.enrolled), 4);
		}
	});

	it('device uptime: up seconds and heartbeats over the wall’s window', async () => {
		const w0 = Date.parse(k.uptime_window.from);
		const w1 = Date.parse(k.uptime_window.to);
		expect(w1 - w0).toBeGreaterThanOrEqual(10 * 60_000);
		const [x] = await rows<Record<string, string>>(
			fx.db.ch,
			`SELECT sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up,
			        countIf(event = 'heartbeat') AS beats, uniqExact(school_id) AS schools
			 FROM device_raw WHERE ts >= ${ms('w0')} AND ts < ${ms('w1')}`,
			{ w0, w1 }
		);
		const u = k.city.counts.uptime;
		expect(num(x.beats)).toBeGreaterThan(100_000);
		expect(u.up_seconds).toBe(num(x.up));
		expect(u.heartbeats).toBe(num(x.beats));
		expect(k.city.values.uptime).toBeCloseTo(num(x.up) / u.scheduled_seconds, 4);
		const perDistrict = await rows<{ school_id: string; up: string }>(
			fx.db.ch,
			`SELECT school_id, sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up
			 FROM device_raw WHERE ts >= ${ms('w0')} AND ts < ${ms('w1')} GROUP BY school_id`,
			{ w0, w1 }
		);
		const school = new Map(reg.schools.map((s) => [s.school_id, s]));
		for (const [d, summary] of Object.entries(k.districts))
			expect(summary.counts.uptime.up_seconds, d).toBe(
				perDistrict
					.filter((r) => districtOf(school.get(r.school_id)!) === d)
					.reduce((a, r) => a + num(r.up), 0)
			);
	});

	it('library: today against the same weekdays before, for schools with a baseline', async () => {
		const dayStart = clock.dayStart(now);
		const range = (k: number) =>
			`ts >= fromUnixTimestamp64Milli(${dayStart - 7 * k * D}, 'UTC') AND ts < fromUnixTimestamp64Milli(${now - 7 * k * D}, 'UTC')`;
		const r = await rows<Record<string, string>>(
			fx.db.ch,
			`SELECT school_id, ${[0, 1, 2, 3, 4].map((k) => `sumIf(loans + returns + ebook_opens + visits, ${range(k)}) AS w${k}`).join(', ')}
			 FROM library_raw GROUP BY school_id`
		);
		let today = 0;
		let baseline = 0;
		let withBaseline = 0;
		const index = new Map<string, number>();
		for (const x of r) {
			const weeks = [1, 2, 3, 4].map((k) => num(x[`w${k}`])).filter((v) => v > 0);
			if (!weeks.length) continue;
			const b = weeks.reduce((a, v) => a + v, 0) / weeks.length;
			today += num(x.w0);
			baseline += b;
			withBaseline++;
			index.set(x.school_id, num(x.w0) / b);
		}
		expect(withBaseline).toBeGreaterThan(1000);
		const c = k.city.counts.library;
		expect(c.today).toBe(today);
		expect(c.baseline).toBeCloseTo(baseline, 6);
		expect(c.schools_with_baseline).toBe(withBaseline);
		expect(k.city.values.library).toBeCloseTo(today / baseline, 4);
		const byId = new Map(k.schools.map((t) => [t[0], t]));
		for (const [id, v] of [...index].filter((_, i) => i % 53 === 0))
			expect(byId.get(id)![4], id).toBeCloseTo(v, 4);
	});

	it('completeness: each school’s latest report per dataset', async () => {
		const [x] = await rows<Record<string, string>>(
			fx.db.ch,
			`SELECT sum(r) AS required, sum(f) AS filled, uniqExact(school_id) AS schools FROM (
			   SELECT school_id, dataset, argMax(required_fields, ts) AS r, argMax(filled_fields, ts) AS f
			   FROM completeness_raw WHERE ts < ${ms('to')} GROUP BY school_id, dataset)`,
			{ to: now }
		);
		const c = k.city.counts.completeness;
		expect(num(x.schools)).toBeGreaterThan(SCHOOLS * 0.9);
		expect(c.required).toBe(num(x.required));
		expect(c.filled).toBe(num(x.filled));
		expect(c.schools_reported).toBe(num(x.schools));
		expect(k.city.values.completeness).toBeCloseTo(num(x.filled) / num(x.required), 4);
	});
});
