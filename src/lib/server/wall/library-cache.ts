/**
 * Library activity per school over earlier days' ranges, kept per process. The usual level (the
 * wall's, and a view's day in progress) compares today so far with the same time of day on the 4
 * previous same weekdays: those days are over, yet every replayed frame and every view of a day
 * in progress read them again from the minute rollup (10 ranges, the costliest wall query).
 * - Ranges are first widened to whole minutes (the rollup's buckets: the same rows), so a live
 *   wall's ranges change once a minute, not at every call.
 * - Only a range that ends before the real clock's day is kept, and it is used only while the
 *   versions of the days it covers (day_versions, migration 0008: library events ever written
 *   per day) are those it was read at. A late event, a backfill or an import reads it again.
 *   The versions are read before the rows, so rows newer than their version only cause a re-read.
 */
import { dayStartMs, localDay, MINUTE_MS } from '../../shared/calendar';
import type { CH } from '../clickhouse/client';
import { kindVersions } from '../drill/day-cache';
import { libraryBySchool, type LibraryRow } from './queries';

/** Ranges kept at most (a live wall adds 9 a minute; the oldest used go first). */
export const MAX_RANGES = 600;

const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

interface Entry {
	versions: string;
	counts: Map<string, number>;
}

export class LibraryRangeCache {
	private readonly entries = new Map<string, Entry>();
	readonly stats = { hits: 0, reads: 0 };

	constructor(
		private readonly ch: CH,
		private readonly maxRanges = MAX_RANGES
	) {}

	/** What libraryBySchool(ranges) gives, with earlier days' ranges from memory when unchanged. */
	async bySchool(ranges: readonly (readonly [number, number])[], now = Date.now()): Promise<Map<string, LibraryRow>> {
		const norm = ranges.map(([a, b]) => (b > a ? ([ceilMinute(a), ceilMinute(b)] as const) : ([a, a] as const)));
		const today = dayStartMs(localDay(now));
		const closed = norm.map(([a, b]) => b > a && b <= today);
		const days = norm.flatMap(([a, b], i) => (closed[i] ? [localDay(a), localDay(b - 1)] : []));
		const versions = days.length ? await kindVersions(this.ch, 'library', Math.min(...days), Math.max(...days)) : new Map<number, string>();
		const versionOf = ([a, b]: readonly [number, number]) => {
			const v: string[] = [];
			for (let d = localDay(a); d <= localDay(b - 1); d++) v.push(versions.get(d) ?? '0');
			return v.join(',');
		};
		const got: (Map<string, number> | null)[] = norm.map(([a, b], i) => {
			if (!(b > a)) return new Map();
			if (!closed[i]) return null;
			const key = `${a}|${b}`;
			const e = this.entries.get(key);
			if (!e || e.versions !== versionOf(norm[i])) return null;
			this.stats.hits++;
			// the least recently used go first: re-inserting moves the range to the end
			this.entries.delete(key);
			this.entries.set(key, e);
			return e.counts;
		});
		const want = got.flatMap((g, i) => (g === null ? [i] : []));
		if (want.length) {
			this.stats.reads += want.length;
			const r = await libraryBySchool(this.ch, want.map((i) => norm[i]));
			want.forEach((i, j) => {
				const counts = new Map<string, number>();
				for (const row of r.values()) if (row.ranges[j]) counts.set(row.school_id, row.ranges[j]);
				got[i] = counts;
				if (closed[i]) this.entries.set(`${norm[i][0]}|${norm[i][1]}`, { versions: versionOf(norm[i]), counts });
			});
			while (this.entries.size > this.maxRanges) this.entries.delete(this.entries.keys().next().value!);
		}
		const out = new Map<string, LibraryRow>();
		got.forEach((counts, i) => {
			for (const [id, v] of counts!) {
				let row = out.get(id);
				if (!row) out.set(id, (row = { school_id: id, ranges: new Array<number>(ranges.length).fill(0) }));
				row.ranges[i] = v;
			}
		});
		return out;
	}
}

const caches = new WeakMap<CH, LibraryRangeCache>();

/** The library range cache of a ClickHouse client (one per client, made on first use). */
export function libraryCache(ch: CH): LibraryRangeCache {
	let c = caches.get(ch);
	if (!c) caches.set(ch, (c = new LibraryRangeCache(ch)));
	return c;
}
