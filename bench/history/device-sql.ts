/**
 * The device SQL of the history: one row per device and minute of school hours (heartbeats) and
 * the change events, expanded in SQL from the helper tables, and written either as device_raw
 * rows (through the views) or aggregated straight into the rollups as the views would.
 */
import { DAY_FILTER, T, tsAt } from './sql';

/**
 * Device-days of the range: one row per device and school day, with its minutes of school
 * hours, the school's outages and, when the device breaks that day, the minute it breaks
 * (0 = broken all day, -1 = works).
 */
const DEVICE_DAYS = `
	SELECT d.school_id AS school_id, d.t0 AS t0, d.outages AS outages,
	       v.device_id AS device_id, v.did AS did, v.room AS room, v.device_kind AS device_kind, v.source AS source, v.sec AS sec, v.miss_ppm AS miss_ppm,
	       arrayFlatten(arrayMap(s -> range(s.1, s.2), d.hours)) AS mins,
	       cityHash64('broken', v.device_id, d.dn) % 1000000 AS rb,
	       toInt32(multiIf(rb < 4000, 0, rb < 4000 + if(d.rural, 3000, 2000), toInt32(mins[1 + cityHash64('broken-at', v.device_id, d.dn) % length(mins)]), -1)) AS broken_from
	FROM ${T.days} AS d INNER JOIN ${T.devices} AS v ON v.school_id = d.school_id
	WHERE ${DAY_FILTER}`;

/** Heartbeats: one per device and minute of school hours, none while the school is cut off, a few lost. */
const DEVICE_HEARTBEATS = `
	SELECT school_id, t0, device_id, did, room, device_kind, source, sec, m, 'heartbeat' AS event,
	       if(broken_from >= 0 AND m >= broken_from, 'down', 'up') AS status, if(status = 'down', 'hardware', '') AS reason
	FROM (${DEVICE_DAYS})
	ARRAY JOIN mins AS m
	WHERE NOT arrayExists(o -> m >= o.1 AND m < o.2, outages)
	  AND cityHash64(device_id, intDiv(t0, 60) + m) % 1000000 >= miss_ppm`;

/** Change events: a device breaking, the "dying gasp" when power goes, "up" when it is back. */
const DEVICE_CHANGES = `
	SELECT school_id, t0, device_id, did, room, device_kind, source, sec, c.1 AS m, 'change' AS event, c.2 AS status, c.3 AS reason
	FROM (
		SELECT *,
		       arrayConcat(
		         arrayMap(b -> (toUInt16(b), 'down', 'hardware'), arrayFilter(b -> b > 0, [broken_from])),
		         arrayMap(o -> (o.1, 'down', 'power'), arrayFilter(o -> o.3 = 'power' AND NOT (broken_from >= 0 AND o.1 >= broken_from)
		                                                         AND NOT arrayExists(q -> o.1 - 1 >= q.1 AND o.1 - 1 < q.2, outages), outages)),
		         arrayMap(o -> (o.2, 'up', o.3), arrayFilter(o -> o.4 = 0 AND NOT (broken_from >= 0 AND o.2 >= broken_from)
		                                                       AND NOT arrayExists(q -> o.2 >= q.1 AND o.2 < q.2, outages), outages))
		       ) AS changes
		FROM (${DEVICE_DAYS})
	)
	ARRAY JOIN changes AS c`;

/** Every device row of the range, with its minute `m` of the local day. */
const DEVICE_ROWS = `${DEVICE_HEARTBEATS}\n\tUNION ALL${DEVICE_CHANGES}`;

export const DEVICE_RAW_SQL = `
INSERT INTO device_raw (event_id, school_id, ts, ingested_at, source, device_id, room, device_kind, status, event, interval_s, reason)
SELECT concat(if(event = 'heartbeat', 'sim-dev-', 'sim-chg-'), did, '-', toString(intDiv(t0, 60) + m)) AS event_id,
       school_id, ${tsAt('t0', 'm', 'sec')} AS ts, ts + toIntervalSecond(1 + sec % 3), source, device_id, room, device_kind, status, event, 60, reason
FROM (${DEVICE_ROWS})
SETTINGS max_insert_threads = 2`;

/** The device views' aggregation, per school and hour, into the staging table. */
export const DEVICE_HOUR_SQL = `
INSERT INTO ${T.deviceHour}
SELECT school_id, toStartOfHour(toDateTime(t0 + m * 60 + sec, 'UTC')) AS bucket,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'heartbeat' AND status = 'up') AS up_heartbeats,
       sumIf(toUInt64(60), event = 'heartbeat' AND status = 'up') AS up_seconds,
       sumIf(toUInt64(60), event = 'heartbeat') AS reported_seconds,
       countIf(event = 'change' AND status = 'down') AS went_down,
       uniqState(device_id) AS devices,
       uniqStateIf(device_id, status = 'up') AS devices_up
FROM (${DEVICE_ROWS})
GROUP BY school_id, bucket`;

/** The same rows per device and Vietnam day, as device_unit_1d_mv (migration 0010) writes them. */
export const DEVICE_UNIT_SQL = `
INSERT INTO device_unit_1d
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, device_id,
       argMaxState(room, toUnixTimestamp64Milli(ts)),
       argMaxState(toString(device_kind), toUnixTimestamp64Milli(ts)),
       sumIf(toUInt64(60), event = 'heartbeat' AND status = 'up'),
       countIf(event = 'heartbeat'),
       countIf(event = 'change' AND status = 'down'),
       max(ts),
       argMaxState(concat(status, char(31), reason), toUnixTimestamp64Milli(ts) * 2 + (event = 'change'))
FROM (SELECT school_id, device_id, room, device_kind, status, event, reason, ${tsAt('t0', 'm', 'sec')} AS ts FROM (${DEVICE_ROWS}))
GROUP BY school_id, day, device_id`;

export const DEVICE_CHANGES_COUNT_SQL = `SELECT count() AS n FROM (${DEVICE_CHANGES})`;
