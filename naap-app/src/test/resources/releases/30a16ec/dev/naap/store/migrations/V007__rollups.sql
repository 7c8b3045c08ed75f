-- Materialized segments and hourly rollups, kept exact by recomputation (docs/METRICS.md,
-- "Rollups"). The refresh (naap-metrics Refresher) reads which sessions new events touched,
-- recomputes those sessions from the views into segment_facts, then recomputes every hour bucket
-- those sessions fall in into rollup_hour. Both tables are versioned by computed_at: the
-- *_current views keep only the latest computation of each session and of each hour.

-- Which sessions new events touched, in ingest order: the work list of the refresh.
CREATE TABLE IF NOT EXISTS session_touches
(
    ingested_at DateTime64(3, 'UTC'),
    stream_id   String,
    request_id  String
)
ENGINE = MergeTree
ORDER BY ingested_at
TTL toDateTime(ingested_at) + INTERVAL 7 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS session_touches_mv TO session_touches AS
SELECT ingested_at, stream_id, request_id
FROM raw_events
WHERE event_type IN ('stream_trace', 'ai_stream_status', 'ai_stream_events', 'stream_ingest_metrics')
  AND stream_id != '';

-- What the refresh has done so far.
CREATE TABLE IF NOT EXISTS refresh_state
(
    name        LowCardinality(String),
    watermark   DateTime64(3, 'UTC'),
    updated_at  DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY name;

-- Every row of `sessions` with its SLA verdict and the hour it counts in.
CREATE VIEW IF NOT EXISTS segment_facts_source AS
SELECT s.*,
       sla.target_ptff_ms AS target_ptff_ms,
       sla.target_fps AS target_fps,
       sla.target_jitter AS target_jitter,
       sla.objective AS objective,
       sla.violates_ptff AS violates_ptff,
       sla.violates_fps AS violates_fps,
       sla.violates_jitter AS violates_jitter,
       sla.compliant AS compliant,
       toStartOfHour(assumeNotNull(coalesce(s.segment_start, s.request_time, s.session_start))) AS bucket_hour
FROM sessions AS s
LEFT JOIN segment_sla AS sla USING (stream_id, request_id, segment_index)
SETTINGS join_use_nulls = 1;

CREATE TABLE IF NOT EXISTS segment_facts
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (stream_id, request_id, segment_index)
EMPTY AS SELECT *, toDateTime64(0, 6, 'UTC') AS computed_at FROM segment_facts_source;

CREATE VIEW IF NOT EXISTS segment_facts_current AS
SELECT *
FROM segment_facts FINAL
WHERE (stream_id, request_id, computed_at) IN
      (SELECT stream_id, request_id, max(computed_at) FROM segment_facts GROUP BY stream_id, request_id);

-- One row per hour and dimension set. Quantiles are kept as t-digest states, so any range of hours
-- merges into exact counts and approximate quantiles.
CREATE TABLE IF NOT EXISTS rollup_hour
(
    bucket_hour              DateTime('UTC'),
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
ORDER BY (bucket_hour, orchestrator_address, gpu_id, pipeline, region, gateway, is_test_load);

CREATE VIEW IF NOT EXISTS rollup_hour_current AS
SELECT *
FROM rollup_hour FINAL
WHERE (bucket_hour, computed_at) IN (SELECT bucket_hour, max(computed_at) FROM rollup_hour GROUP BY bucket_hour);
