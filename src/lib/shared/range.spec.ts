import { describe, expect, it } from 'vitest';
import { dayOf, localMs } from './calendar';
import {
	DEFAULT_RANGE,
	checkWallReplay,
	formatAt,
	formatDay,
	parseAt,
	parseDay,
	parseRangeQuery,
	resolveRange,
	type RangeQuery
} from './range';

const q = (s: string) => parseRangeQuery(new URLSearchParams(s));
const now = localMs(2026, 11, 28, 10, 30); // Saturday 28 Nov 2026, 10:30 in Cần Thơ
const ok = <T>(r: { ok: true; value: T } | { ok: false }): T => {
	if (!r.ok) throw new Error(JSON.stringify(r));
	return r.value;
};

describe('range parsing', () => {
	it('reads presets, custom days, replay moments and comparison', () => {
		expect(ok(q(''))).toEqual(DEFAULT_RANGE);
		expect(ok(q('range=7d&compare=1'))).toEqual({ ...DEFAULT_RANGE, preset: '7d', compare: true });
		expect(ok(q('from=2026-10-29&to=2026-11-02'))).toEqual({
			...DEFAULT_RANGE,
			preset: 'custom',
			from: '2026-10-29',
			to: '2026-11-02'
		});
		expect(ok(q('at=2026-11-24T08:15')).at).toBe('2026-11-24T08:15');
	});

	it('refuses bad input with a message key naming the problem', () => {
		const err = (s: string) => {
			const r = q(s);
			return r.ok ? null : r.error;
		};
		expect(err('range=fortnight')).toMatchObject({
			key: 'range.error.preset',
			params: { value: 'fortnight' }
		});
		expect(err('range=custom&from=2026-11-01')).toMatchObject({
			key: 'range.error.custom_needs_dates'
		});
		expect(err('range=custom&from=2026-02-30&to=2026-03-02')).toMatchObject({
			key: 'range.error.date',
			params: { name: 'from', value: '2026-02-30' }
		});
		expect(err('range=custom&from=2026-02-01&to=tomorrow')).toMatchObject({
			key: 'range.error.date',
			params: { name: 'to' }
		});
		expect(err('at=2026-11-24 08:15')).toMatchObject({ key: 'range.error.at' });
		expect(err('at=2026-11-24T25:00')).toMatchObject({ key: 'range.error.at' });
		expect(err('compare=yes')).toMatchObject({ key: 'range.error.compare' });
	});

	it('refuses ranges that end before they start, lie in the future or reach past the retention', () => {
		const res = (s: string) => {
			const r = resolveRange(ok(q(s)), now);
			return r.ok ? null : r.error.key;
		};
		expect(res('from=2026-11-10&to=2026-11-01')).toBe('range.error.end_before_start');
		expect(res('from=2026-11-10&to=2026-11-29')).toBe('range.error.future');
		expect(res('at=2026-11-28T10:31')).toBe('range.error.future');
		expect(res('from=2025-01-01&to=2025-01-31')).toBe('range.error.retention');
		expect(res('from=2025-11-01&to=2025-11-30')).toBeNull();
	});
});

describe('resolving a range', () => {
	const r = (s: string, shift = 0) => ok(resolveRange(ok(q(s)), now, shift));

	it('today runs from local midnight to now; 7 and 30 days end today', () => {
		expect(r('')).toMatchObject({
			fromDay: dayOf(2026, 11, 28),
			toDay: dayOf(2026, 11, 28),
			from: localMs(2026, 11, 28),
			to: now,
			days: 1,
			replay: false
		});
		expect(r('range=7d')).toMatchObject({ fromDay: dayOf(2026, 11, 22), days: 7 });
		expect(r('range=30d')).toMatchObject({ fromDay: dayOf(2026, 10, 30), days: 30 });
	});

	it('the school year starts on 5 September, of last year before September', () => {
		expect(formatDay(r('range=year').fromDay)).toBe('2026-09-05');
		const march = ok(resolveRange(ok(q('range=year')), localMs(2026, 3, 2, 9)));
		expect(formatDay(march.fromDay)).toBe('2025-09-05');
	});

	it('a custom range covers whole days; the previous period is as long and ends as late in its day', () => {
		const x = r('from=2026-10-29&to=2026-11-02&compare=1');
		expect([x.from, x.to]).toEqual([localMs(2026, 10, 29), localMs(2026, 11, 3)]);
		expect([x.prevFrom, x.prevTo]).toEqual([localMs(2026, 10, 24), localMs(2026, 10, 29)]);
	});

	it('a replay ends at its moment, and its presets count from that day', () => {
		const x = r('range=7d&at=2026-11-24T08:15');
		expect(x.to).toBe(localMs(2026, 11, 24, 8, 15));
		expect(x.asOf).toBe(x.to);
		expect(formatDay(x.fromDay)).toBe('2026-11-18');
		expect(x.replay).toBe(true);
	});

	it('under the demo clock, days start at the shifted midnight', () => {
		const x = r('', 3 * 3600_000);
		expect(x.from).toBe(localMs(2026, 11, 28, 3));
	});
});

describe('moments', () => {
	it('round-trips days and minutes, and rejects impossible ones', () => {
		expect(formatDay(parseDay('2026-02-28')!)).toBe('2026-02-28');
		expect(parseDay('2026-02-29')).toBeNull();
		expect(formatAt(parseAt('2026-11-24T08:15')!)).toBe('2026-11-24T08:15');
		expect(parseAt('2026-11-24T08:15')).toBe(localMs(2026, 11, 24, 8, 15));
	});

	it('the wall replays the last 34 days only', () => {
		expect(checkWallReplay('2026-11-24T08:15', now)).toEqual({
			ok: true,
			value: localMs(2026, 11, 24, 8, 15)
		});
		expect(checkWallReplay('2026-10-01T08:15', now)).toMatchObject({
			ok: false,
			error: { key: 'range.error.wall_replay' }
		});
		expect(checkWallReplay(null, now)).toMatchObject({
			ok: false,
			error: { key: 'range.error.at' }
		});
	});

	it('keeps RangeQuery a plain value', () => {
		const x: RangeQuery = { ...DEFAULT_RANGE };
		expect(JSON.parse(JSON.stringify(x))).toEqual(x);
	});
});
