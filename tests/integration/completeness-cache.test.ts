/**
 * The wall's completeness cache (src/lib/server/kpi/completeness-cache.ts): the state at the day's
 * start kept in memory plus the day's own reports give what one merge over the whole lookback
 * gives, and a late report for an earlier day is seen on the next read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '#server/platform/log';
import { CompletenessCache } from '#server/kpi/completeness-cache';
import { completenessBySchool } from '#server/kpi/queries';
import { DAY_MS, dayStartMs, localDay } from '#shared/calendar';
import { startFixtureIngest, type FixtureIngest } from '#harness/fixture-ingest';
import { fixtureEvents, testRegistry } from '#harness/events';

setLogLevel('warn');
const reg = testRegistry();
const [nk1, nk2, cd1] = reg.schools;
const { comp } = fixtureEvents('completeness-cache-test');
const today = dayStartMs(localDay(Date.now()));
// a moment of today (the cut), and the same wall asked again a few minutes later
const now = Math.min(Date.now(), today + 10 * 3_600_000);
let fx: FixtureIngest;

beforeAll(async () => {
	fx = await startFixtureIngest(reg);
	await fx.submit([
		// earlier days: two reports of one dataset (the later counts), another dataset, another school
		comp(nk1, today - 3 * DAY_MS + 9 * 3_600_000, 'students', 1000, 900, {
			sync: today - 3 * DAY_MS + 9 * 3_600_000
		}),
		comp(nk1, today - 2 * DAY_MS + 9 * 3_600_000, 'students', 1000, 950),
		comp(nk1, today - 20 * DAY_MS, 'staff', 200, 120),
		comp(cd1, today - 5 * DAY_MS + 8 * 3_600_000, 'classes', 300, 300, {
			sync: today - 5 * DAY_MS + 8 * 3_600_000
		}),
		// older than the lookback: not counted
		comp(nk2, today - 40 * DAY_MS, 'students', 500, 100),
		// today, before the cut: a newer report of a dataset reported before, and a new one
		comp(nk1, Math.min(now - 60_000, today + 60_000), 'students', 1000, 990),
		comp(nk2, Math.min(now - 60_000, today + 120_000), 'finance', 80, 40)
	]);
}, 120_000);

afterAll(async () => {
	await fx?.stop();
});

describe('completeness cache', () => {
	it('gives what one merge over the lookback gives; the earlier days come from memory until one changes', async () => {
		const cache = new CompletenessCache(fx.db.ch);
		const direct = await completenessBySchool(fx.db.ch, today, now, now);
		expect(direct.get(nk1.school_id)).toMatchObject({
			datasets: 2,
			required: 1200,
			filled: 1110,
			datasets_prev: 2,
			required_prev: 1200,
			filled_prev: 1070
		});
		expect(direct.get(nk2.school_id)).toMatchObject({ datasets: 1, datasets_prev: 0 });
		const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => a.localeCompare(b));
		expect(sorted(await cache.bySchool(today, now, now))).toEqual(sorted(direct));
		expect(sorted(await cache.bySchool(today, now, now))).toEqual(sorted(direct));
		expect(cache.stats).toEqual({ hits: 1, reads: 1 });

		// a late report for an earlier day (newer than that school's last): read again, and it is the latest
		await fx.submit([comp(cd1, today - 4 * DAY_MS, 'classes', 300, 150)]);
		const after = await cache.bySchool(today, now, now);
		expect(sorted(after)).toEqual(sorted(await completenessBySchool(fx.db.ch, today, now, now)));
		expect(after.get(cd1.school_id)).toMatchObject({ filled: 150, filled_prev: 150 });
		expect(cache.stats).toEqual({ hits: 1, reads: 2 });
	});

	it("keeps an earlier day's part up to a cut (a replay, a previous period's end) until that day changes", async () => {
		const cache = new CompletenessCache(fx.db.ch);
		const day = today - 2 * DAY_MS;
		const cut = day + 10 * 3_600_000; // 10:00, after that day's 09:00 report
		const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => a.localeCompare(b));
		const direct = await completenessBySchool(fx.db.ch, day, cut, now);
		expect(direct.get(nk1.school_id)).toMatchObject({ filled: 950 + 120, filled_prev: 900 + 120 });
		expect(sorted(await cache.bySchool(day, cut, now))).toEqual(sorted(direct));
		// the day's start state and its part, each read once, then both from memory
		expect(cache.stats).toEqual({ hits: 0, reads: 2 });
		expect(sorted(await cache.bySchool(day, cut, now))).toEqual(sorted(direct));
		expect(cache.stats).toEqual({ hits: 2, reads: 2 });
		// a late report in that day, before the cut: its part is read again
		await fx.submit([comp(nk1, day + 9.5 * 3_600_000, 'students', 1000, 970)]);
		const after = await cache.bySchool(day, cut, now);
		expect(sorted(after)).toEqual(sorted(await completenessBySchool(fx.db.ch, day, cut, now)));
		expect(after.get(nk1.school_id)).toMatchObject({ filled: 970 + 120 });
		expect(cache.stats).toEqual({ hits: 3, reads: 3 });
	});

	it('keeps the day in progress while nothing is reported; a report is seen at once, and a cut before a stored report is read each time', async () => {
		const cache = new CompletenessCache(fx.db.ch);
		const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => a.localeCompare(b));
		const direct = (cut: number) => completenessBySchool(fx.db.ch, today, cut, cut).then(sorted);
		expect(sorted(await cache.bySchool(today, now, now))).toEqual(await direct(now));
		expect(cache.todayStats).toEqual({ hits: 0, reads: 1 });
		// a later cut of the same day, nothing reported since: from memory
		const later = now + 500;
		expect(sorted(await cache.bySchool(today, later, later))).toEqual(await direct(later));
		expect(cache.todayStats).toEqual({ hits: 1, reads: 1 });

		// a report of today: read again, counted at once (cd1's classes stand at 150 since the first test)
		await fx.submit([comp(cd1, Math.min(now - 30_000, today + 180_000), 'finance', 50, 45)]);
		const after = await cache.bySchool(today, later, later);
		expect(sorted(after)).toEqual(await direct(later));
		expect(after.get(cd1.school_id)).toMatchObject({ datasets: 2, filled: 150 + 45 });
		expect(cache.todayStats).toEqual({ hits: 1, reads: 2 });

		// a cut before reports already stored (nk2's at +2 min, cd1's at +3): never kept, as a later
		// cut would hold more
		const early = today + 90_000;
		for (const cut of [early, early])
			expect(sorted(await cache.bySchool(today, cut, now))).toEqual(await direct(cut));
		expect(cache.todayStats).toEqual({ hits: 1, reads: 4 });
	});
});
