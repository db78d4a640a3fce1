-- Classroom devices: heartbeats (every interval_s while up or known down) and up/down changes.
-- Uptime counts a missing heartbeat as down, so rollups keep up-seconds, not just "up" flags.
CREATE TABLE IF NOT EXISTS device_raw
(
    event_id String,
    school_id LowCardinality(String),
    ts DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source LowCardinality(String) DEFAULT '',
    device_id String,
    room String,
    device_kind LowCardinality(String),
    status LowCardinality(String),
    event LowCardinality(String),
    interval_s UInt16,
    reason LowCardinality(String) DEFAULT '',
    INDEX event_id_bf event_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (school_id, ts, event_id)
TTL toDateTime(ts) + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS device_1m
(
    school_id LowCardinality(String),
    bucket DateTime('UTC'),
    heartbeats SimpleAggregateFunction(sum, UInt64),
    up_heartbeats SimpleAggregateFunction(sum, UInt64),
    up_seconds SimpleAggregateFunction(sum, UInt64),
    reported_seconds SimpleAggregateFunction(sum, UInt64),
    went_down SimpleAggregateFunction(sum, UInt64),
    devices AggregateFunction(uniq, String),
    devices_up AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (school_id, bucket)
TTL bucket + INTERVAL 35 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_1m_mv TO device_1m AS
SELECT school_id, toStartOfMinute(ts) AS bucket,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'heartbeat' AND status = 'up') AS up_heartbeats,
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_seconds,
       sumIf(toUInt64(interval_s), event = 'heartbeat') AS reported_seconds,
       countIf(event = 'change' AND status = 'down') AS went_down,
       uniqState(device_id) AS devices,
       uniqStateIf(device_id, status = 'up') AS devices_up
FROM device_raw GROUP BY school_id, bucket;

CREATE TABLE IF NOT EXISTS device_1h AS device_1m
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(bucket) ORDER BY (school_id, bucket) TTL bucket + INTERVAL 800 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_1h_mv TO device_1h AS
SELECT school_id, toStartOfHour(ts) AS bucket,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'heartbeat' AND status = 'up') AS up_heartbeats,
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_seconds,
       sumIf(toUInt64(interval_s), event = 'heartbeat') AS reported_seconds,
       countIf(event = 'change' AND status = 'down') AS went_down,
       uniqState(device_id) AS devices,
       uniqStateIf(device_id, status = 'up') AS devices_up
FROM device_raw GROUP BY school_id, bucket;

CREATE TABLE IF NOT EXISTS device_1d
(
    school_id LowCardinality(String),
    day Date,
    heartbeats SimpleAggregateFunction(sum, UInt64),
    up_heartbeats SimpleAggregateFunction(sum, UInt64),
    up_seconds SimpleAggregateFunction(sum, UInt64),
    reported_seconds SimpleAggregateFunction(sum, UInt64),
    went_down SimpleAggregateFunction(sum, UInt64),
    devices AggregateFunction(uniq, String),
    devices_up AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (school_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS device_1d_mv TO device_1d AS
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'heartbeat' AND status = 'up') AS up_heartbeats,
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_seconds,
       sumIf(toUInt64(interval_s), event = 'heartbeat') AS reported_seconds,
       countIf(event = 'change' AND status = 'down') AS went_down,
       uniqState(device_id) AS devices,
       uniqStateIf(device_id, status = 'up') AS devices_up
FROM device_raw GROUP BY school_id, day;
