-- Storage that lasts (docs/STORE.md, "Retention and sizing").
--
-- 1. raw_events compresses its payload and its high-cardinality columns with ZSTD(1): about 2x
--    smaller than LZ4 on real envelopes, measured with `./naap bench storage` (docs/benchmarks.md).
--    A codec change is metadata only: new parts use it, old parts take it when they next merge.
-- 2. The rollups are partitioned by time so that retention (naap-metrics Retention, configured on
--    `naap ingest --retention`) drops whole partitions instead of rewriting parts. ClickHouse cannot
--    change a partition key in place, so each table is rebuilt from itself: CREATE OR REPLACE is
--    atomic (the new table takes the old one's name only when the copy is complete), and running it
--    again rebuilds the same table, so a crash half-way or two processes at once stay correct.
--    Every rollup's time bucket is part of its sorting key, so all versions of a row share one
--    partition and ReplacingMergeTree still collapses them. The TTLs of rollup_minute (8 days) and
--    demand_minute (400 days) become the retention defaults, so one mechanism governs expiry.
--    Writers must be stopped while this runs against a shared server (rows inserted during the copy
--    would be lost); the embedded store runs it before anything else opens the tables.

ALTER TABLE raw_events
    MODIFY COLUMN IF EXISTS event_id String CODEC(ZSTD(1)),
    MODIFY COLUMN IF EXISTS event_time DateTime64(3, 'UTC') CODEC(ZSTD(1)),
    MODIFY COLUMN IF EXISTS envelope_time DateTime64(3, 'UTC') CODEC(ZSTD(1)),
    MODIFY COLUMN IF EXISTS stream_id String CODEC(ZSTD(1)),
    MODIFY COLUMN IF EXISTS request_id String CODEC(ZSTD(1)),
    MODIFY COLUMN IF EXISTS payload String CODEC(ZSTD(1)),
    MODIFY COLUMN IF EXISTS offset Int64 CODEC(ZSTD(1)),
    MODIFY COLUMN IF EXISTS ingested_at DateTime64(3, 'UTC') CODEC(ZSTD(1));

CREATE OR REPLACE TABLE rollup_minute
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMMDD(bucket_minute)
ORDER BY (bucket_minute, orchestrator_address, gpu_id, pipeline, region, gateway, is_test_load)
AS SELECT * FROM rollup_minute;

CREATE OR REPLACE TABLE rollup_hour
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(bucket_hour)
ORDER BY (bucket_hour, orchestrator_address, gpu_id, pipeline, region, gateway, is_test_load)
AS SELECT * FROM rollup_hour;

CREATE OR REPLACE TABLE rollup_day
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(bucket_day)
ORDER BY (bucket_day, orchestrator_address, gpu_id, pipeline, region, gateway, is_test_load)
AS SELECT * FROM rollup_day;

CREATE OR REPLACE TABLE demand_minute
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(bucket_minute)
ORDER BY (bucket_minute, gateway, pipeline, region, is_test_load)
AS SELECT * FROM demand_minute;

CREATE OR REPLACE TABLE demand_hour
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(bucket_hour)
ORDER BY (bucket_hour, gateway, pipeline, region, is_test_load)
AS SELECT * FROM demand_hour;

CREATE OR REPLACE TABLE capability_snapshots
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_time, event_id)
AS SELECT * FROM capability_snapshots;
