-- What real production events need from the family tables (docs/METRICS.md, issue 12):
--
-- 1. ai_stream_status_events keeps inference_status.last_restart_time, so a restart *during* a
--    segment can be told from the runner's lifetime counter (docs/METRICS.md, "Restarts").
-- 2. network_capability_node_gpus holds every GPU a capabilities snapshot advertises, keyed by its
--    GPU id and its node (orch_uri): real payloads list one hardware entry per runner, each with
--    its GPU under the key "0", which network_capability_gpus (keyed by that slot) collapses.
--
-- Both are filled from raw_events as they were before, once here, and by materialized views on
-- every later insert.

ALTER TABLE ai_stream_status_events
    ADD COLUMN IF NOT EXISTS last_restart_time_ms Nullable(Int64) AFTER restart_count;

DROP VIEW IF EXISTS ai_stream_status_events_mv;

-- As in V003, plus last_restart_time: milliseconds upstream; a value below 1e11 is taken to be in
-- seconds (the runner's clock in float seconds, as on runner events) and converted.
CREATE MATERIALIZED VIEW IF NOT EXISTS ai_stream_status_events_mv TO ai_stream_status_events AS
WITH JSONExtract(payload, 'data', 'Tuple(state String, gpu_id String, start_time Nullable(Int64),
         orchestrator_info Tuple(gpu_id String, region String),
         input_status Tuple(fps Nullable(Float64), last_input_time Nullable(Int64)),
         inference_status Tuple(fps Nullable(Float64), last_output_time Nullable(Int64),
             last_params_update_time Nullable(Int64), last_params_hash String, last_error String,
             last_error_time Nullable(Int64), restart_count Nullable(Int64),
             last_restart_time Nullable(Float64)))') AS d
SELECT event_id, event_time, envelope_time, gateway, stream_id, request_id, pipeline,
       orchestrator_address, orchestrator_url,
       if(d.gpu_id != '', d.gpu_id, d.orchestrator_info.gpu_id) AS gpu_id,
       d.orchestrator_info.region AS region,
       d.state AS state,
       d.inference_status.fps AS output_fps,
       d.input_status.fps AS input_fps,
       d.start_time AS start_time_ms,
       d.inference_status.last_output_time AS last_output_time_ms,
       d.input_status.last_input_time AS last_input_time_ms,
       d.inference_status.last_params_update_time AS last_params_update_time_ms,
       d.inference_status.last_params_hash AS last_params_hash,
       d.inference_status.last_error AS last_error,
       d.inference_status.last_error_time AS last_error_time_ms,
       d.inference_status.restart_count AS restart_count,
       multiIf(d.inference_status.last_restart_time IS NULL, NULL,
               d.inference_status.last_restart_time < 1e11,
                   toInt64(d.inference_status.last_restart_time * 1000),
               toInt64(d.inference_status.last_restart_time)) AS last_restart_time_ms,
       is_test_load
FROM raw_events
WHERE event_type = 'ai_stream_status';

-- The statuses already stored, again with the new column: the table keeps the last insert of
-- each event id (ReplacingMergeTree without a version), so FINAL reads these rows.
INSERT INTO ai_stream_status_events
WITH JSONExtract(payload, 'data', 'Tuple(state String, gpu_id String, start_time Nullable(Int64),
         orchestrator_info Tuple(gpu_id String, region String),
         input_status Tuple(fps Nullable(Float64), last_input_time Nullable(Int64)),
         inference_status Tuple(fps Nullable(Float64), last_output_time Nullable(Int64),
             last_params_update_time Nullable(Int64), last_params_hash String, last_error String,
             last_error_time Nullable(Int64), restart_count Nullable(Int64),
             last_restart_time Nullable(Float64)))') AS d
SELECT event_id, event_time, envelope_time, gateway, stream_id, request_id, pipeline,
       orchestrator_address, orchestrator_url,
       if(d.gpu_id != '', d.gpu_id, d.orchestrator_info.gpu_id) AS gpu_id,
       d.orchestrator_info.region AS region,
       d.state AS state,
       d.inference_status.fps AS output_fps,
       d.input_status.fps AS input_fps,
       d.start_time AS start_time_ms,
       d.inference_status.last_output_time AS last_output_time_ms,
       d.input_status.last_input_time AS last_input_time_ms,
       d.inference_status.last_params_update_time AS last_params_update_time_ms,
       d.inference_status.last_params_hash AS last_params_hash,
       d.inference_status.last_error AS last_error,
       d.inference_status.last_error_time AS last_error_time_ms,
       d.inference_status.restart_count AS restart_count,
       multiIf(d.inference_status.last_restart_time IS NULL, NULL,
               d.inference_status.last_restart_time < 1e11,
                   toInt64(d.inference_status.last_restart_time * 1000),
               toInt64(d.inference_status.last_restart_time)) AS last_restart_time_ms,
       is_test_load
FROM raw_events FINAL
WHERE event_type = 'ai_stream_status';

-- One row per (snapshot, node, model, GPU id). node_url is orch_uri lower-cased without trailing
-- slashes, the form segments are matched on; a GPU without an id keeps an empty gpu_id.
CREATE TABLE IF NOT EXISTS network_capability_node_gpus
(
    event_id           String,
    event_time         DateTime64(3, 'UTC'),
    gateway            LowCardinality(String),
    address            LowCardinality(String),
    local_address      LowCardinality(String),
    orch_uri           LowCardinality(String),
    node_url           LowCardinality(String),
    pipeline           LowCardinality(String),
    model_id           LowCardinality(String),
    gpu_slot           LowCardinality(String),
    gpu_id             String,
    gpu_name           LowCardinality(String),
    gpu_major          Nullable(UInt32),
    gpu_minor          Nullable(UInt32),
    memory_total_bytes Nullable(Int64),
    memory_free_bytes  Nullable(Int64)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_id, local_address, node_url, model_id, gpu_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS network_capability_node_gpus_mv TO network_capability_node_gpus AS
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     arrayJoin(JSONExtractArrayRaw(orch, 'hardware')) AS hw,
     arrayJoin(JSONExtractKeysAndValuesRaw(hw, 'gpu_info')) AS gpu
SELECT event_id, event_time, gateway,
       lower(JSONExtractString(orch, 'address')) AS address,
       lower(JSONExtractString(orch, 'local_address')) AS local_address,
       JSONExtractString(orch, 'orch_uri') AS orch_uri,
       replaceRegexpOne(lower(orch_uri), '/+$', '') AS node_url,
       JSONExtractString(hw, 'pipeline') AS pipeline,
       JSONExtractString(hw, 'model_id') AS model_id,
       gpu.1 AS gpu_slot,
       JSONExtractString(gpu.2, 'id') AS gpu_id,
       JSONExtractString(gpu.2, 'name') AS gpu_name,
       JSONExtract(gpu.2, 'major', 'Nullable(UInt32)') AS gpu_major,
       JSONExtract(gpu.2, 'minor', 'Nullable(UInt32)') AS gpu_minor,
       JSONExtract(gpu.2, 'memory_total', 'Nullable(Int64)') AS memory_total_bytes,
       JSONExtract(gpu.2, 'memory_free', 'Nullable(Int64)') AS memory_free_bytes
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events WHERE event_type = 'network_capabilities');

INSERT INTO network_capability_node_gpus
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     arrayJoin(JSONExtractArrayRaw(orch, 'hardware')) AS hw,
     arrayJoin(JSONExtractKeysAndValuesRaw(hw, 'gpu_info')) AS gpu
SELECT event_id, event_time, gateway,
       lower(JSONExtractString(orch, 'address')) AS address,
       lower(JSONExtractString(orch, 'local_address')) AS local_address,
       JSONExtractString(orch, 'orch_uri') AS orch_uri,
       replaceRegexpOne(lower(orch_uri), '/+$', '') AS node_url,
       JSONExtractString(hw, 'pipeline') AS pipeline,
       JSONExtractString(hw, 'model_id') AS model_id,
       gpu.1 AS gpu_slot,
       JSONExtractString(gpu.2, 'id') AS gpu_id,
       JSONExtractString(gpu.2, 'name') AS gpu_name,
       JSONExtract(gpu.2, 'major', 'Nullable(UInt32)') AS gpu_major,
       JSONExtract(gpu.2, 'minor', 'Nullable(UInt32)') AS gpu_minor,
       JSONExtract(gpu.2, 'memory_total', 'Nullable(Int64)') AS memory_total_bytes,
       JSONExtract(gpu.2, 'memory_free', 'Nullable(Int64)') AS memory_free_bytes
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events FINAL
      WHERE event_type = 'network_capabilities');

-- The age beyond which a capabilities snapshot no longer attributes a GPU (docs/METRICS.md,
-- "GPU"), and other tunable definitions: the newest updated_at per name wins.
CREATE TABLE IF NOT EXISTS metric_settings
(
    name        LowCardinality(String),
    value       Float64,
    updated_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY name;

INSERT INTO metric_settings (name, value, updated_at) VALUES ('gpu_snapshot_max_age_seconds', 7200, 0);

-- Operator rules that mark sessions as test load by stream id or gateway (docs/METRICS.md, "Test
-- load"): written whole by naap-metrics TestLoadRules under a new version; the newest version is
-- the rule set. Patterns are globs turned into LIKE patterns by the writer.
CREATE TABLE IF NOT EXISTS test_load_rules
(
    version       DateTime64(6, 'UTC'),
    kind          LowCardinality(String),   -- 'stream_id', 'gateway', or '' marking an empty set
    glob          String,
    like_pattern  String
)
ENGINE = ReplacingMergeTree
ORDER BY (version, kind, glob);
