-- One row per load test (docs/LOADTEST.md, "Results"), written by naap-loadtest when the test
-- ends. Measurements are NULL when the test did not get far enough to take them. A test id is a
-- stream id registered in test_load_streams (live tests) or a request id (batch tests); a
-- repeated write of the same test collapses.

CREATE TABLE IF NOT EXISTS test_load_results
(
    run_id               String,
    plan                 String,
    test_id              String,
    kind                 LowCardinality(String),
    orchestrator         String,
    served_by            String,
    pipeline             LowCardinality(String),
    model                String,
    dataset              String,
    prompt_id            String,
    prompt               String,
    started_at           DateTime64(3, 'UTC'),
    ended_at             DateTime64(3, 'UTC'),
    outcome              LowCardinality(String),
    error_class          LowCardinality(String),
    error_message        String,
    startup_ms           Nullable(UInt32),
    prompt_change_ms     Nullable(UInt32),
    prompt_applied_ms    Nullable(UInt32),
    prompt_changes_sent  UInt16,
    prompt_changes_seen  UInt16,
    output_fps           Nullable(Float64),
    fps_jitter           Nullable(Float64),
    status_samples       UInt32,
    latency_ms           Nullable(UInt32),
    written_at           DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(written_at)
PARTITION BY toYYYYMM(started_at)
ORDER BY (test_id);
