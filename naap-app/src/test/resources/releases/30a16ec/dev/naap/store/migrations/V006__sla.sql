-- SLA compliance per segment (docs/METRICS.md, "SLA compliance").
--
-- Targets are configurable per pipeline; the row with pipeline '' holds the defaults that apply to
-- every pipeline without its own row. Rows are replaced by pipeline (the newest updated_at wins).

CREATE TABLE IF NOT EXISTS sla_targets
(
    pipeline        LowCardinality(String),
    ptff_ms         UInt32,
    fps             Float64,
    jitter          Float64,
    objective       Float64,
    updated_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY pipeline;

-- The defaults: PTFF 5 000 ms, FPS 15, jitter coefficient 0.25, objective 99 %. Inserted with the
-- epoch as updated_at, so any row an operator inserts later wins; a second insert by a concurrent
-- start collapses into the first.
INSERT INTO sla_targets (pipeline, ptff_ms, fps, jitter, objective, updated_at)
VALUES ('', 5000, 15, 0.25, 0.99, 0);

-- One row per segment (segment_index >= 1) with the targets that apply to it and each violation.
-- A null PTFF or FPS cannot show compliance and violates; a null jitter coefficient (fewer than 3
-- samples) does not.
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
       s.fps_mean AS fps_mean,
       s.jitter_coefficient AS jitter_coefficient,
       if(t.pipeline = s.pipeline, t.ptff_ms, d.ptff_ms) AS target_ptff_ms,
       if(t.pipeline = s.pipeline, t.fps, d.fps) AS target_fps,
       if(t.pipeline = s.pipeline, t.jitter, d.jitter) AS target_jitter,
       if(t.pipeline = s.pipeline, t.objective, d.objective) AS objective,
       s.failed AS violates_failure,
       toBool(s.ptff_ms IS NULL OR s.ptff_ms > target_ptff_ms) AS violates_ptff,
       toBool(s.fps_mean IS NULL OR s.fps_mean < target_fps) AS violates_fps,
       toBool(s.jitter_coefficient IS NOT NULL AND s.jitter_coefficient > target_jitter) AS violates_jitter,
       toBool(NOT (violates_failure OR violates_ptff OR violates_fps OR violates_jitter)) AS compliant
FROM sessions AS s
LEFT JOIN targets AS t ON t.pipeline = s.pipeline
CROSS JOIN defaults AS d
WHERE s.segment_index >= 1
SETTINGS join_use_nulls = 0; -- fixed here, so views that read this one may set it otherwise
