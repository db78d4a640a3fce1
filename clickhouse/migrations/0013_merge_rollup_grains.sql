-- One rollup table per kind for the minute, hour and day grains (docs/ingest-performance.md).
-- Before, each kind had three rollup tables, each fed by its own materialized view, and the minute
-- and hour ones carried a time projection: an ingest insert wrote 25 views' parts beside its 4
-- raw parts, and a flush's time followed the number of parts (files) written, not the rows. Now
-- each kind's view writes its three grains as one block (ARRAY JOIN over the grains), one part
-- per insert: 13 view parts (with projections) instead of 25 per flush.
--  * grain: 1 = minute, 2 = hour, 3 = day (a Vietnam day; its bucket is the day's start,
--    00:00 in Asia/Ho_Chi_Minh, as a UTC instant);
--  * partitioned by month only (a grain partition would make three parts again); each grain
--    keeps what its table kept: minutes 35 days, hours 800 days, days for ever (TTL … WHERE);
--  * ordered (grain, school_id, [dataset,] bucket), with the projection by (grain, bucket) for
--    "every school, this window";
--  * the old names stay, as plain views with the old columns (the daily ones with `day`), so
--    every reader reads what it read before; ClickHouse pushes their conditions down to the key.
-- The rows the old tables hold are copied in, then the old tables and views are dropped.

CREATE TABLE IF NOT EXISTS attendance_rollup
(
    grain UInt8,
    school_id LowCardinality(String),
    bucket DateTime('UTC'),
    reports SimpleAggregateFunction(sum, UInt64),
    enrolled SimpleAggregateFunction(sum, UInt64),
    present SimpleAggregateFunction(sum, UInt64),
    absent_excused SimpleAggregateFunction(sum, UInt64),
    absent_unexcused SimpleAggregateFunction(sum, UInt64),
    PROJECTION by_bucket (SELECT * ORDER BY grain, bucket)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (grain, school_id, bucket)
TTL bucket + INTERVAL 35 DAY DELETE WHERE grain = 1, bucket + INTERVAL 800 DAY DELETE WHERE grain = 2
SETTINGS deduplicate_merge_projection_mode = 'rebuild', non_replicated_deduplication_window = 10000;

INSERT INTO attendance_rollup (grain, school_id, bucket, reports, enrolled, present, absent_excused, absent_unexcused)
SELECT 1, school_id, bucket, reports, enrolled, present, absent_excused, absent_unexcused FROM attendance_1m;

INSERT INTO attendance_rollup (grain, school_id, bucket, reports, enrolled, present, absent_excused, absent_unexcused)
SELECT 2, school_id, bucket, reports, enrolled, present, absent_excused, absent_unexcused FROM attendance_1h;

INSERT INTO attendance_rollup (grain, school_id, bucket, reports, enrolled, present, absent_excused, absent_unexcused)
SELECT 3, school_id, toDateTime(day, 'Asia/Ho_Chi_Minh'), reports, enrolled, present, absent_excused, absent_unexcused FROM attendance_1d;

DROP VIEW IF EXISTS attendance_1m_mv;

DROP VIEW IF EXISTS attendance_1h_mv;

DROP VIEW IF EXISTS attendance_1d_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS attendance_rollup_mv TO attendance_rollup AS
SELECT grain, school_id,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       count() AS reports,
       sum(enrolled) AS enrolled,
       sum(present) AS present,
       sum(absent_excused) AS absent_excused,
       sum(absent_unexcused) AS absent_unexcused
FROM attendance_raw ARRAY JOIN [1, 2, 3] AS grain
GROUP BY grain, school_id, bucket;

DROP TABLE IF EXISTS attendance_1m;
CREATE VIEW IF NOT EXISTS attendance_1m AS
SELECT school_id, bucket, reports, enrolled, present, absent_excused, absent_unexcused FROM attendance_rollup WHERE grain = 1;

DROP TABLE IF EXISTS attendance_1h;
CREATE VIEW IF NOT EXISTS attendance_1h AS
SELECT school_id, bucket, reports, enrolled, present, absent_excused, absent_unexcused FROM attendance_rollup WHERE grain = 2;

DROP TABLE IF EXISTS attendance_1d;
CREATE VIEW IF NOT EXISTS attendance_1d AS
SELECT school_id, toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, reports, enrolled, present, absent_excused, absent_unexcused FROM attendance_rollup WHERE grain = 3;

CREATE TABLE IF NOT EXISTS device_rollup
(
    grain UInt8,
    school_id LowCardinality(String),
    bucket DateTime('UTC'),
    heartbeats SimpleAggregateFunction(sum, UInt64),
    up_heartbeats SimpleAggregateFunction(sum, UInt64),
    up_seconds SimpleAggregateFunction(sum, UInt64),
    reported_seconds SimpleAggregateFunction(sum, UInt64),
    went_down SimpleAggregateFunction(sum, UInt64),
    devices AggregateFunction(uniq, String),
    devices_up AggregateFunction(uniq, String),
    PROJECTION by_bucket (SELECT * ORDER BY grain, bucket)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (grain, school_id, bucket)
TTL bucket + INTERVAL 35 DAY DELETE WHERE grain = 1, bucket + INTERVAL 800 DAY DELETE WHERE grain = 2
SETTINGS deduplicate_merge_projection_mode = 'rebuild', non_replicated_deduplication_window = 10000;

INSERT INTO device_rollup (grain, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up)
SELECT 1, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up FROM device_1m;

INSERT INTO device_rollup (grain, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up)
SELECT 2, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up FROM device_1h;

INSERT INTO device_rollup (grain, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up)
SELECT 3, school_id, toDateTime(day, 'Asia/Ho_Chi_Minh'), heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up FROM device_1d;

DROP VIEW IF EXISTS device_1m_mv;

DROP VIEW IF EXISTS device_1h_mv;

DROP VIEW IF EXISTS device_1d_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_rollup_mv TO device_rollup AS
SELECT grain, school_id,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'heartbeat' AND status = 'up') AS up_heartbeats,
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_seconds,
       sumIf(toUInt64(interval_s), event = 'heartbeat') AS reported_seconds,
       countIf(event = 'change' AND status = 'down') AS went_down,
       uniqState(device_id) AS devices,
       uniqStateIf(device_id, status = 'up') AS devices_up
FROM device_raw ARRAY JOIN [1, 2, 3] AS grain
GROUP BY grain, school_id, bucket;

DROP TABLE IF EXISTS device_1m;
CREATE VIEW IF NOT EXISTS device_1m AS
SELECT school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up FROM device_rollup WHERE grain = 1;

DROP TABLE IF EXISTS device_1h;
CREATE VIEW IF NOT EXISTS device_1h AS
SELECT school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up FROM device_rollup WHERE grain = 2;

DROP TABLE IF EXISTS device_1d;
CREATE VIEW IF NOT EXISTS device_1d AS
SELECT school_id, toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up FROM device_rollup WHERE grain = 3;

CREATE TABLE IF NOT EXISTS library_rollup
(
    grain UInt8,
    school_id LowCardinality(String),
    bucket DateTime('UTC'),
    reports SimpleAggregateFunction(sum, UInt64),
    loans SimpleAggregateFunction(sum, UInt64),
    returns SimpleAggregateFunction(sum, UInt64),
    ebook_opens SimpleAggregateFunction(sum, UInt64),
    visits SimpleAggregateFunction(sum, UInt64),
    PROJECTION by_bucket (SELECT * ORDER BY grain, bucket)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (grain, school_id, bucket)
TTL bucket + INTERVAL 35 DAY DELETE WHERE grain = 1, bucket + INTERVAL 800 DAY DELETE WHERE grain = 2
SETTINGS deduplicate_merge_projection_mode = 'rebuild', non_replicated_deduplication_window = 10000;

INSERT INTO library_rollup (grain, school_id, bucket, reports, loans, returns, ebook_opens, visits)
SELECT 1, school_id, bucket, reports, loans, returns, ebook_opens, visits FROM library_1m;

INSERT INTO library_rollup (grain, school_id, bucket, reports, loans, returns, ebook_opens, visits)
SELECT 2, school_id, bucket, reports, loans, returns, ebook_opens, visits FROM library_1h;

INSERT INTO library_rollup (grain, school_id, bucket, reports, loans, returns, ebook_opens, visits)
SELECT 3, school_id, toDateTime(day, 'Asia/Ho_Chi_Minh'), reports, loans, returns, ebook_opens, visits FROM library_1d;

DROP VIEW IF EXISTS library_1m_mv;

DROP VIEW IF EXISTS library_1h_mv;

DROP VIEW IF EXISTS library_1d_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS library_rollup_mv TO library_rollup AS
SELECT grain, school_id,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       count() AS reports,
       sum(loans) AS loans,
       sum(returns) AS returns,
       sum(ebook_opens) AS ebook_opens,
       sum(visits) AS visits
FROM library_raw ARRAY JOIN [1, 2, 3] AS grain
GROUP BY grain, school_id, bucket;

DROP TABLE IF EXISTS library_1m;
CREATE VIEW IF NOT EXISTS library_1m AS
SELECT school_id, bucket, reports, loans, returns, ebook_opens, visits FROM library_rollup WHERE grain = 1;

DROP TABLE IF EXISTS library_1h;
CREATE VIEW IF NOT EXISTS library_1h AS
SELECT school_id, bucket, reports, loans, returns, ebook_opens, visits FROM library_rollup WHERE grain = 2;

DROP TABLE IF EXISTS library_1d;
CREATE VIEW IF NOT EXISTS library_1d AS
SELECT school_id, toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, reports, loans, returns, ebook_opens, visits FROM library_rollup WHERE grain = 3;

CREATE TABLE IF NOT EXISTS completeness_rollup
(
    grain UInt8,
    school_id LowCardinality(String),
    dataset LowCardinality(String),
    bucket DateTime('UTC'),
    reports SimpleAggregateFunction(sum, UInt64),
    required_fields AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    filled_fields AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    records AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    last_sync_department SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_sync_ministry SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    PROJECTION by_bucket (SELECT * ORDER BY grain, bucket)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (grain, school_id, dataset, bucket)
TTL bucket + INTERVAL 35 DAY DELETE WHERE grain = 1, bucket + INTERVAL 800 DAY DELETE WHERE grain = 2
SETTINGS deduplicate_merge_projection_mode = 'rebuild', non_replicated_deduplication_window = 10000;

INSERT INTO completeness_rollup (grain, school_id, dataset, bucket, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry)
SELECT 1, school_id, dataset, bucket, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry FROM completeness_1m;

INSERT INTO completeness_rollup (grain, school_id, dataset, bucket, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry)
SELECT 2, school_id, dataset, bucket, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry FROM completeness_1h;

INSERT INTO completeness_rollup (grain, school_id, dataset, bucket, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry)
SELECT 3, school_id, dataset, toDateTime(day, 'Asia/Ho_Chi_Minh'), reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry FROM completeness_1d;

DROP VIEW IF EXISTS completeness_1m_mv;

DROP VIEW IF EXISTS completeness_1h_mv;

DROP VIEW IF EXISTS completeness_1d_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS completeness_rollup_mv TO completeness_rollup AS
SELECT grain, school_id, dataset,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       count() AS reports,
       argMaxState(required_fields, ts) AS required_fields,
       argMaxState(filled_fields, ts) AS filled_fields,
       argMaxState(records, ts) AS records,
       max(ifNull(last_sync_department, toDateTime64(0, 3, 'UTC'))) AS last_sync_department,
       max(ifNull(last_sync_ministry, toDateTime64(0, 3, 'UTC'))) AS last_sync_ministry
FROM completeness_raw ARRAY JOIN [1, 2, 3] AS grain
GROUP BY grain, school_id, dataset, bucket;

DROP TABLE IF EXISTS completeness_1m;
CREATE VIEW IF NOT EXISTS completeness_1m AS
SELECT school_id, dataset, bucket, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry FROM completeness_rollup WHERE grain = 1;

DROP TABLE IF EXISTS completeness_1h;
CREATE VIEW IF NOT EXISTS completeness_1h AS
SELECT school_id, dataset, bucket, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry FROM completeness_rollup WHERE grain = 2;

DROP TABLE IF EXISTS completeness_1d;
CREATE VIEW IF NOT EXISTS completeness_1d AS
SELECT school_id, dataset, toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, reports, required_fields, filled_fields, records, last_sync_department, last_sync_ministry FROM completeness_rollup WHERE grain = 3;
