/**
 * The wall's uptime window: each school's heartbeats in the last full minutes (and the same a day
 * earlier), read in full only when it can have changed.
 * Heartbeats are written every second, but the window ends at the last full minute: what lands
 * now is in the current minute, outside it. So the window moves when the minute turns, and
 * otherwise only when a late heartbeat lands in it. Every tick reads the minute totals of today's
 * device_1m over the window's reach (one row a minute, not one a school): the newest minute heard
 * (where the window ends when ingest is behind) and each minute's heartbeats and up seconds; and
 * the versions of the comparison window's days (day_versions: device events ever written per
 * day). The schools' rows are read again only when either differs from what they were read with.
 * Exact because the totals only grow: a heartbeat written in the window adds one to its minute's
 * heartbeats, and a minute first heard (a heartbeat or a device going down) adds a minute. A
 * device going down in a minute already heard adds neither: it moves no school's up seconds or
 * heartbeats, which are all the wall reads of a school (WallService reads the window's first
 * minute heard from the minutes here).
 * At 5,000 schools the full read was the wall's costliest query, twice a second; chDB answers one
 * query at a time, so the district and school views waited behind it.
 */
import { rows, type CH } from '../platform/clickhouse/client';
import { msParam } from '../platform/clickhouse/sql';
import { DAY_MS, MINUTE_MS, localDay } from '../../shared/calendar';
import { spanVersion } from './day-cache';
import { devicesBySchool, type DeviceRow } from './queries';

export interface DeviceWindow {
	/** [w0, w1): the window's minutes; the comparison window is the same a day earlier */
	w0: number;
	w1: number;
	/** the first minute heard in [w0, w1) (any school), null when none */
	firstHeard: number | null;
	/** per school, as devicesBySchool(w0, w1, w0 - DAY, w1 - DAY) */
	schools: Map<string, DeviceRow>;
}

export class DeviceWindowCache {
	private kept: { key: string; schools: Promise<Map<string, DeviceRow>> } | null = null;
	/** ticks answered (`checks`) and full reads of the schools' rows (`reads`) */
	readonly stats = { checks: 0, reads: 0 };

	constructor(
		private readonly ch: CH,
		/** minutes in the window */
		private readonly minutes: number
	) {}

	/**
	 * The window at `minute` (the start of the current minute): the last `minutes` full minutes,
	 * or up to the newest minute heard in the last 2 × `minutes` when ingest is behind (minutes
	 * not received yet are not devices down).
	 */
	async at(minute: number): Promise<DeviceWindow> {
		this.stats.checks++;
		const span = this.minutes * MINUTE_MS;
		// w1 is at least minute - 2 × span + 1 minute, so w0 is at least minute - 3 × span
		const a = minute - 3 * span;
		// minutes from the current one on (a replayed moment's: up to now) are one row at `minute`
		const totals = await rows<{ t: string; hb: string; up: string }>(
			this.ch,
			`SELECT toUnixTimestamp(least(bucket, ${msParam('m')})) * 1000 AS t, sum(heartbeats) AS hb, sum(up_seconds) AS up
			 FROM device_rollup WHERE grain = 1 AND bucket >= ${msParam('a')} GROUP BY t ORDER BY t`,
			{ m: minute, a }
		);
		const ts = totals.map((x) => Number(x.t));
		let newest: number | null = null;
		for (const t of ts) if (t >= minute - 2 * span) newest = Math.max(newest ?? t, t);
		const w1 = newest === null ? minute : Math.min(minute, newest + MINUTE_MS);
		const w0 = w1 - span;
		const parts: string[] = [];
		let firstHeard: number | null = null;
		totals.forEach((x, i) => {
			if (ts[i] < w0 || ts[i] >= w1) return;
			parts.push(`${x.t}:${x.hb}:${x.up}`);
			firstHeard ??= ts[i];
		});
		// the comparison window a day earlier: its days' versions (device events ever written for
		// them), as the caches of earlier days use
		const prev = await spanVersion(
			this.ch,
			'device',
			localDay(w0 - DAY_MS),
			localDay(w1 - DAY_MS - 1)
		);
		const key = `${w0}|${w1}|${prev}|${parts.join(',')}`;
		if (this.kept?.key !== key) {
			this.stats.reads++;
			const schools = devicesBySchool(this.ch, w0, w1, w0 - DAY_MS, w1 - DAY_MS);
			const kept = (this.kept = { key, schools });
			schools.catch(() => {
				if (this.kept === kept) this.kept = null;
			});
		}
		return { w0, w1, firstHeard, schools: await this.kept.schools };
	}
}
