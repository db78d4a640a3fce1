/**
 * Reconciliation on real chDB: fixture events through the ingest worker leave every rollup equal
 * to its raw table; rollups made wrong on purpose (rows deleted, a view detached while an event
 * was written, a raw row written twice) are found bucket by bucket, `repair` rebuilds them, a
 * second pass finds none, and the drill-down reads the numbers it read before the damage.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistrictView } from '#shared/drill';
import type { ReconciliationHealth } from '#shared/health';
import { resolveRange } from '#shared/range';
import { parseViewQuery } from '#shared/views';
import { connectClickHouse, rows, type CH } from '#server/platform/clickhouse/client';
import { EMPTY_INGEST, problemsOf } from '#server/health';
import {
	NightlyReconcile,
	RAW_TABLES,
	RECONCILED_TABLES,
	ROLLUPS,
	lastReconciliation,
	reconcile,
	type ReconcileResult
} from '#server/platform/clickhouse/reconcile';
import { districtView } from '#server/drill/district';
import { DayClock } from '#server/kpi/day-clock';
import { versionBoard } from '#server/kpi/day-cache';
import { setLogLevel } from '#server/platform/log';
import { fixtureDates } from '#harness/fixture-dates';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureEvents, testRegistry } from '#harness/events';

setLogLevel('warn');
const M = 60_000;
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
// the fixture's days, moved by whole weeks to the latest span before today (harness/fixture-dates.ts);
// the dates in the comments are the fixture's, as written (2 Nov is a Monday in either)
const { at, day } = fixtureDates('2026-10-20', '2026-11-04');
const { roll, beat, lib, comp, ev } = fixtureEvents('reconcile-test');
// the TTLs count from the fixture's days (and TTL merges are stopped): retention is not tested here
const NOW = at(2026, 11, 4, 12);
const FROM = day('2026-10-26');
const TO = day('2026-11-04');
let fx: FixtureIngest;
let ch: CH;
/** a second client on the same data, with its own day cache: first used on the damaged rollups */
let other: CH;

const clock = new DayClock(0);
const now = Date.now();
async function district(on: CH): Promise<DistrictView> {
	const q = parseViewQuery(
		new URLSearchParams(`from=${day('2026-10-29')}&to=${day('2026-11-02')}`)
	);
	if (!q.ok) throw new Error(JSON.stringify(q.error));
	const r = resolveRange(q.value.range, now);
	if (!r.ok) throw new Error(JSON.stringify(r.error));
	return (await districtView({
		ch: on,
		clock,
		registry: fx.registry.registry,
		now,
		districtId: 'ninh-kieu',
		range: r.value,
		view: q.value
	}))!;
}

const where = (r: ReconcileResult) =>
	[
		...new Set(r.differences.map((d) => `${d.table} ${d.school_id} ${d.bucket} ${d.key ?? ''}`))
	].sort();

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	ch = fx.db.ch;
	await ch.command({ query: 'SYSTEM STOP TTL MERGES' });
	const msgs = [
		roll(nk1, at(2026, 10, 27, 7, 30), 40, 40, 0),
		roll(cd1, at(2026, 10, 29, 7, 30), 35, 28, 2),
		roll(nk1, at(2026, 10, 30, 7, 30), 40, 36, 3),
		roll(nk2, at(2026, 10, 30, 7, 30), 30, 30, 0),
		roll(nk1, at(2026, 11, 2, 7, 30), 40, 38, 1),
		roll(nk2, at(2026, 11, 2, 7, 31), 30, 27, 2),
		comp(nk1, at(2026, 10, 29, 10), 'students', 1000, 900, { missing: ['ngay_sinh'] }),
		comp(nk1, at(2026, 10, 29, 10, 20), 'students', 1000, 920),
		comp(nk2, at(2026, 10, 30, 10), 'staff', 200, 150),
		comp(nk1, at(2026, 11, 2, 10), 'students', 1000, 950),
		lib(nk1, at(2026, 10, 27, 7, 20), 40),
		lib(nk1, at(2026, 11, 2, 7, 20), 30),
		lib(nk2, at(2026, 11, 3, 7, 20), 5),
		// a device goes down and comes back
		ev('device', nk2, at(2026, 11, 2, 8, 10), {
			device_id: 't-nk-2-d00',
			room: 'P1',
			device_kind: 'projector',
			status: 'down',
			event: 'change',
			interval_s: 60,
			reason: 'power'
		})
	];
	// Monday 2 Nov: nk1's four devices every minute 07:00–07:59
	for (let m = 0; m < 60; m++)
		for (let i = 0; i < 4; i++) msgs.push(beat(nk1, i, at(2026, 11, 2, 7) + m * M + 5000));
	for (let m = 0; m < 30; m++) msgs.push(beat(nk1, 0, at(2026, 11, 3, 7) + m * M + 5000));
	await fx.submit(msgs);
	other = await connectClickHouse({
		user: 'default',
		password: '',
		database: 'edu',
		chdbPath: path.join(fx.db.dataDir, 'clickhouse')
	});
}, 120_000);

let closed = false;
afterAll(async () => {
	if (closed) await rm(fx.db.dataDir, { recursive: true, force: true });
	else {
		await other?.close();
		await fx?.stop();
	}
});

/** `npm run reconcile -- …args` on the fixture's data (this process has let it go) */
function command(...args: string[]): { status: number | null; out: string; stdout: string } {
	const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: fx.db.dataDir, LOG_LEVEL: 'warn' };
	delete env.CLICKHOUSE_URL;
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reconcile.ts', ...args], {
		env,
		encoding: 'utf8',
		timeout: 60_000
	});
	return { status: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
}

describe('reconcile', () => {
	it('checks every table a materialized view fills, with the TTLs of the schema', async () => {
		const views = await rows<{ target: string }>(
			ch,
			`SELECT DISTINCT arrayJoin(extractAll(create_table_query, 'TO [^.]+\\\\.(\\\\w+)')) AS target
			 FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'`
		);
		expect(views.length).toBeGreaterThanOrEqual(5);
		// a grain of a kind's rollup table is checked under its view's name (migration 0013)
		// (day_versions is a view of their city-wide grain and day_version_bumps)
		const stored = new Set(
			RECONCILED_TABLES.filter((t) => t !== 'day_versions').map(
				(t) => ROLLUPS.find((r) => r.table === t)?.store?.table ?? t
			)
		);
		expect(views.map((v) => v.target).sort()).toEqual([...stored].sort());
		const ttl = async (table: string, grain?: number) => {
			const [t] = await rows<{ e: string }>(
				ch,
				`SELECT engine_full AS e FROM system.tables WHERE database = currentDatabase() AND name = {t:String}`,
				{ t: table }
			);
			const m = grain
				? new RegExp(`toIntervalDay\\((\\d+)\\) WHERE grain = ${grain}\\b`).exec(t.e)
				: /TTL .*toIntervalDay\((\d+)\)/.exec(t.e);
			return m ? Number(m[1]) : null;
		};
		for (const r of ROLLUPS)
			expect([r.table, await ttl(r.store?.table ?? r.table, r.store?.grain)]).toEqual([
				r.table,
				r.keepDays
			]);
		for (const raw of Object.values(RAW_TABLES))
			expect([raw.table, await ttl(raw.table)]).toEqual([raw.table, raw.keepDays]);
	});

	it('finds no difference after ingest, in every table', async () => {
		const r = await reconcile(ch, { from: FROM, to: TO, now: NOW });
		expect(r.differences).toEqual([]);
		expect(r.differing).toBe(0);
		expect(r.tables.map((t) => t.table)).toEqual([...RECONCILED_TABLES]);
		// every table had buckets to compare, over the whole range
		for (const t of r.tables)
			expect([t.table, t.checked > 0, t.from, t.to]).toEqual([t.table, true, FROM, TO]);
		expect(r.tables.find((t) => t.table === 'device_1m')!.checked).toBe(60 + 30 + 1);
		expect(r.tables.find((t) => t.table === 'device_unit_1d')!.checked).toBe(3);
	});

	it('finds the buckets made wrong on purpose, repairs them, and the views read as before', async () => {
		const before = await district(ch);

		// 1. rows lost: one hour of nk1's devices, and its day
		await ch.command({
			query: `ALTER TABLE device_rollup DELETE WHERE grain = 2 AND school_id = 't-nk-1' AND bucket = '${day('2026-11-02')} 00:00:00'`,
			clickhouse_settings: { mutations_sync: '2' }
		});
		await ch.command({
			query: `ALTER TABLE device_rollup DELETE WHERE grain = 3 AND school_id = 't-nk-1' AND toDate(bucket, 'Asia/Ho_Chi_Minh') = '${day('2026-11-02')}'`,
			clickhouse_settings: { mutations_sync: '2' }
		});
		// 2. a view that did not run: library's rollups (its grains, the day's version among them) miss an event
		await ch.command({ query: 'DETACH TABLE library_rollup_mv' });
		await fx.submit([lib(nk2, at(2026, 11, 3, 9), 7)]);
		await ch.command({ query: 'ATTACH TABLE library_rollup_mv' });
		// 3. an event written twice: the rollups count it twice, the raw table (FINAL) once
		await ch.command({
			query: `INSERT INTO attendance_raw SELECT * FROM attendance_raw WHERE school_id = 't-nk-1' AND ts = '${day('2026-10-30')} 00:30:00'`
		});

		// 4. a row only the rollup has: attendance at t-nk-2 on a day it sent nothing (and a day
		// nothing else is repaired on: the repair must move its version all the same)
		await ch.insert({
			table: 'attendance_rollup',
			values: [
				{
					grain: 3,
					school_id: 't-nk-2',
					bucket: `${day('2026-10-28')} 17:00:00`, // 29 Oct in Vietnam
					reports: 1,
					enrolled: 35,
					present: 10,
					absent_excused: 0,
					absent_unexcused: 25
				}
			],
			format: 'JSONEachRow'
		});

		// the damage shows in a reader without a cached day (which now caches the damaged days)
		const damaged = await district(other);
		expect(damaged.values.uptime).not.toBe(before.values.uptime);
		expect(damaged.values.attendance).not.toBe(before.values.attendance);

		const found = await reconcile(ch, { from: FROM, to: TO, now: NOW, record: 'command' });
		// (UTC times: 07:30 in Vietnam is 00:30Z the same day, whichever day the fixture moved to)
		expect(where(found)).toEqual([
			`attendance_1d t-nk-1 ${day('2026-10-30')} `,
			`attendance_1d t-nk-2 ${day('2026-10-29')} `,
			`attendance_1h t-nk-1 ${day('2026-10-30')}T00:00:00Z `,
			`attendance_1m t-nk-1 ${day('2026-10-30')}T00:30:00Z `,
			`day_versions null ${day('2026-11-03')} kind=library`,
			`device_1d t-nk-1 ${day('2026-11-02')} `,
			`device_1h t-nk-1 ${day('2026-11-02')}T00:00:00Z `,
			`library_1d t-nk-2 ${day('2026-11-03')} `,
			`library_1h t-nk-2 ${day('2026-11-03')}T02:00:00Z `,
			`library_1m t-nk-2 ${day('2026-11-03')}T02:00:00Z `
		]);
		expect(found.differing).toBe(10);
		expect(found.remaining).toBe(10);
		expect(found.repaired).toBe(0);
		// what differs, field by field
		const diff = (table: string, field: string, school: string | null = 't-nk-1') =>
			found.differences.find(
				(d) => d.table === table && d.field === field && d.school_id === school
			);
		expect(diff('device_1h', 'heartbeats')).toMatchObject({ raw: '240', rollup: null });
		expect(diff('device_1d', 'devices')).toMatchObject({ raw: '4', rollup: null });
		expect(diff('library_1d', 'visits', 't-nk-2')).toMatchObject({ raw: '12', rollup: '5' });
		expect(found.differences.filter((d) => d.school_id === 't-nk-2')).toContainEqual({
			table: 'attendance_1d',
			school_id: 't-nk-2',
			bucket: day('2026-10-29'),
			field: 'present',
			raw: null,
			rollup: '10'
		});
		expect(diff('library_1d', 'loans', 't-nk-2')).toBeUndefined(); // equal fields are not listed
		expect(diff('day_versions', 'events', null)).toMatchObject({ raw: '2', rollup: '1' });
		expect(diff('attendance_1d', 'present')).toMatchObject({ raw: '36', rollup: '72' });
		// and the health endpoint's source says so
		expect(await lastReconciliation(ch)).toMatchObject({
			by: 'command',
			from: FROM,
			to: TO,
			repair: false,
			differing: 10,
			remaining: 10
		});

		const repaired = await reconcile(ch, { from: FROM, to: TO, now: NOW, repair: true });
		expect(where(repaired)).toEqual(where(found));
		expect(repaired.repaired).toBe(10);
		expect(repaired.remaining).toBe(0);

		const again = await reconcile(ch, {
			from: FROM,
			to: TO,
			now: NOW,
			repair: true,
			record: 'app'
		});
		expect(again.differences).toEqual([]);
		expect(again.repaired).toBe(0);
		expect(await lastReconciliation(ch)).toMatchObject({ by: 'app', differing: 0, remaining: 0 });

		// the views read what they read before the damage: through the first client's day cache,
		// and through the other one's, which had cached the damaged days (the repair moved their versions)
		expect(await district(ch)).toEqual(before);
		// the other client stands for another process: it sees the repair's versions within its
		// board's tick (docs/drill-down.md, "Read once per tick"); here a tick has passed at once
		versionBoard(other).expire();
		expect(await district(other)).toEqual(before);
		const [lib1d] = await rows<{ v: string }>(
			ch,
			`SELECT toString(sum(visits)) AS v FROM library_1d WHERE school_id = 't-nk-2' AND day = '${day('2026-11-03')}'`
		);
		expect(lib1d.v).toBe('12');
	});

	it('compares only the days both tables still keep', async () => {
		// 100 days after the fixture: device_raw (90 days) and the minute rollups (35) have let them go
		const r = await reconcile(ch, { from: FROM, to: TO, now: NOW + 100 * 86_400_000 });
		const t = (name: string) => r.tables.find((x) => x.table === name)!;
		expect(t('device_1h')).toMatchObject({ from: null, checked: 0 });
		expect(t('device_1h').note).toMatch(/device_raw keeps 90 days/);
		expect(t('attendance_1m')).toMatchObject({ from: null, checked: 0 });
		expect(t('attendance_1h')).toMatchObject({ from: FROM, to: TO });
		expect(t('attendance_1h').checked).toBeGreaterThan(0);
		expect(r.differing).toBe(0);
	});

	it("the app's nightly check compares the day before once, from 02:00, and health shows it", async () => {
		const log = { debug() {}, info() {}, warn() {}, error() {} };
		const nightly = new NightlyReconcile(ch, log, { cacheMs: 60_000 });
		const before = await nightly.latest(NOW);
		expect(before).toMatchObject({ by: 'app', from: FROM, to: TO });
		// a day no reconciliation has covered yet: Tuesday 20 October
		await fx.submit([roll(nk2, at(2026, 10, 20, 7, 30), 30, 29, 1)]);
		// 01:30 the next day: too early (late events may still come)
		expect(await nightly.tick(at(2026, 10, 21, 1, 30))).toBeNull();
		const r = await nightly.tick(at(2026, 10, 21, 2, 5));
		expect(r).toMatchObject({
			from: day('2026-10-20'),
			to: day('2026-10-20'),
			repair: false,
			differing: 0
		});
		expect(r!.tables.find((t) => t.table === 'attendance_1m')!.checked).toBe(1);
		// done for that day: neither this process nor another runs it again
		expect(await nightly.tick(at(2026, 10, 21, 9))).toBeNull();
		expect(await new NightlyReconcile(ch, log).tick(at(2026, 10, 21, 9))).toBeNull();
		// and a day a reconciliation covered after it ended is not checked again either
		expect(await nightly.tick(at(2026, 11, 3, 9))).toBeNull();
		expect(await nightly.latest(NOW + 1000)).toMatchObject({
			by: 'app',
			from: day('2026-10-20'),
			to: day('2026-10-20'),
			differing: 0
		});
		const h = (reconciliation: ReconciliationHealth) =>
			problemsOf(
				{
					mode: 'embedded',
					source: 'embedded-feed',
					feed: true,
					schools: 3,
					districts: 2,
					ingest: { ...EMPTY_INGEST, last_event_at: new Date(NOW).toISOString() },
					reconciliation
				},
				NOW
			);
		expect(h((await lastReconciliation(ch))!)).toEqual([]);
		expect(h({ ...(await lastReconciliation(ch))!, remaining: 3 })).toEqual(['rollups_differ']);
	});

	it('refuses a range that is not one', async () => {
		await expect(reconcile(ch, { from: '2026-11-04', to: '2026-11-01' })).rejects.toThrow(
			/'to' \(2026-11-01\) is before 'from'/
		);
		await expect(reconcile(ch, { from: '2026-13-01', to: '2026-11-01' })).rejects.toThrow(
			/'from' must be a date/
		);
	});

	it('npm run reconcile says what differs (exit 1), repairs it with --repair (exit 0)', async () => {
		await ch.command({
			query: `ALTER TABLE device_rollup DELETE WHERE grain = 3 AND school_id = 't-nk-1' AND toDate(bucket, 'Asia/Ho_Chi_Minh') = '${day('2026-11-02')}'`,
			clickhouse_settings: { mutations_sync: '2' }
		});
		// chDB allows one process per data directory: this one lets it go
		await fx.worker.stop();
		await other.close();
		await ch.close();
		closed = true;

		const [from, to] = [day('2026-11-01'), day('2026-11-04')];
		const found = command('--from', from, '--to', to);
		expect(found.out).toContain(`device_1d t-nk-1 ${day('2026-11-02')}: heartbeats 240 → ∅`);
		expect(found.out).toMatch(
			new RegExp(`^reconcile ${from} … ${to}: [\\d,]+ buckets compared, 1 differing$`, 'm')
		);
		expect(found.status).toBe(1);
		const repaired = command('--from', from, '--to', to, '--repair');
		expect(repaired.out).toMatch(/1 differing, 1 rebuilt, 0 still differing/);
		expect(repaired.status).toBe(0);
		const again = command('--from', from, '--to', to, '--json');
		expect(JSON.parse(again.stdout)).toMatchObject({ differing: 0, remaining: 0, differences: [] });
		expect(again.status).toBe(0);
		const bad = command('--from', '2026-11-04', '--to', '2026-11-01');
		expect([bad.status, bad.out.split('\n')[0]]).toEqual([
			2,
			'--to (2026-11-01) is before --from (2026-11-04)'
		]);
	});
});
