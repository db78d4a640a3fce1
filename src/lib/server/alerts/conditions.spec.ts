import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type AlertRule } from '../../shared/alerts';
import { localMs } from '../../shared/calendar';
import type { School } from '../../shared/registry';
import { DayClock } from '../kpi/day-clock';
import { conditionsOf, type Measurements } from './conditions';

const school = (id: string, over: Partial<School> = {}): School =>
	({
		school_id: id,
		name: id,
		area_id: 'ninh-kieu',
		levels: ['primary'],
		devices: 4,
		elibrary: true,
		...over
	}) as School;
const schools = [school('a'), school('b'), school('c', { devices: 0, elibrary: false })];
const clock = new DayClock(0);
// Tuesday 3 November 2026, 10:00 (school hours); Sunday 8 November, 10:00 (no school)
const tue = localMs(2026, 11, 3, 10, 0);
const sun = localMs(2026, 11, 8, 10, 0);

function m(now: number, over: Partial<Measurements> = {}): Measurements {
	return {
		now,
		schools,
		districtOf: () => 'ninh-kieu',
		attendance: new Map([
			['a', { reports: 2, present: 60, enrolled: 80 }],
			['c', { reports: 1, present: 30, enrolled: 30 }]
		]),
		devices: new Map([
			[
				15,
				{
					from: now - 15 * 60_000,
					to: now,
					schools: new Map([
						['a', { up_seconds: 4 * 15 * 60 * 0.5, heartbeats: 30 }],
						['b', { up_seconds: 4 * 15 * 60, heartbeats: 60 }]
					])
				}
			]
		]),
		lastHeard: new Map([
			['a', now - 60_000],
			['b', now - 25 * 60_000]
		]),
		lastLibrary: now - 61 * 60_000,
		completeness: new Map([
			['a', { required: 100, filled: 95, last_sync_department: now - 3_600_000 }],
			['b', { required: 100, filled: 80, last_sync_department: now - 3_600_000 }],
			['c', { required: 100, filled: 99, last_sync_department: now - 72 * 3_600_000 }]
		]),
		rejects: new Map([[5, 51]]),
		...over
	};
}
const fired = (rules: readonly AlertRule[], x: Measurements) =>
	conditionsOf(rules, x, clock)
		.conditions.map((c) => `${c.rule_id}:${c.school_id}`)
		.sort();

describe('alert conditions', () => {
	it('each default rule fires where its condition holds, and only there', () => {
		expect(fired(DEFAULT_RULES, m(tue))).toEqual([
			'attendance_low:a', // 75% < 85%
			'attendance_missing:b', // no roll call by 09:00
			'completeness_low:b', // 80% < 90%
			'completeness_low:c', // synced 72 h ago > 48 h
			'library_silent:', // nothing in the city for 61 minutes
			'rejects_spike:', // 51 > 50 in 5 minutes
			'school_silent:b', // its devices unheard for 25 minutes (c has no devices: never "silent")
			'uptime_low:a' // 50% over 15 minutes < 80%
		]);
	});

	it('is not evaluated outside its hours: on a Sunday, before the cut-off, when disabled', () => {
		const r = conditionsOf(DEFAULT_RULES, m(sun), clock);
		// school-hour rules are not evaluated on a Sunday (their open alerts stay as they are); the
		// attendance rules are, and find nothing missing on a day without school
		expect(r.evaluated).toContain('attendance_missing');
		expect(r.evaluated).not.toContain('school_silent');
		expect(r.evaluated).not.toContain('uptime_low');
		expect(r.evaluated).not.toContain('library_silent');
		expect(r.conditions.map((c) => c.rule_id)).not.toContain('attendance_missing');
		const early = conditionsOf(DEFAULT_RULES, m(localMs(2026, 11, 3, 8, 30)), clock);
		expect(early.evaluated).not.toContain('attendance_missing');
		const off = DEFAULT_RULES.map((x) => ({ ...x, enabled: x.id !== 'rejects_spike' }));
		expect(conditionsOf(off, m(tue), clock).evaluated).not.toContain('rejects_spike');
	});

	it('counts uptime only over the minutes the stream covered', () => {
		// the stream began 6 minutes ago: school b's 6 minutes up are 100 %, not 40 %; too short a cover is not judged
		const six = m(tue, {
			devices: new Map([
				[
					15,
					{
						from: tue - 6 * 60_000,
						to: tue,
						schools: new Map([['b', { up_seconds: 4 * 6 * 60, heartbeats: 24 }]])
					}
				]
			])
		});
		expect(fired(DEFAULT_RULES, six)).not.toContain('uptime_low:b');
		const low = m(tue, {
			devices: new Map([
				[
					15,
					{
						from: tue - 10 * 60_000,
						to: tue,
						schools: new Map([['b', { up_seconds: 4 * 10 * 60 * 0.6, heartbeats: 24 }]])
					}
				]
			])
		});
		expect(fired(DEFAULT_RULES, low)).toContain('uptime_low:b');
		expect(conditionsOf(DEFAULT_RULES, six, clock).evaluated).not.toContain('uptime_low');
	});

	it('follows the thresholds an admin sets', () => {
		const strict = DEFAULT_RULES.map((x) =>
			x.id === 'attendance_low'
				? { ...x, params: { ...x.params, below: 0.7 } }
				: x.id === 'school_silent'
					? { ...x, params: { ...x.params, minutes: 30 } }
					: x
		);
		const f = fired(strict, m(tue));
		expect(f).not.toContain('attendance_low:a');
		expect(f).not.toContain('school_silent:b');
	});
});
