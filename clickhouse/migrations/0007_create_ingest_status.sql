-- Ingest workers report their counters here every few seconds, so the app can show them
-- when ingest runs as its own process (server mode).
CREATE TABLE IF NOT EXISTS ingest_status
(
    ts DateTime64(3, 'UTC'),
    instance String,
    started_at DateTime64(3, 'UTC'),
    events_total UInt64,
    duplicates_total UInt64,
    rejects_total UInt64,
    batches_total UInt64,
    insert_failures_total UInt64,
    lag UInt64,
    last_event_at Map(String, DateTime64(3, 'UTC'))
)
ENGINE = MergeTree
ORDER BY (ts, instance)
TTL toDateTime(ts) + INTERVAL 2 DAY;
