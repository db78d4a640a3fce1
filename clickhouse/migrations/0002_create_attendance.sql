-- Attendance: one row per class session report (counts only, never a child).
CREATE TABLE IF NOT EXISTS attendance_raw
(
    event_id String,
    school_id LowCardinality(String),
    ts DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source LowCardinality(String) DEFAULT '',
    class String,
    grade UInt8,
    session LowCardinality(String),
    enrolled UInt16,
    present UInt16,
    absent_excused UInt16,
    absent_unexcused UInt16,
    INDEX event_id_bf event_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (school_id, ts, event_id)
TTL toDateTime(ts) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS attendance_1m
(
    school_id LowCardinality(String),
    bucket DateTime('UTC'),
    reports SimpleAggregateFunction(sum, UInt64),
    enrolled SimpleAggregateFunction(sum, UInt64),
    present SimpleAggregateFunction(sum, UInt64),
    absent_excused SimpleAggregateFunction(sum, UInt64),
    absent_unexcused SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (school_id, bucket)
TTL bucket + INTERVAL 35 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS attendance_1m_mv TO attendance_1m AS
SELECT school_id, toStartOfMinute(ts) AS bucket, count() AS reports, sum(enrolled) AS enrolled, sum(present) AS present,
       sum(absent_excused) AS absent_excused, sum(absent_unexcused) AS absent_unexcused
FROM attendance_raw GROUP BY school_id, bucket;

CREATE TABLE IF NOT EXISTS attendance_1h AS attendance_1m
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(bucket) ORDER BY (school_id, bucket) TTL bucket + INTERVAL 800 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS attendance_1h_mv TO attendance_1h AS
SELECT school_id, toStartOfHour(ts) AS bucket, count() AS reports, sum(enrolled) AS enrolled, sum(present) AS present,
       sum(absent_excused) AS absent_excused, sum(absent_unexcused) AS absent_unexcused
FROM attendance_raw GROUP BY school_id, bucket;

-- Days are Vietnam days (UTC+7): "today" on the wall is the local school day.
CREATE TABLE IF NOT EXISTS attendance_1d
(
    school_id LowCardinality(String),
    day Date,
    reports SimpleAggregateFunction(sum, UInt64),
    enrolled SimpleAggregateFunction(sum, UInt64),
    present SimpleAggregateFunction(sum, UInt64),
    absent_excused SimpleAggregateFunction(sum, UInt64),
    absent_unexcused SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (school_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS attendance_1d_mv TO attendance_1d AS
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS reports, sum(enrolled) AS enrolled, sum(present) AS present,
       sum(absent_excused) AS absent_excused, sum(absent_unexcused) AS absent_unexcused
FROM attendance_raw GROUP BY school_id, day;
