-- Each device's day: the school view's device table (uptime, failures, last state) over any
-- range. device_raw keeps 90 days and a school's 90 days are ~150k rows (~15 ms to read); this
-- keeps a row per device and Vietnam day for as long as the other daily rollups (no TTL), so a
-- school year reads ~2k rows, and the table covers ranges older than the raw table. A range's
-- part day (today so far, a replayed moment) is still read from device_raw (drill/devices.ts).
-- The room and kind are the latest reported. The last state is the latest event's status and
-- reason as one string, 'status' + char(31) + 'reason' (never the status of one event with the
-- reason of another), ordered by ts in ms × 2 + 1 for a change event, so at one instant a
-- change wins over a heartbeat. Int64 orders and String values: ClickHouse's fast argMax states.
CREATE TABLE IF NOT EXISTS device_unit_1d
(
    school_id LowCardinality(String),
    day Date,
    device_id String,
    room AggregateFunction(argMax, String, Int64),
    device_kind AggregateFunction(argMax, String, Int64),
    up_seconds SimpleAggregateFunction(sum, UInt64),
    heartbeats SimpleAggregateFunction(sum, UInt64),
    went_down SimpleAggregateFunction(sum, UInt64),
    last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_state AggregateFunction(argMax, String, Int64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (school_id, day, device_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS device_unit_1d_mv TO device_unit_1d AS
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, device_id,
       argMaxState(room, toUnixTimestamp64Milli(ts)) AS room,
       argMaxState(toString(device_kind), toUnixTimestamp64Milli(ts)) AS device_kind,
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_seconds,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'change' AND status = 'down') AS went_down,
       max(ts) AS last_ts,
       argMaxState(concat(status, char(31), reason), toUnixTimestamp64Milli(ts) * 2 + (event = 'change')) AS last_state
FROM device_raw GROUP BY school_id, day, device_id;

-- what device_raw still holds (its last 90 days); older days have no per-device rows
INSERT INTO device_unit_1d
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, device_id,
       argMaxState(room, toUnixTimestamp64Milli(ts)),
       argMaxState(toString(device_kind), toUnixTimestamp64Milli(ts)),
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up'),
       countIf(event = 'heartbeat'),
       countIf(event = 'change' AND status = 'down'),
       max(ts),
       argMaxState(concat(status, char(31), reason), toUnixTimestamp64Milli(ts) * 2 + (event = 'change'))
FROM device_raw GROUP BY school_id, day, device_id;
