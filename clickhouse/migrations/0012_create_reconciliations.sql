-- Each reconciliation of the rollups against the raw tables (`npm run reconcile`, or the app's
-- nightly check of the day before): what was compared, what differed, what was rebuilt. The app's
-- /api/health shows the last one; both processes see this table (docs/reconcile.md).
CREATE TABLE IF NOT EXISTS reconciliations
(
    finished_at DateTime64(3, 'UTC'),
    started_at DateTime64(3, 'UTC'),
    by LowCardinality(String),
    from_day Date,
    to_day Date,
    repair Bool,
    checked UInt64,
    differing UInt64,
    repaired UInt64,
    remaining UInt64,
    tables String,
    differences String
)
ENGINE = MergeTree
ORDER BY finished_at
TTL toDateTime(finished_at) + INTERVAL 400 DAY;
