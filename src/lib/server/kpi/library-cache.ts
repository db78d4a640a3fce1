/**
 * Library activity per school over ranges of earlier days, from memory. The usual level (the
 * wall's, and a view's day in progress) compares today so far with the same time of day on the 4
 * previous same weekdays: those days are over, yet every replayed frame and every view of a day
 * in progress read them again from the minute rollup (10 ranges, the costliest wall query).
 * - An earlier day is read once, whole, from the minute rollup: each school's minutes with
 *   activity and the running total. Any range of it (any time of day: a replay playing forward,
 *   a live wall's next minute) is then two binary searches per school.
 * - A day is used only while its version (day_versions, migration 0008: library events ever
 *   written for it) is the one it was read at: a late event, a backfill or an import reads it
 *   again. The versions are read before the rows, so rows newer than their version only cause a
 *   re-read. Today (the real clock's) is always read from the rollup.
 * - The minute rollup keeps 35 days: a day read while it was there keeps its numbers here.
 */
import { DAY_MS, dayStartMs, localDay } from '../../shared/calendar';
import { rows, type CH, perClient } from '../platform/clickhouse/client';
import { versionsFor } from './day-cache';
import { libraryOver, type LibraryRow } from './queries';
import { sharedPerClient, upToAbout } from './tick-shared';
import { VersionedCache } from './versioned-cache';
import { msParam } from '../platform/clickhouse/sql';

/** Days kept at most (the wall and the views ask 9 earlier days; replays of other days add theirs). */
export const MAX_DAYS = 120;

/** One school's day: the start of each minute with activity (ascending) and the activity up to and including it. */
interface Curve {
	t: Float64Array;
	cum: Float64Array;
}
type Day = Map<string, Curve>;

/** Activity of a curve in [a, b): buckets starting in it. */
function between(c: Curve, a: number, b: number): number {
	const upTo = (x: number) => {
		// the running total of buckets starting before x
		let lo = 0;
		let hi = c.t.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (c.t[mid] < x) lo = mid + 1;
			else hi = mid;
		}
		return lo === 0 ? 0 : c.cum[lo - 1];
	};
	return upTo(b) - upTo(a);
}

export class LibraryRangeCache {
	private readonly days: VersionedCache<number, Day>;
	readonly stats: { hits: number; reads: number };

	constructor(
		private readonly ch: CH,
		maxDays = MAX_DAYS
	) {
		this.days = new VersionedCache(maxDays);
		this.stats = this.days.stats;
	}

	/**
	 * What libraryBySchool(ranges) gives, with earlier days from memory when unchanged. `known`:
	 * library versions this request has already read (a view's day cache read them a moment ago);
	 * when they cover every earlier day asked, they are not read again.
	 */
	async bySchool(
		ranges: readonly (readonly [number, number])[],
		now = Date.now(),
		known?: ReadonlyMap<number, string>,
		/** an open range's activity already read (a replay's day up to its moment) */
		open?: { from: number; to: number; bySchool: ReadonlyMap<string, number> }
	): Promise<Map<string, LibraryRow>> {
		const today = localDay(now);
		// a range ending before today is answered from its days (a demo clock's range may cross midnight)
		const earlier = ranges.map(([a, b]) => b > a && localDay(b - 1) < today);
		const wanted = new Set<number>();
		ranges.forEach(([a, b], i) => {
			if (earlier[i]) for (let d = localDay(a); d <= localDay(b - 1); d++) wanted.add(d);
		});
		const days = await this.load([...wanted], known);
		// a range ending today (today so far: the costliest part, read whenever a count lands) from
		// the hourly rollup where it holds whole hours
		const openRanges = ranges.flatMap((r, i) => (r[1] > r[0] && !earlier[i] ? [i] : []));
		const fresh: ReadonlyMap<string, number>[] = [];
		for (const i of openRanges) {
			const [a, b] = ranges[i];
			fresh.push(
				open && open.from === a && open.to === b
					? open.bySchool
					: await openLibrary(this.ch).get(`${a}`, b, (to) => libraryOver(this.ch, a, to, now))
			);
		}
		const out = new Map<string, LibraryRow>();
		const add = (id: string, i: number, v: number) => {
			if (!v) return;
			let row = out.get(id);
			if (!row)
				out.set(id, (row = { school_id: id, ranges: new Array<number>(ranges.length).fill(0) }));
			row.ranges[i] += v;
		};
		ranges.forEach(([a, b], i) => {
			if (!earlier[i]) return;
			for (let d = localDay(a); d <= localDay(b - 1); d++)
				for (const [id, c] of days.get(d)!) add(id, i, between(c, a, b));
		});
		openRanges.forEach((i, j) => {
			for (const [id, v] of fresh[j]) add(id, i, v);
		});
		return out;
	}

	/** The asked days, each checked against its version first; stale or missing ones read in one query. */
	private async load(
		want: number[],
		known?: ReadonlyMap<number, string>
	): Promise<Map<number, Day>> {
		const out = new Map<number, Day>();
		if (!want.length) return out;
		const versions = await versionsFor(
			this.ch,
			'library',
			Math.min(...want),
			Math.max(...want),
			known
		);
		const versionOf = (d: number) => versions.get(d) ?? '0';
		// the days kept at their current versions, the others read in one query
		for (const d of want) {
			const day = this.days.peek(d, versionOf(d));
			if (day) out.set(d, day);
		}
		const stale = want.filter((d) => !out.has(d));
		this.stats.hits += want.length - stale.length;
		if (stale.length) {
			this.stats.reads += stale.length;
			const params: Record<string, number> = {};
			const where = stale.map((d, i) => {
				params[`a${i}`] = dayStartMs(d);
				params[`b${i}`] = dayStartMs(d) + DAY_MS;
				return `(bucket >= ${msParam(`a${i}`)} AND bucket < ${msParam(`b${i}`)})`;
			});
			const r = await rows<{ school_id: string; t: string; v: string }>(
				this.ch,
				`SELECT school_id, toUnixTimestamp(bucket) * 1000 AS t, sum(loans + returns + ebook_opens + visits) AS v
				 FROM library_rollup WHERE grain = 1 AND (${where.join(' OR ')}) GROUP BY school_id, t HAVING v != 0 ORDER BY school_id, t`,
				params
			);
			const fresh = new Map<number, Map<string, { t: number[]; v: number[] }>>(
				stale.map((d) => [d, new Map()])
			);
			for (const x of r) {
				const t = Number(x.t);
				const day = fresh.get(localDay(t))!;
				let s = day.get(x.school_id);
				if (!s) day.set(x.school_id, (s = { t: [], v: [] }));
				s.t.push(t);
				s.v.push(Number(x.v));
			}
			for (const [d, schools] of fresh) {
				const curves: Day = new Map();
				for (const [id, s] of schools) {
					const cum = new Float64Array(s.v.length);
					s.v.reduce((acc, v, i) => (cum[i] = acc + v), 0);
					curves.set(id, { t: Float64Array.from(s.t), cum });
				}
				this.days.put(d, versionOf(d), curves);
				out.set(d, curves);
			}
		}
		return out;
	}
}

/**
 * Today so far per school, shared for a tick by every view and screen asking it up to about the
 * same moment (tick-shared.ts).
 */
const openLibrary = sharedPerClient<Map<string, number>, number>({
	max: 16,
	fits: upToAbout
});

/** The library range cache of a ClickHouse client (one per client, made on first use). */
export const libraryCache = perClient((ch) => new LibraryRangeCache(ch));
