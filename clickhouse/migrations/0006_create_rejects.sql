-- Every message that can never be valid, with its reason: nothing is dropped silently.
CREATE TABLE IF NOT EXISTS rejects
(
    received_at DateTime64(3, 'UTC'),
    subject String,
    reason LowCardinality(String),
    detail String,
    kind LowCardinality(String),
    event_id String,
    school_id String,
    stream_seq UInt64,
    payload String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, reason)
TTL toDateTime(received_at) + INTERVAL 90 DAY;
