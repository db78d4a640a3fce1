-- E-library use: counts over a window (period_s) per school.
CREATE TABLE IF NOT EXISTS library_raw
(
    event_id String,
    school_id LowCardinality(String),
    ts DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source LowCardinality(String) DEFAULT '',
    period_s UInt32,
    loans UInt32,
    returns UInt32,
    ebook_opens UInt32,
    visits UInt32,
    INDEX event_id_bf event_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (school_id, ts, event_id)
TTL toDateTime(ts) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS library_1m
(
    school_id LowCardinality(String),
    bucket DateTime('UTC'),
    reports SimpleAggregateFunction(sum, UInt64),
    loans SimpleAggregateFunction(sum, UInt64),
    returns SimpleAggregateFunction(sum, UInt64),
    ebook_opens SimpleAggregateFunction(sum, UInt64),
    visits SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (school_id, bucket)
TTL bucket + INTERVAL 35 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS library_1m_mv TO library_1m AS
SELECT school_id, toStartOfMinute(ts) AS bucket, count() AS reports, sum(loans) AS loans, sum(returns) AS returns,
       sum(ebook_opens) AS ebook_opens, sum(visits) AS visits
FROM library_raw GROUP BY school_id, bucket;

CREATE TABLE IF NOT EXISTS library_1h AS library_1m
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(bucket) ORDER BY (school_id, bucket) TTL bucket + INTERVAL 800 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS library_1h_mv TO library_1h AS
SELECT school_id, toStartOfHour(ts) AS bucket, count() AS reports, sum(loans) AS loans, sum(returns) AS returns,
       sum(ebook_opens) AS ebook_opens, sum(visits) AS visits
FROM library_raw GROUP BY school_id, bucket;

CREATE TABLE IF NOT EXISTS library_1d
(
    school_id LowCardinality(String),
    day Date,
    reports SimpleAggregateFunction(sum, UInt64),
    loans SimpleAggregateFunction(sum, UInt64),
    returns SimpleAggregateFunction(sum, UInt64),
    ebook_opens SimpleAggregateFunction(sum, UInt64),
    visits SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (school_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS library_1d_mv TO library_1d AS
SELECT school_id, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS reports, sum(loans) AS loans, sum(returns) AS returns,
       sum(ebook_opens) AS ebook_opens, sum(visits) AS visits
FROM library_raw GROUP BY school_id, day;
