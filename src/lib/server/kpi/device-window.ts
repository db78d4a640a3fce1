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
import { devicesBySchool, deviceHourRow, type DeviceHourRow, type DeviceRow } from './queries';

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
		const w1 = windowEnd(minute, this.minutes, ts.length ? Math.max(...ts) : null);
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

/**
 * Where the uptime window at `minute` ends, given the newest minute heard (the start of the newest
 * device_rollup minute; minutes from `minute` on count as `minute`): the last full minute, or
 * where the stream had got to in the last 2 × `minutes` when ingest was behind (minutes not
 * received yet are not devices down). DeviceWindowCache.at and a replay both end it here.
 */
export function windowEnd(minute: number, minutes: number, heard: number | null): number {
	const newest = heard === null ? null : Math.min(heard, minute);
	return newest === null || newest < minute - 2 * minutes * MINUTE_MS
		? minute
		: Math.min(minute, newest + MINUTE_MS);
}

/**
 * A replayed moment's devices in one query (a replay reads them once, so DeviceWindowCache's
 * minute totals, read to know when to read again, would be one query too many): each school's
 * minutes in [from, to) by hour, as deviceHoursBySchool gives them, and the uptime window at
 * `minute` as DeviceWindowCache.at gives it, ending where windowEnd puts it. `heard`: the newest
 * device minute before the replayed moment (its last event, read anyway), so the stream is taken
 * as it had got to at that moment; the live window counts every minute heard since.
 */
export async function deviceDayAndWindow(
	ch: CH,
	from: number,
	to: number,
	minute: number,
	minutes: number,
	heard: number | null
): Promise<{ hours: DeviceHourRow[]; window: DeviceWindow }> {
	const w1 = windowEnd(minute, minutes, heard);
	const w0 = w1 - minutes * MINUTE_MS;
	const inDay = `bucket >= ${msParam('from')} AND bucket < ${msParam('to')}`;
	const inW = `bucket >= ${msParam('w0')} AND bucket < ${msParam('w1')}`;
	const inP = `bucket >= ${msParam('p0')} AND bucket < ${msParam('p1')}`;
	const r = await rows<Record<string, string>>(
		ch,
		`SELECT school_id, toUnixTimestamp(toStartOfHour(bucket)) * 1000 AS hour,
		        sumIf(up_seconds, ${inDay}) AS s_up, sumIf(heartbeats, ${inDay}) AS s_hb,
		        toUnixTimestamp(minIf(bucket, ${inDay})) * 1000 AS s_first,
		        sumIf(up_seconds, ${inW}) AS w_up, sumIf(heartbeats, ${inW}) AS w_hb,
		        sumIf(up_seconds, ${inP}) AS p_up, sumIf(heartbeats, ${inP}) AS p_hb,
		        toUnixTimestamp(minIf(bucket, ${inW})) * 1000 AS w_first,
		        countIf((${inW}) OR (${inP})) AS w_rows
		 FROM device_rollup WHERE grain = 1 AND ((${inDay}) OR (${inW}) OR (${inP}))
		 GROUP BY school_id, hour`,
		{ from, to, w0, w1, p0: w0 - DAY_MS, p1: w1 - DAY_MS }
	);
	const num = (v: string | undefined) => Number(v ?? 0);
	const hours: DeviceHourRow[] = [];
	const schools = new Map<string, DeviceRow>();
	let firstHeard: number | null = null;
	for (const x of r) {
		if (num(x.s_first) > 0) hours.push(deviceHourRow(x));
		if (num(x.w_rows) === 0) continue;
		const first = num(x.w_first);
		if (first > 0) firstHeard = Math.min(firstHeard ?? first, first);
		const row = schools.get(x.school_id);
		const add = {
			up_seconds: num(x.w_up),
			heartbeats: num(x.w_hb),
			up_seconds_prev: num(x.p_up),
			heartbeats_prev: num(x.p_hb),
			first_ms: first
		};
		if (!row) schools.set(x.school_id, { school_id: x.school_id, ...add });
		else {
			row.up_seconds += add.up_seconds;
			row.heartbeats += add.heartbeats;
			row.up_seconds_prev += add.up_seconds_prev;
			row.heartbeats_prev += add.heartbeats_prev;
			if (first > 0 && (row.first_ms === 0 || first < row.first_ms)) row.first_ms = first;
		}
	}
	return { hours, window: { w0, w1, firstHeard, schools } };
}
