-- Exactly once under any crash (docs/ingest-exactness.md). ClickHouse writes an INSERT's raw
-- part first and its materialized views' parts after it, one by one: a process killed in between
-- leaves a rollup short while the raw rows are there. So:
--  * each raw row says which JetStream message it came from (stream_seq; 0 when not from a
--    stream) and which insert wrote it (ingest_block, also the insert's deduplication token);
--  * every table an ingest insert writes to remembers the tokens of its last 10,000 blocks, so
--    repeating an insert with its token writes only the parts that are missing: the raw part and
--    each view's part are skipped where they exist and written where they do not
--    (deduplicate_blocks_in_dependent_materialized_views = 1 on the insert).
-- Ingest repeats a block from its raw rows when a redelivered message finds its own row there.
ALTER TABLE attendance_raw ADD COLUMN IF NOT EXISTS stream_seq UInt64 DEFAULT 0;
ALTER TABLE attendance_raw ADD COLUMN IF NOT EXISTS ingest_block UUID DEFAULT toUUID('00000000-0000-0000-0000-000000000000');
ALTER TABLE attendance_raw ADD INDEX IF NOT EXISTS stream_seq_mm stream_seq TYPE minmax GRANULARITY 1;
ALTER TABLE attendance_raw ADD INDEX IF NOT EXISTS ingested_at_mm ingested_at TYPE minmax GRANULARITY 1;
ALTER TABLE attendance_raw MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE device_raw ADD COLUMN IF NOT EXISTS stream_seq UInt64 DEFAULT 0;
ALTER TABLE device_raw ADD COLUMN IF NOT EXISTS ingest_block UUID DEFAULT toUUID('00000000-0000-0000-0000-000000000000');
ALTER TABLE device_raw ADD INDEX IF NOT EXISTS stream_seq_mm stream_seq TYPE minmax GRANULARITY 1;
ALTER TABLE device_raw ADD INDEX IF NOT EXISTS ingested_at_mm ingested_at TYPE minmax GRANULARITY 1;
ALTER TABLE device_raw MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE library_raw ADD COLUMN IF NOT EXISTS stream_seq UInt64 DEFAULT 0;
ALTER TABLE library_raw ADD COLUMN IF NOT EXISTS ingest_block UUID DEFAULT toUUID('00000000-0000-0000-0000-000000000000');
ALTER TABLE library_raw ADD INDEX IF NOT EXISTS stream_seq_mm stream_seq TYPE minmax GRANULARITY 1;
ALTER TABLE library_raw ADD INDEX IF NOT EXISTS ingested_at_mm ingested_at TYPE minmax GRANULARITY 1;
ALTER TABLE library_raw MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE completeness_raw ADD COLUMN IF NOT EXISTS stream_seq UInt64 DEFAULT 0;
ALTER TABLE completeness_raw ADD COLUMN IF NOT EXISTS ingest_block UUID DEFAULT toUUID('00000000-0000-0000-0000-000000000000');
ALTER TABLE completeness_raw ADD INDEX IF NOT EXISTS stream_seq_mm stream_seq TYPE minmax GRANULARITY 1;
ALTER TABLE completeness_raw ADD INDEX IF NOT EXISTS ingested_at_mm ingested_at TYPE minmax GRANULARITY 1;
ALTER TABLE completeness_raw MODIFY SETTING non_replicated_deduplication_window = 10000;

-- every table a raw table's materialized views write to
ALTER TABLE attendance_1m MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE attendance_1h MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE attendance_1d MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE device_1m MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE device_1h MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE device_1d MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE device_unit_1d MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE library_1m MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE library_1h MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE library_1d MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE completeness_1m MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE completeness_1h MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE completeness_1d MODIFY SETTING non_replicated_deduplication_window = 10000;
-- day_versions gets a block from each raw table's insert: four times the others' rate
ALTER TABLE day_versions MODIFY SETTING non_replicated_deduplication_window = 40000;

-- a reject redelivered after a crash is recognised by its stream sequence
ALTER TABLE rejects ADD INDEX IF NOT EXISTS stream_seq_mm stream_seq TYPE minmax GRANULARITY 1;
