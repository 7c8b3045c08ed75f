-- Output FPS quantiles over status *samples* (not over per-segment means): p5, p50, p95 of every
-- inference_status.fps > 0 of the segments in the group, as a t-digest state that merges over hours.
ALTER TABLE rollup_hour
    ADD COLUMN IF NOT EXISTS fps_quantiles_state AggregateFunction(quantilesTDigest(0.05, 0.5, 0.95), Float64)
    AFTER fps_sample_sum;

-- The view's column list was fixed when it was created: recreate it to show the new column.
DROP VIEW IF EXISTS rollup_hour_current;

CREATE VIEW IF NOT EXISTS rollup_hour_current AS
SELECT *
FROM rollup_hour FINAL
WHERE (bucket_hour, computed_at) IN (SELECT bucket_hour, max(computed_at) FROM rollup_hour GROUP BY bucket_hour);
