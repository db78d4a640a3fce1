/**
 * A school's devices for the school view: each device's totals over a range (uptime seconds,
 * heartbeats, failures, last state) and one day's minute-by-minute state (the outage timeline).
 * Whole Vietnam days come from device_unit_1d (a row per device and day, kept like the daily
 * rollups); the part days at a range's edges (today so far, a replayed moment) from device_raw,
 * which keeps 90 days. Under a shifted demo clock days are not Vietnam days: all from device_raw.
 * The last state is the latest event's (status, reason) pair; at one instant a change event wins
 * over a heartbeat, as in device_unit_1d.
 */
import { DAY_MS, dayStartMs, localDay } from '../../shared/calendar';
import type { DeviceRow } from '../../shared/drill';
import { formatDay } from '../../shared/range';
import { rows, type CH } from '../clickhouse/client';

/** Raw device events are kept this long (device_raw TTL). */
export const DEVICE_RAW_DAYS = 90;

export type DeviceTotal = Omit<DeviceRow, 'uptime'> & { up_seconds: number };

export interface DeviceTotals {
	devices: DeviceTotal[];
	/** the first day the per-device records cover, when the range starts before it; else null */
	since: string | null;
}

type Raw = Record<string, string>;
const n = (v: unknown): number => Number(v ?? 0);
const T = (name: string) => `fromUnixTimestamp64Milli({${name}:Int64}, 'UTC')`;

/** [from, to) as whole Vietnam days [d0, d1) and the part days before and after them, [ms, ms). */
export function splitDays(from: number, to: number): { d0: number; d1: number; head: [number, number]; tail: [number, number] } {
	const d0 = dayStartMs(localDay(from)) === from ? localDay(from) : localDay(from) + 1;
	const d1 = localDay(to);
	if (d1 <= d0) return { d0, d1: d0, head: [from, to], tail: [0, 0] };
	return { d0, d1, head: [from, Math.max(from, dayStartMs(d0))], tail: [dayStartMs(d1), Math.max(dayStartMs(d1), to)] };
}

const RAW_TOTALS = `SELECT device_id, argMax(room, ts) AS room, argMax(device_kind, ts) AS kind,
	         sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_s,
	         countIf(event = 'heartbeat') AS hb, countIf(event = 'change' AND status = 'down') AS went_down,
	         max(ts) AS t, argMax((status, reason), (ts, event = 'change')) AS last_state
	  FROM device_raw WHERE school_id = {s:String}
	    AND ((ts >= ${T('h0')} AND ts < ${T('h1')}) OR (ts >= ${T('t0')} AND ts < ${T('t1')}))
	  GROUP BY device_id`;

/**
 * Each device of a school over [from, to). `dailyAligned`: measured days are Vietnam days (no demo
 * clock shift), so whole days may come from device_unit_1d.
 */
export async function deviceTotals(ch: CH, school: string, from: number, to: number, o: { now: number; dailyAligned: boolean }): Promise<DeviceTotals> {
	let sql: string;
	let params: Record<string, unknown>;
	let rawSince: number | null = null;
	if (o.dailyAligned) {
		const { d0, d1, head, tail } = splitDays(from, to);
		sql = `SELECT device_id, argMax(room, t) AS room, argMax(kind, t) AS kind, sum(up_s) AS up_s, sum(hb) AS hb,
		        sum(went_down) AS went_down, toUnixTimestamp64Milli(max(t)) AS last_ms, argMax(last_state, t).1 AS last_status,
		        argMax(last_state, t).2 AS last_reason,
		        toInt64((SELECT min(day) FROM device_unit_1d)) AS since, toInt64((SELECT min(day) FROM device_1d)) AS uptime_since
		 FROM (
		  SELECT device_id, argMaxMerge(room) AS room, argMaxMerge(device_kind) AS kind, sum(up_seconds) AS up_s,
		         sum(heartbeats) AS hb, sum(went_down) AS went_down, max(last_ts) AS t,
		         argMaxMerge(last_state) AS last_state
		  FROM device_unit_1d WHERE school_id = {s:String} AND day >= {d0:Date} AND day < {d1:Date}
		  GROUP BY device_id
		  UNION ALL
		  ${RAW_TOTALS})
		 GROUP BY device_id ORDER BY room, device_id`;
		params = { s: school, d0: formatDay(d0), d1: formatDay(d1), h0: head[0], h1: head[1], t0: tail[0], t1: tail[1] };
	} else {
		// device_raw only, for its 90 days
		const kept = o.now - DEVICE_RAW_DAYS * DAY_MS;
		if (from < kept) rawSince = kept;
		sql = `SELECT device_id, room, kind, up_s, hb, went_down, toUnixTimestamp64Milli(t) AS last_ms, last_state.1 AS last_status, last_state.2 AS last_reason, 0 AS since, 0 AS uptime_since
		 FROM (${RAW_TOTALS}) ORDER BY room, device_id`;
		params = { s: school, h0: Math.max(from, kept), h1: to, t0: 0, t1: 0 };
	}
	const r = await rows<Raw>(ch, sql, params);
	const devices = r.map((x) => ({
		device_id: x.device_id,
		room: x.room,
		kind: x.kind,
		up_seconds: n(x.up_s),
		heartbeats: n(x.hb),
		went_down: n(x.went_down),
		last_seen: n(x.last_ms) > 0 ? new Date(n(x.last_ms)).toISOString() : null,
		last_status: x.last_status,
		last_reason: x.last_reason
	}));
	// the per-device days begin where device_raw was when they were first kept (migration 0010):
	// partial when the range starts before that and the schools' uptime goes back further
	const first = r.length ? n(r[0].since) : 0;
	const partial = first > localDay(from) && n(r[0].uptime_since) < first;
	const since = rawSince !== null ? formatDay(localDay(rawSince)) : partial ? formatDay(first) : null;
	return { devices, since };
}

/** Each device's heartbeat state per minute of [from, to): up if any up heartbeat that minute, else down. */
export async function deviceMinutes(ch: CH, school: string, from: number, to: number): Promise<Map<string, Map<number, 'up' | 'down'>>> {
	const r = await rows<Raw>(
		ch,
		`SELECT device_id, toUnixTimestamp(toStartOfMinute(ts)) * 1000 AS m, max(status = 'up') AS up
		 FROM device_raw WHERE school_id = {s:String} AND event = 'heartbeat' AND ts >= ${T('from')} AND ts < ${T('to')}
		 GROUP BY device_id, m`,
		{ s: school, from, to }
	);
	const out = new Map<string, Map<number, 'up' | 'down'>>();
	for (const x of r) {
		let d = out.get(x.device_id);
		if (!d) out.set(x.device_id, (d = new Map()));
		d.set(n(x.m), n(x.up) ? 'up' : 'down');
	}
	return out;
}
