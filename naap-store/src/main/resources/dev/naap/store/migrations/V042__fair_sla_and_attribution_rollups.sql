-- The fair SLA, the three latencies and GPU attribution counts in the materialized metrics
-- (docs/METRICS.md, "SLA compliance" and "Rollups"; issue 12).
--
-- The SLA judges an orchestrator only on what it controls: its startup (first ingest segment sent
-- -> first processed segment received), its FPS, its failures and its jitter. The user-visible
-- PTFF keeps its target and its violation count, for information; it no longer decides compliance.

ALTER TABLE sla_targets ADD COLUMN IF NOT EXISTS startup_ms UInt32 DEFAULT 5000;

DROP VIEW IF EXISTS segment_facts_source;
DROP VIEW IF EXISTS segment_sla;

-- One row per segment (segment_index >= 1) with the targets that apply to it and each violation.
-- A null startup or FPS cannot show compliance and violates; a null jitter coefficient (fewer
-- than 3 samples) does not. violates_ptff is reported but is not part of compliance.
CREATE VIEW IF NOT EXISTS segment_sla AS
WITH targets AS (SELECT * FROM sla_targets FINAL),
     defaults AS (SELECT * FROM targets WHERE pipeline = '')
SELECT s.stream_id AS stream_id,
       s.request_id AS request_id,
       s.segment_index AS segment_index,
       s.orchestrator_address AS orchestrator_address,
       s.pipeline AS pipeline,
       s.region AS region,
       s.gateway AS gateway,
       s.gpu_id AS gpu_id,
       s.gpu_model AS gpu_model,
       s.segment_start AS segment_start,
       s.is_test_load AS is_test_load,
       s.ptff_ms AS ptff_ms,
       s.orchestrator_startup_ms AS orchestrator_startup_ms,
       s.fps_mean AS fps_mean,
       s.jitter_coefficient AS jitter_coefficient,
       if(t.pipeline = s.pipeline, t.ptff_ms, d.ptff_ms) AS target_ptff_ms,
       if(t.pipeline = s.pipeline, t.startup_ms, d.startup_ms) AS target_startup_ms,
       if(t.pipeline = s.pipeline, t.fps, d.fps) AS target_fps,
       if(t.pipeline = s.pipeline, t.jitter, d.jitter) AS target_jitter,
       if(t.pipeline = s.pipeline, t.objective, d.objective) AS objective,
       s.failed AS violates_failure,
       toBool(s.ptff_ms IS NULL OR s.ptff_ms > target_ptff_ms) AS violates_ptff,
       toBool(s.orchestrator_startup_ms IS NULL OR s.orchestrator_startup_ms > target_startup_ms) AS violates_startup,
       toBool(s.fps_mean IS NULL OR s.fps_mean < target_fps) AS violates_fps,
       toBool(s.jitter_coefficient IS NOT NULL AND s.jitter_coefficient > target_jitter) AS violates_jitter,
       toBool(NOT (violates_failure OR violates_startup OR violates_fps OR violates_jitter)) AS compliant
FROM sessions AS s
LEFT JOIN targets AS t ON t.pipeline = s.pipeline
CROSS JOIN defaults AS d
WHERE s.segment_index >= 1
SETTINGS join_use_nulls = 0; -- fixed here, so views that read this one may set it otherwise

-- As in V007, with the startup target and violation after bucket_hour.
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
       toStartOfHour(assumeNotNull(coalesce(s.segment_start, s.request_time, s.session_start))) AS bucket_hour,
       sla.target_startup_ms AS target_startup_ms,
       sla.violates_startup AS violates_startup
FROM sessions AS s
LEFT JOIN segment_sla AS sla USING (stream_id, request_id, segment_index)
SETTINGS join_use_nulls = 1;

-- segment_facts takes the new columns of `sessions` after ingest_jitter_ms and those of the SLA
-- after bucket_hour, the order segment_facts_source gives them in (the refresh inserts by position).
ALTER TABLE segment_facts
    ADD COLUMN IF NOT EXISTS node_key String AFTER ingest_jitter_ms,
    ADD COLUMN IF NOT EXISTS node_source LowCardinality(String) AFTER node_key,
    ADD COLUMN IF NOT EXISTS first_ingest_time Nullable(DateTime64(3, 'UTC')) AFTER node_source,
    ADD COLUMN IF NOT EXISTS orchestrator_startup_ms Nullable(Int64) AFTER first_ingest_time,
    ADD COLUMN IF NOT EXISTS selection_wait_ms Nullable(Int64) AFTER orchestrator_startup_ms,
    ADD COLUMN IF NOT EXISTS restart_count_rose Bool AFTER selection_wait_ms,
    ADD COLUMN IF NOT EXISTS last_restart_time_ms Nullable(Int64) AFTER restart_count_rose,
    ADD COLUMN IF NOT EXISTS fps_values Array(Float64) AFTER last_restart_time_ms,
    ADD COLUMN IF NOT EXISTS target_startup_ms Nullable(UInt32) AFTER bucket_hour,
    ADD COLUMN IF NOT EXISTS violates_startup Nullable(Bool) AFTER target_startup_ms;

DROP VIEW IF EXISTS segment_facts_current;

CREATE VIEW IF NOT EXISTS segment_facts_current AS
SELECT *
FROM segment_facts FINAL
WHERE (stream_id, request_id, computed_at) IN
      (SELECT stream_id, request_id, max(computed_at) FROM segment_facts GROUP BY stream_id, request_id);

-- Per bucket: the startup violations, orchestrator startup and selection wait (t-digest states
-- plus sum and count, as PTFF), and the segments per GPU resolution. Same columns in all three.

ALTER TABLE rollup_hour
    ADD COLUMN IF NOT EXISTS violations_startup UInt64 AFTER bandwidth_count,
    ADD COLUMN IF NOT EXISTS startup_ms_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64) AFTER violations_startup,
    ADD COLUMN IF NOT EXISTS startup_ms_sum Float64 AFTER startup_ms_state,
    ADD COLUMN IF NOT EXISTS startup_ms_count UInt64 AFTER startup_ms_sum,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64) AFTER startup_ms_count,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_sum Float64 AFTER selection_wait_ms_state,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_count UInt64 AFTER selection_wait_ms_sum,
    ADD COLUMN IF NOT EXISTS gpu_reported UInt64 AFTER selection_wait_ms_count,
    ADD COLUMN IF NOT EXISTS gpu_capabilities UInt64 AFTER gpu_reported,
    ADD COLUMN IF NOT EXISTS gpu_metadata UInt64 AFTER gpu_capabilities,
    ADD COLUMN IF NOT EXISTS gpu_ambiguous UInt64 AFTER gpu_metadata,
    ADD COLUMN IF NOT EXISTS gpu_stale UInt64 AFTER gpu_ambiguous,
    ADD COLUMN IF NOT EXISTS gpu_unknown UInt64 AFTER gpu_stale;

ALTER TABLE rollup_minute
    ADD COLUMN IF NOT EXISTS violations_startup UInt64 AFTER bandwidth_count,
    ADD COLUMN IF NOT EXISTS startup_ms_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64) AFTER violations_startup,
    ADD COLUMN IF NOT EXISTS startup_ms_sum Float64 AFTER startup_ms_state,
    ADD COLUMN IF NOT EXISTS startup_ms_count UInt64 AFTER startup_ms_sum,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64) AFTER startup_ms_count,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_sum Float64 AFTER selection_wait_ms_state,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_count UInt64 AFTER selection_wait_ms_sum,
    ADD COLUMN IF NOT EXISTS gpu_reported UInt64 AFTER selection_wait_ms_count,
    ADD COLUMN IF NOT EXISTS gpu_capabilities UInt64 AFTER gpu_reported,
    ADD COLUMN IF NOT EXISTS gpu_metadata UInt64 AFTER gpu_capabilities,
    ADD COLUMN IF NOT EXISTS gpu_ambiguous UInt64 AFTER gpu_metadata,
    ADD COLUMN IF NOT EXISTS gpu_stale UInt64 AFTER gpu_ambiguous,
    ADD COLUMN IF NOT EXISTS gpu_unknown UInt64 AFTER gpu_stale;

ALTER TABLE rollup_day
    ADD COLUMN IF NOT EXISTS violations_startup UInt64 AFTER bandwidth_count,
    ADD COLUMN IF NOT EXISTS startup_ms_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64) AFTER violations_startup,
    ADD COLUMN IF NOT EXISTS startup_ms_sum Float64 AFTER startup_ms_state,
    ADD COLUMN IF NOT EXISTS startup_ms_count UInt64 AFTER startup_ms_sum,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64) AFTER startup_ms_count,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_sum Float64 AFTER selection_wait_ms_state,
    ADD COLUMN IF NOT EXISTS selection_wait_ms_count UInt64 AFTER selection_wait_ms_sum,
    ADD COLUMN IF NOT EXISTS gpu_reported UInt64 AFTER selection_wait_ms_count,
    ADD COLUMN IF NOT EXISTS gpu_capabilities UInt64 AFTER gpu_reported,
    ADD COLUMN IF NOT EXISTS gpu_metadata UInt64 AFTER gpu_capabilities,
    ADD COLUMN IF NOT EXISTS gpu_ambiguous UInt64 AFTER gpu_metadata,
    ADD COLUMN IF NOT EXISTS gpu_stale UInt64 AFTER gpu_ambiguous,
    ADD COLUMN IF NOT EXISTS gpu_unknown UInt64 AFTER gpu_stale;

-- The views' column lists were fixed when they were created: recreate them with the new columns.
DROP VIEW IF EXISTS rollup_hour_current;

CREATE VIEW IF NOT EXISTS rollup_hour_current AS
SELECT *
FROM rollup_hour FINAL
WHERE (bucket_hour, computed_at) IN (SELECT bucket_hour, max(computed_at) FROM rollup_hour GROUP BY bucket_hour);

DROP VIEW IF EXISTS rollup_minute_current;

CREATE VIEW IF NOT EXISTS rollup_minute_current AS
SELECT *
FROM rollup_minute
WHERE (bucket_minute, computed_at) IN (SELECT bucket_minute, max(computed_at) FROM rollup_minute GROUP BY bucket_minute);

DROP VIEW IF EXISTS rollup_day_current;

CREATE VIEW IF NOT EXISTS rollup_day_current AS
SELECT *
FROM rollup_day
WHERE (bucket_day, computed_at) IN (SELECT bucket_day, max(computed_at) FROM rollup_day GROUP BY bucket_day);

-- Recompute under the new definitions every session still in session_touches (the last 7 days):
-- the next refresh starts from the beginning of that log. Older sessions keep their computation
-- until an event touches them again (docs/METRICS.md, "Rollups").
INSERT INTO refresh_state (name, watermark, updated_at) VALUES ('rollups', 0, now64(6));
