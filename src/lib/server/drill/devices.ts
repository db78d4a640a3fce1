/**
 * A school's devices for the school view: each device's totals over a range (uptime seconds,
 * heartbeats, failures, last state) and one day's minute-by-minute state (the outage timeline).
 * Whole Vietnam days come from device_unit_1d (a row per device and day, kept like the daily
 * rollups); the part days at a range's edges (today so far, a replayed moment) from device_raw,
 * which keeps 90 days. Under a shifted demo clock days are not Vietnam days: all from device_raw.
 * The last state is the latest event's (status, reason) pair; at one instant a change event wins
 * over a heartbeat, as in device_unit_1d (migration 0010).
 */
import { DAY_MS, VN_OFFSET_MS, dayStartMs, localDay } from '../../shared/calendar';
import type { DeviceRow } from '../../shared/drill';
import { formatDay } from '../../shared/range';
import { rows, type CH } from '../platform/clickhouse/client';
import { msParam } from '../platform/clickhouse/sql';

/** Raw device events are kept this long (device_raw TTL). */
export const DEVICE_RAW_DAYS = 90;

export type DeviceTotal = Omit<DeviceRow, 'uptime'> & { up_seconds: number };

export interface DeviceTotals {
	devices: DeviceTotal[];
	/**
	 * Where the per-device records of the range begin (ms): the first day with a device_unit_1d
	 * row, or the start of device_raw's 90 days; null when they cover the whole range. A store
	 * upgraded to migration 0010 has per-device days from device_raw's 90 days on, while its
	 * schools' uptime (device_1h/1d) goes back further: the school view says so (school.ts).
	 */
	coversFrom: number | null;
}

type Raw = Record<string, string>;
const n = (v: unknown): number => Number(v ?? 0);
/** Between the status and the reason in device_unit_1d's last_state (migration 0010). */
const STATE_SEP = '\x1f';

/** [from, to) as whole Vietnam days [d0, d1) and the part days before and after them, [ms, ms). */
export function splitDays(
	from: number,
	to: number
): { d0: number; d1: number; head: [number, number]; tail: [number, number] } {
	const d0 = dayStartMs(localDay(from)) === from ? localDay(from) : localDay(from) + 1;
	const d1 = localDay(to);
	if (d1 <= d0) return { d0, d1: d0, head: [from, to], tail: [0, 0] };
	return {
		d0,
		d1,
		head: [from, Math.max(from, dayStartMs(d0))],
		tail: [dayStartMs(d1), Math.max(dayStartMs(d1), to)]
	};
}

/** Per device over whole days of device_unit_1d; `first` is the first day's start (ms). */
const UNIT_TOTALS = `SELECT device_id, argMaxMerge(room) AS room, argMaxMerge(device_kind) AS kind, sum(up_seconds) AS up_s,
	       sum(heartbeats) AS hb, sum(went_down) AS went_down, max(last_ts) AS t, argMaxMerge(last_state) AS state,
	       toInt64(min(day)) * 86400000 - {vn:Int64} AS first
	FROM device_unit_1d WHERE school_id = {s:String} AND day >= {d0:Date} AND day < {d1:Date}
	GROUP BY device_id`;

/** Per device over the part days of device_raw, in device_unit_1d's terms. */
const RAW_TOTALS = `SELECT device_id, argMax(room, ts) AS room, argMax(toString(device_kind), ts) AS kind,
	       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_s,
	       countIf(event = 'heartbeat') AS hb, countIf(event = 'change' AND status = 'down') AS went_down, max(ts) AS t,
	       argMax(concat(status, char(31), reason), toUnixTimestamp64Milli(ts) * 2 + (event = 'change')) AS state,
	       toUnixTimestamp64Milli(min(ts)) AS first
	FROM device_raw WHERE school_id = {s:String}
	  AND ((ts >= ${msParam('h0')} AND ts < ${msParam('h1')}) OR (ts >= ${msParam('t0')} AND ts < ${msParam('t1')}))
	GROUP BY device_id`;

/**
 * Each device of a school over [from, to). `dailyAligned`: measured days are Vietnam days (no demo
 * clock shift), so whole days may come from device_unit_1d. Only the sources the range needs are read.
 */
export async function deviceTotals(
	ch: CH,
	school: string,
	from: number,
	to: number,
	o: { now: number; dailyAligned: boolean }
): Promise<DeviceTotals> {
	const params: Record<string, unknown> = {
		s: school,
		vn: VN_OFFSET_MS,
		h0: 0,
		h1: 0,
		t0: 0,
		t1: 0
	};
	const branches: string[] = [];
	let kept: number | null = null;
	if (o.dailyAligned) {
		const { d0, d1, head, tail } = splitDays(from, to);
		if (d1 > d0) branches.push(UNIT_TOTALS);
		if (head[1] > head[0] || tail[1] > tail[0]) branches.push(RAW_TOTALS);
		Object.assign(params, {
			d0: formatDay(d0),
			d1: formatDay(d1),
			h0: head[0],
			h1: head[1],
			t0: tail[0],
			t1: tail[1]
		});
	} else {
		// device_raw only, for its 90 days
		kept = o.now - DEVICE_RAW_DAYS * DAY_MS;
		branches.push(RAW_TOTALS);
		Object.assign(params, { h0: Math.max(from, kept), h1: to });
	}
	if (!branches.length) return { devices: [], coversFrom: null };
	const r = await rows<Raw>(
		ch,
		branches.length === 1
			? `SELECT device_id, room, kind, up_s, hb, went_down, toUnixTimestamp64Milli(t) AS last_ms, state, first FROM (${branches[0]}) ORDER BY room, device_id`
			: `SELECT device_id, argMax(room, t) AS room, argMax(kind, t) AS kind, sum(up_s) AS up_s, sum(hb) AS hb, sum(went_down) AS went_down,
			          toUnixTimestamp64Milli(max(t)) AS last_ms, argMax(state, t) AS state, min(first) AS first
			   FROM (${branches.join(' UNION ALL ')}) GROUP BY device_id ORDER BY room, device_id`,
		params
	);
	const devices = r.map((x) => {
		const [status, reason] = x.state.split(STATE_SEP);
		return {
			device_id: x.device_id,
			room: x.room,
			kind: x.kind,
			up_seconds: n(x.up_s),
			heartbeats: n(x.hb),
			went_down: n(x.went_down),
			last_seen: n(x.last_ms) > 0 ? new Date(n(x.last_ms)).toISOString() : null,
			last_status: status,
			last_reason: reason ?? ''
		};
	});
	const first = r.length ? Math.min(...r.map((x) => n(x.first))) : null;
	const coversFrom =
		kept !== null
			? from < kept
				? kept
				: null
			: first !== null && first > from
				? dayStartMs(localDay(first))
				: null;
	return { devices, coversFrom };
}

/** Each device's heartbeat state per minute of [from, to): up if any up heartbeat that minute, else down. */
export async function deviceMinutes(
	ch: CH,
	school: string,
	from: number,
	to: number
): Promise<Map<string, Map<number, 'up' | 'down'>>> {
	const r = await rows<Raw>(
		ch,
		`SELECT device_id, toUnixTimestamp(toStartOfMinute(ts)) * 1000 AS m, max(status = 'up') AS up
		 FROM device_raw WHERE school_id = {s:String} AND event = 'heartbeat' AND ts >= ${msParam('from')} AND ts < ${msParam('to')}
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
