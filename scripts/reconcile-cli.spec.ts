import { describe, expect, it } from 'vitest';
import { localMs } from '#shared/calendar';
import type { ReconcileResult } from '#server/platform/clickhouse/reconcile';
import { parseReconcileArgs, report } from './reconcile-cli';

const TABLES = ['day_versions', 'device_1h', 'device_1d'];
// 5 December 2026, 10:00 in Cần Thơ
const NOW = localMs(2026, 12, 5, 10);
const parse = (s: string) => parseReconcileArgs(s ? s.split(' ') : [], TABLES, NOW);
const message = (s: string) => {
	const r = parse(s);
	return r.ok ? null : r.message;
};

describe('npm run reconcile arguments', () => {
	it('takes a range, --repair, tables, a limit and --json', () => {
		expect(parse('--from 2026-11-01 --to 2026-11-30')).toEqual({
			ok: true,
			value: { from: '2026-11-01', to: '2026-11-30', repair: false, limit: 50, json: false }
		});
		expect(
			parse(
				'--from=2026-12-05 --to 2026-12-05 --repair --table device_1h --table device_1d --table device_1h --limit 0 --json'
			)
		).toEqual({
			ok: true,
			value: {
				from: '2026-12-05',
				to: '2026-12-05',
				repair: true,
				tables: ['device_1h', 'device_1d'],
				limit: 0,
				json: true
			}
		});
	});

	it('names the argument that is missing or wrong', () => {
		expect(message('')).toBe('--from is needed (a Vietnam day, YYYY-MM-DD)');
		expect(message('--from 2026-11-01')).toBe('--to is needed (a Vietnam day, YYYY-MM-DD)');
		expect(message('--from 2026-02-30 --to 2026-03-01')).toBe(
			'--from must be a date YYYY-MM-DD, not "2026-02-30"'
		);
		expect(message('--from 2026-11-01 --to 1/12/2026')).toBe(
			'--to must be a date YYYY-MM-DD, not "1/12/2026"'
		);
		expect(message('--from 2026-11-02 --to 2026-11-01')).toBe(
			'--to (2026-11-01) is before --from (2026-11-02)'
		);
		expect(message('--from 2026-11-01 --to 2026-12-06')).toBe(
			'--to (2026-12-06) is after today: no events are there yet'
		);
		expect(message('--from 2026-11-01 --to 2026-11-02 --table device_1m --table nope')).toBe(
			'--table device_1m, nope: not a reconciled table (day_versions, device_1h, device_1d)'
		);
		expect(message('--from 2026-11-01 --to 2026-11-02 --limit=-1')).toBe(
			'--limit must be a whole number ≥ 0, not "-1"'
		);
		expect(message('--from 2026-11-01 --to 2026-11-02 --limit 2.5')).toBe(
			'--limit must be a whole number ≥ 0, not "2.5"'
		);
		expect(message('--from 2026-11-01 --to 2026-11-02 --fix')).toMatch(/Unknown option '--fix'/);
		expect(message('--from 2026-11-01 --to 2026-11-02 extra')).toMatch(
			/Unexpected argument 'extra'/
		);
		expect(message('--from 2026-11-01 --to 2026-11-02 --repair=yes')).toMatch(/--repair/);
	});
});

describe('npm run reconcile report', () => {
	const table = (name: string, differing: number) => ({
		table: name,
		from: '2026-11-01',
		to: '2026-11-02',
		checked: 1200,
		differing,
		repaired: 0,
		remaining: differing,
		ms: 1500
	});
	const result: ReconcileResult = {
		from: '2026-11-01',
		to: '2026-11-02',
		started_at: '2026-12-05T03:00:00.000Z',
		finished_at: '2026-12-05T03:00:03.000Z',
		repair: false,
		tables: [
			{ ...table('day_versions', 0) },
			{ ...table('device_1h', 2), note: 'device_raw keeps 90 days: compared from 2026-11-02' }
		],
		checked: 2400,
		differing: 2,
		differences: [
			{
				table: 'device_1h',
				school_id: 's1',
				bucket: '2026-11-02T00:00:00Z',
				field: 'heartbeats',
				raw: '240',
				rollup: null
			},
			{
				table: 'device_1h',
				school_id: 's1',
				bucket: '2026-11-02T00:00:00Z',
				field: 'devices',
				raw: '4',
				rollup: null
			},
			{
				table: 'device_1h',
				school_id: 's2',
				bucket: '2026-11-02T01:00:00Z',
				field: 'went_down',
				raw: '1',
				rollup: '2'
			}
		],
		repaired: 0,
		remaining: 2
	};

	it('says what was compared, per table, and each differing bucket once with its fields', () => {
		expect(report(result, 50).split('\n')).toEqual([
			'reconcile 2026-11-01 … 2026-11-02: 2,400 buckets compared, 2 differing',
			'  day_versions  2026-11-01 … 2026-11-02      1,200 compared       0 differing  1.5 s',
			'  device_1h     2026-11-01 … 2026-11-02      1,200 compared       2 differing  1.5 s  (device_raw keeps 90 days: compared from 2026-11-02)',
			'differences (raw → rollup; ∅: no row):',
			'  device_1h s1 2026-11-02T00:00:00Z: heartbeats 240 → ∅, devices 4 → ∅',
			'  device_1h s2 2026-11-02T01:00:00Z: went_down 1 → 2'
		]);
	});

	it('lists at most `limit` buckets', () => {
		const lines = report(result, 1).split('\n');
		expect(lines.slice(-2)).toEqual([
			'  device_1h s1 2026-11-02T00:00:00Z: heartbeats 240 → ∅, devices 4 → ∅',
			'  … 2 differing buckets in all; --json lists the first 200 of each table'
		]);
		expect(report(result, 0)).not.toMatch(/differences/);
	});
});
