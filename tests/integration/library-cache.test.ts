/**
 * The library range cache (src/lib/server/kpi/library-cache.ts): ranges of earlier days served
 * from memory give what the minute rollup gives, at any time of day; a late event for one of those
 * days is seen on the next read; today's range is always read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '#server/platform/log';
import { LibraryRangeCache } from '#server/kpi/library-cache';
import { libraryBySchool } from '#server/kpi/queries';
import { kindVersions, versionBoard } from '#server/kpi/day-cache';
import { libraryRanges } from '#server/kpi/snapshot';
import { DAY_MS, dayStartMs, localDay } from '#shared/calendar';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureEvents, testRegistry } from '#harness/events';

setLogLevel('warn');
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
const { lib } = fixtureEvents('library-cache-test');
// "now": today at 10:17:42.5 (a moment not on a minute), with the same time on earlier days.
// "Today" is the local day 12 hours ago, so that its 11:00 events are never in the future of the
// real clock (the ingest refuses those as future_ts) whatever time the test runs.
const today = dayStartMs(localDay(Date.now() - 12 * 3_600_000));
const now = today + 10 * 3_600_000 + 17 * 60_000 + 42_500;
const ranges = libraryRanges(today, now);
let fx: FixtureIngest;

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	const msgs = [];
	// activity on each day the ranges cover: before the cut (counted) and after it (not)
	for (let k = 0; k <= 29; k++) {
		const day = today - k * DAY_MS;
		msgs.push(
			lib(nk1, day + 8 * 3_600_000 + k * 60_000, 3 + k),
			lib(cd1, day + 9 * 3_600_000, 2),
			lib(nk2, day + 11 * 3_600_000, 50)
		);
	}
	// on the cut's own minute, before and after the cut second: its minute bucket starts before the cut
	msgs.push(lib(nk2, today - 7 * DAY_MS + 10 * 3_600_000 + 17 * 60_000 + 5_000, 4));
	await fx.submit(msgs);
}, 120_000);

afterAll(async () => {
	await fx?.stop();
});

describe('library range cache', () => {
	it('gives what the minute rollup gives; earlier days come from memory until one of them changes', async () => {
		const cache = new LibraryRangeCache(fx.db.ch);
		const direct = await libraryBySchool(fx.db.ch, ranges);
		expect(direct.get(nk1.school_id)?.ranges[0]).toBe(3);
		expect(direct.get(nk2.school_id)?.ranges[2]).toBe(4);
		const first = await cache.bySchool(ranges, now);
		expect(first).toEqual(direct);
		// 9 of the 10 ranges are on 9 earlier days: each day read once, whole, then kept; today's range is read every time
		expect(cache.stats).toEqual({ hits: 0, reads: 9 });
		expect(await cache.bySchool(ranges, now)).toEqual(direct);
		expect(cache.stats).toEqual({ hits: 9, reads: 9 });
		// another time of day (a replay playing forward, the next minute): the same days, no read
		for (const later of [now + 37 * 60_000 + 1, today + 8 * 3_600_000, today + 23 * 3_600_000]) {
			const r = libraryRanges(today, later);
			expect(await cache.bySchool(r, later)).toEqual(await libraryBySchool(fx.db.ch, r));
		}
		expect(cache.stats).toEqual({ hits: 36, reads: 9 });

		// a late event for the same weekday last week, before the cut: that range alone is read again
		await fx.submit([lib(cd1, today - 7 * DAY_MS + 7 * 3_600_000, 5)]);
		// seen once the closed days' versions are read again: a tick later (here, at once)
		versionBoard(fx.db.ch).expire();
		const after = await cache.bySchool(ranges, now);
		expect(after).toEqual(await libraryBySchool(fx.db.ch, ranges));
		expect(after.get(cd1.school_id)!.ranges[2]).toBe(first.get(cd1.school_id)!.ranges[2] + 5);
		expect(cache.stats).toEqual({ hits: 44, reads: 10 });

		// versions the caller already read are used as they are: one that differs reads that day again
		const days = [...new Set(ranges.slice(1).map(([a]) => localDay(a)))];
		const known = await kindVersions(fx.db.ch, 'library', Math.min(...days), Math.max(...days));
		expect(await cache.bySchool(ranges, now, known)).toEqual(after);
		expect(cache.stats).toEqual({ hits: 53, reads: 10 });
		const other = new Map(known).set(localDay(today - 14 * DAY_MS), 'another');
		expect(await cache.bySchool(ranges, now, other)).toEqual(after);
		expect(cache.stats).toEqual({ hits: 61, reads: 11 });
	});
});
