-- Data completeness per school and dataset, with sync freshness. A sync replaces the previous
-- state, so rollups keep the latest value (argMax by ts), not a sum.
CREATE TABLE IF NOT EXISTS completeness_raw
(
    event_id String,
    school_id LowCardinality(String),
    ts DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source LowCardinality(String) DEFAULT '',
    dataset LowCardinality(String),
    required_fields UInt32,
    filled_fields UInt32,
    records UInt32,
    missing_fields Array(String),
    last_sync_department Nullable(DateTime64(3, 'UTC')),
    last_sync_ministry Nullable(DateTime64(3, 'UTC')),
    INDEX event_id_bf event_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (school_id, ts, event_id)
TTL toDateTime(ts) + INTERVAL 400 DAY;

-- Latest state per minute/hour/day: argMax by event time; sync times as max (epoch 0 = never).
CREATE TABLE IF NOT EXISTS completeness_1m
(
    school_id LowCardinality(String),
    dataset LowCardinality(String),
    bucket DateTime('UTC'),
    reports SimpleAggregateFunction(sum, UInt64),
    required_fields AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    filled_fields AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    records AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    last_sync_department SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_sync_ministry SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (school_id, dataset, bucket)
TTL bucket + INTERVAL 35 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS completeness_1m_mv TO completeness_1m AS
SELECT school_id, dataset, toStartOfMinute(ts) AS bucket, count() AS reports,
       argMaxState(required_fields, ts) AS required_fields,
       argMaxState(filled_fields, ts) AS filled_fields,
       argMaxState(records, ts) AS records,
       max(ifNull(last_sync_department, toDateTime64(0, 3, 'UTC'))) AS last_sync_department,
       max(ifNull(last_sync_ministry, toDateTime64(0, 3, 'UTC'))) AS last_sync_ministry
FROM completeness_raw GROUP BY school_id, dataset, bucket;

CREATE TABLE IF NOT EXISTS completeness_1h AS completeness_1m
ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(bucket) ORDER BY (school_id, dataset, bucket) TTL bucket + INTERVAL 800 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS completeness_1h_mv TO completeness_1h AS
SELECT school_id, dataset, toStartOfHour(ts) AS bucket, count() AS reports,
       argMaxState(required_fields, ts) AS required_fields,
       argMaxState(filled_fields, ts) AS filled_fields,
       argMaxState(records, ts) AS records,
       max(ifNull(last_sync_department, toDateTime64(0, 3, 'UTC'))) AS last_sync_department,
       max(ifNull(last_sync_ministry, toDateTime64(0, 3, 'UTC'))) AS last_sync_ministry
FROM completeness_raw GROUP BY school_id, dataset, bucket;

CREATE TABLE IF NOT EXISTS completeness_1d
(
    school_id LowCardinality(String),
    dataset LowCardinality(String),
    day Date,
    reports SimpleAggregateFunction(sum, UInt64),
    required_fields AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    filled_fields AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    records AggregateFunction(argMax, UInt32, DateTime64(3, 'UTC')),
    last_sync_department SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_sync_ministry SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (school_id, dataset, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS completeness_1d_mv TO completeness_1d AS
SELECT school_id, dataset, toDate(ts, 'Asia/Ho_Chi_Minh') AS day, count() AS reports,
       argMaxState(required_fields, ts) AS required_fields,
       argMaxState(filled_fields, ts) AS filled_fields,
       argMaxState(records, ts) AS records,
       max(ifNull(last_sync_department, toDateTime64(0, 3, 'UTC'))) AS last_sync_department,
       max(ifNull(last_sync_ministry, toDateTime64(0, 3, 'UTC'))) AS last_sync_ministry
FROM completeness_raw GROUP BY school_id, dataset, day;
