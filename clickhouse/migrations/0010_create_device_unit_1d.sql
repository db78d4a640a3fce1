-- Each device's day: the school view's device table (uptime, failures, last state) over any
-- range. device_raw keeps 90 days and a school's 90 days are ~150k rows (~15 ms to read); this
-- keeps a row per device and Vietnam day for as long as the other daily rollups (no TTL), so a
-- school year reads ~2k rows, and the table covers ranges older than the raw table. A range's
-- part day (today so far, a replayed moment) is still read from device_raw (drill/devices.ts).
-- The room is the latest reported; the last state (status, reason) is that of the latest event,
-- a change event before a heartbeat of the same instant, read as one pair (never the status of
-- one event with the reason of another).
CREATE TABLE IF NOT EXISTS device_unit_1d
(
    school_id LowCardinality(String),
    day Date,
    device_id String,
    room AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    device_kind AggregateFunction(argMax, LowCardinality(String), DateTime64(3, 'UTC')),
    up_seconds SimpleAggregateFunction(sum, UInt64),
    heartbeats SimpleAggregateFunction(sum, UInt64),
    went_down SimpleAggregateFunction(sum, UInt64),
    last_ts SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_state AggregateFunction(argMax, Tuple(LowCardinality(String), LowCardinality(String)), Tuple(DateTime64(3, 'UTC'), UInt8))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (school_id, day, device_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS device_unit_1d_mv TO device_unit_1d AS
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, device_id,
       argMaxState(room, ts) AS room,
       argMaxState(device_kind, ts) AS device_kind,
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_seconds,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'change' AND status = 'down') AS went_down,
       max(ts) AS last_ts,
       argMaxState((status, reason), (ts, event = 'change')) AS last_state
FROM device_raw GROUP BY school_id, day, device_id;

-- what device_raw still holds (its last 90 days); older days have no per-device rows
INSERT INTO device_unit_1d
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, device_id,
       argMaxState(room, ts), argMaxState(device_kind, ts),
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up'),
       countIf(event = 'heartbeat'),
       countIf(event = 'change' AND status = 'down'),
       max(ts),
       argMaxState((status, reason), (ts, event = 'change'))
FROM device_raw GROUP BY school_id, day, device_id;
