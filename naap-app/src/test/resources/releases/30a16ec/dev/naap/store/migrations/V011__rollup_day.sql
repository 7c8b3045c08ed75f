-- Daily rollups (docs/METRICS.md, "Daily rollups"): rollup_hour summed per UTC day, so that
-- queries over days and weeks read 24 times fewer rows. The refresh (naap-metrics Refresher)
-- recomputes, whole, every day whose hours it recomputed, from the latest computation of each of
-- their hours, under the same version computed_at. Readers keep the latest version of each day.
-- Columns are those of rollup_hour, in its order.
CREATE TABLE IF NOT EXISTS rollup_day
(
    bucket_day               DateTime('UTC'),
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
ORDER BY (bucket_day, orchestrator_address, gpu_id, pipeline, region, gateway, is_test_load);

CREATE VIEW IF NOT EXISTS rollup_day_current AS
SELECT *
FROM rollup_day
WHERE (bucket_day, computed_at) IN (SELECT bucket_day, max(computed_at) FROM rollup_day GROUP BY bucket_day);

-- The days of the hours computed before this table existed, as the version of their newest hour
-- (a second run inserts the same rows, which collapse).
INSERT INTO rollup_day
SELECT toStartOfDay(bucket_hour) AS bucket_day,
       orchestrator_address, gpu_id, gpu_model, pipeline, region, gateway, is_test_load,
       sum(sessions_requested), sum(sessions_started), sum(sessions_no_orchestrator),
       sum(segments), sum(failed_segments), sum(compliant_segments),
       sum(violations_failure), sum(violations_ptff), sum(violations_fps), sum(violations_jitter),
       sum(fps_samples), sum(fps_sample_sum),
       quantilesTDigestMergeState(0.05, 0.5, 0.95)(fps_quantiles_state),
       quantilesTDigestMergeState(0.5, 0.95, 0.99)(ptff_ms_state),
       sum(ptff_ms_sum), sum(ptff_ms_count), sum(jitter_sum), sum(jitter_count),
       quantileTDigestMergeState(0.95)(jitter_state),
       sum(up_kbps_sum), sum(down_kbps_sum), sum(bandwidth_count),
       any(max_version)
FROM
(
    SELECT *, max(computed_at) OVER (PARTITION BY toStartOfDay(bucket_hour)) AS max_version
    FROM rollup_hour
    WHERE (bucket_hour, computed_at) IN (SELECT bucket_hour, max(computed_at) FROM rollup_hour GROUP BY bucket_hour)
)
GROUP BY bucket_day, orchestrator_address, gpu_id, gpu_model, pipeline, region, gateway, is_test_load;
