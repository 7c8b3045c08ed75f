-- Minute-level rollups (docs/METRICS.md, "Minute rollups and demand"), kept exact by the same
-- recompute as rollup_hour: the refresh (naap-metrics Refresher) recomputes, whole, every minute
-- a touched session's time [first event, last event] covers, under the refresh's version
-- computed_at. Readers keep the latest version of each minute.

-- As rollup_hour, per minute of the segment's start: serves granularities 1m and 5m. Kept 8 days;
-- the query layer allows 1m over at most 1 day and 5m over at most 7 days.
CREATE TABLE IF NOT EXISTS rollup_minute
(
    bucket_minute            DateTime('UTC'),
    orchestrator_address     LowCardinality(String),
    gpu_id                   String,
    gpu_model                LowCardinality(String),
    pipeline                 LowCardinality(String),
    region                   LowCardinality(String),
    gateway                  LowCardinality(String),
    is_test_load             Bool,
    sessions_requested       UInt64,
    sessions_started         UInt64,
    sessions_no_orchestrator UInt64,
    segments                 UInt64,
    failed_segments          UInt64,
    compliant_segments       UInt64,
    violations_failure       UInt64,
    violations_ptff          UInt64,
    violations_fps           UInt64,
    violations_jitter        UInt64,
    fps_samples              UInt64,
    fps_sample_sum           Float64,
    fps_quantiles_state      AggregateFunction(quantilesTDigest(0.05, 0.5, 0.95), Float64),
    ptff_ms_state            AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64),
    ptff_ms_sum              Float64,
    ptff_ms_count            UInt64,
    jitter_sum               Float64,
    jitter_count             UInt64,
    jitter_state             AggregateFunction(quantileTDigest(0.95), Float64),
    up_kbps_sum              Float64,
    down_kbps_sum            Float64,
    bandwidth_count          UInt64,
    computed_at              DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (bucket_minute, orchestrator_address, gpu_id, pipeline, region, gateway, is_test_load)
TTL bucket_minute + INTERVAL 8 DAY;

-- Demand per minute × gateway × pipeline × region × test load. A session counts with the gateway,
-- pipeline and region of its first segment (of the session when it reached no orchestrator).
-- Requests, starts and unmet requests count in the minute of the session's first event;
-- stream_seconds is the part of [first event, last event] inside the minute; concurrent_streams
-- counts the sessions whose time overlaps the minute. Kept 400 days: demand at every granularity
-- is read from here (1h and 1d over at most 366 days).
CREATE TABLE IF NOT EXISTS demand_minute
(
    bucket_minute            DateTime('UTC'),
    gateway                  LowCardinality(String),
    pipeline                 LowCardinality(String),
    region                   LowCardinality(String),
    is_test_load             Bool,
    sessions_requested       UInt64,
    sessions_started         UInt64,
    sessions_no_orchestrator UInt64,
    stream_seconds           Float64,
    concurrent_streams       UInt64,
    computed_at              DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (bucket_minute, gateway, pipeline, region, is_test_load)
TTL bucket_minute + INTERVAL 400 DAY;

-- The latest computation of each minute, for BI tools (the query layer restricts the version
-- lookup to the range it reads, which this view cannot).
CREATE VIEW IF NOT EXISTS rollup_minute_current AS
SELECT *
FROM rollup_minute
WHERE (bucket_minute, computed_at) IN (SELECT bucket_minute, max(computed_at) FROM rollup_minute GROUP BY bucket_minute);

CREATE VIEW IF NOT EXISTS demand_minute_current AS
SELECT *
FROM demand_minute
WHERE (bucket_minute, computed_at) IN (SELECT bucket_minute, max(computed_at) FROM demand_minute GROUP BY bucket_minute);
