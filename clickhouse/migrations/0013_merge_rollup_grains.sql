-- One rollup table per kind for the minute, hour and day grains (docs/ingest-performance.md).
-- Before, each kind had three rollup tables, each fed by its own materialized view, and the minute
-- and hour ones carried a time projection: an ingest insert wrote 25 views' parts beside its 4
-- raw parts, and a flush's time followed the number of parts (files) written, not the rows. Now
-- each kind's view writes its three grains as one block (ARRAY JOIN over the grains), one part
-- per insert: 9 view parts (with projections) instead of 25 per flush.
--  * grain: 1 = minute, 2 = hour, 3 = day (a Vietnam day; its bucket is the day's start,
--    00:00 in Asia/Ho_Chi_Minh, as a UTC instant), 4 = the day for the whole city (school_id
--    and dataset ''): what `day_versions` counts, so its four views' parts go too;
--  * partitioned by month only (a grain partition would make three parts again); each grain
--    keeps what its table kept: minutes 35 days, hours 800 days, days for ever (TTL … WHERE);
--  * ordered (grain, school_id, [dataset,] bucket), with the projection by (grain, bucket) for
--    "every school, this window";
--  * the old names stay, as plain views with the old columns (the daily ones with `day`), so
--    every reader reads what it read before; ClickHouse pushes their conditions down to the key.
-- The rows the old tables hold are copied in, then the old tables and views are dropped.
-- `day_versions` becomes a view: each kind's grain 4 (the events of each day, as its views
-- counted them) plus `day_version_bumps`, the versions written outside the views (a repair's
-- bump, a bulk load) and the versions kept before this migration.

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
SELECT grain, if(grain = 4, '', school_id) AS school_id,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       count() AS reports,
       sum(enrolled) AS enrolled,
       sum(present) AS present,
       sum(absent_excused) AS absent_excused,
       sum(absent_unexcused) AS absent_unexcused
FROM attendance_raw ARRAY JOIN [1, 2, 3, 4] AS grain
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
    events SimpleAggregateFunction(sum, UInt64),
    PROJECTION by_bucket (SELECT * ORDER BY grain, bucket)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (grain, school_id, bucket)
TTL bucket + INTERVAL 35 DAY DELETE WHERE grain = 1, bucket + INTERVAL 800 DAY DELETE WHERE grain = 2
SETTINGS deduplicate_merge_projection_mode = 'rebuild', non_replicated_deduplication_window = 10000;

INSERT INTO device_rollup (grain, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up, events)
SELECT 1, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up, heartbeats + went_down FROM device_1m;

INSERT INTO device_rollup (grain, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up, events)
SELECT 2, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up, heartbeats + went_down FROM device_1h;

INSERT INTO device_rollup (grain, school_id, bucket, heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up, events)
SELECT 3, school_id, toDateTime(day, 'Asia/Ho_Chi_Minh'), heartbeats, up_heartbeats, up_seconds, reported_seconds, went_down, devices, devices_up, heartbeats + went_down FROM device_1d;

DROP VIEW IF EXISTS device_1m_mv;

DROP VIEW IF EXISTS device_1h_mv;

DROP VIEW IF EXISTS device_1d_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_rollup_mv TO device_rollup AS
SELECT grain, if(grain = 4, '', school_id) AS school_id,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       countIf(event = 'heartbeat') AS heartbeats,
       countIf(event = 'heartbeat' AND status = 'up') AS up_heartbeats,
       sumIf(toUInt64(interval_s), event = 'heartbeat' AND status = 'up') AS up_seconds,
       sumIf(toUInt64(interval_s), event = 'heartbeat') AS reported_seconds,
       countIf(event = 'change' AND status = 'down') AS went_down,
       uniqState(device_id) AS devices,
       uniqStateIf(device_id, status = 'up') AS devices_up,
       count() AS events
FROM device_raw ARRAY JOIN [1, 2, 3, 4] AS grain
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
SELECT grain, if(grain = 4, '', school_id) AS school_id,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       count() AS reports,
       sum(loans) AS loans,
       sum(returns) AS returns,
       sum(ebook_opens) AS ebook_opens,
       sum(visits) AS visits
FROM library_raw ARRAY JOIN [1, 2, 3, 4] AS grain
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
SELECT grain, if(grain = 4, '', school_id) AS school_id, if(grain = 4, '', dataset) AS dataset,
       multiIf(grain = 1, toStartOfMinute(ts), grain = 2, toStartOfHour(ts), toDateTime(toDate(ts, 'Asia/Ho_Chi_Minh'), 'Asia/Ho_Chi_Minh')) AS bucket,
       count() AS reports,
       argMaxState(required_fields, ts) AS required_fields,
       argMaxState(filled_fields, ts) AS filled_fields,
       argMaxState(records, ts) AS records,
       max(ifNull(last_sync_department, toDateTime64(0, 3, 'UTC'))) AS last_sync_department,
       max(ifNull(last_sync_ministry, toDateTime64(0, 3, 'UTC'))) AS last_sync_ministry
FROM completeness_raw ARRAY JOIN [1, 2, 3, 4] AS grain
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

CREATE TABLE IF NOT EXISTS day_version_bumps
(
    kind LowCardinality(String),
    day Date,
    events UInt64
)
ENGINE = SummingMergeTree
ORDER BY (kind, day);
INSERT INTO day_version_bumps SELECT kind, day, events FROM day_versions;
DROP VIEW IF EXISTS day_versions_attendance_mv;
DROP VIEW IF EXISTS day_versions_device_mv;
DROP VIEW IF EXISTS day_versions_library_mv;
DROP VIEW IF EXISTS day_versions_completeness_mv;
DROP TABLE IF EXISTS day_versions;
CREATE VIEW IF NOT EXISTS day_versions AS
SELECT 'attendance' AS kind, toDate(bucket, 'Asia/Ho_Chi_Minh') AS day, toUInt64(reports) AS events FROM attendance_rollup WHERE grain = 4
UNION ALL SELECT 'device', toDate(bucket, 'Asia/Ho_Chi_Minh'), toUInt64(events) FROM device_rollup WHERE grain = 4
UNION ALL SELECT 'library', toDate(bucket, 'Asia/Ho_Chi_Minh'), toUInt64(reports) FROM library_rollup WHERE grain = 4
UNION ALL SELECT 'completeness', toDate(bucket, 'Asia/Ho_Chi_Minh'), toUInt64(reports) FROM completeness_rollup WHERE grain = 4
UNION ALL SELECT toString(kind), day, events FROM day_version_bumps;
