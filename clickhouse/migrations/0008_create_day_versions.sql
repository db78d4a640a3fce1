-- A version per kind and Vietnam day: how many events of that kind were ever written for the
-- day. It only grows, so the app's day cache (src/lib/server/drill/day-cache.ts) knows a closed
-- day changed (a late event, a backfill, an import) by reading this small table, not the rollups.
CREATE TABLE IF NOT EXISTS day_versions
(
    kind LowCardinality(String),
    day Date,
    events UInt64
)
ENGINE = SummingMergeTree
ORDER BY (kind, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS day_versions_attendance_mv TO day_versions AS
SELECT 'attendance' AS kind, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS events FROM attendance_raw GROUP BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS day_versions_device_mv TO day_versions AS
SELECT 'device' AS kind, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS events FROM device_raw GROUP BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS day_versions_library_mv TO day_versions AS
SELECT 'library' AS kind, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS events FROM library_raw GROUP BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS day_versions_completeness_mv TO day_versions AS
SELECT 'completeness' AS kind, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS events FROM completeness_raw GROUP BY day;

-- what was written before this table existed (the daily rollups keep every day)
INSERT INTO day_versions SELECT 'attendance', day, sum(reports) FROM attendance_1d GROUP BY day;
INSERT INTO day_versions SELECT 'device', day, sum(heartbeats) + sum(went_down) FROM device_1d GROUP BY day;
INSERT INTO day_versions SELECT 'library', day, sum(reports) FROM library_1d GROUP BY day;
INSERT INTO day_versions SELECT 'completeness', day, sum(reports) FROM completeness_1d GROUP BY day;
