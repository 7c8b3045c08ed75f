-- Output FPS status samples (fps > 0) at or above 20 frames/s, per rollup row: the share of
-- samples at 20+ FPS ("sustains 20+ FPS", docs/METRICS.md) is exact over any range, which the
-- t-digest quantile states cannot give. NULL on rows computed before this column existed: the
-- query layer shows no share for a group that holds such a row with samples, until a refresh
-- recomputes its bucket. Placed after fps_sample_sum in every rollup table, so that rollup_hour
-- and rollup_day keep the same columns in the same order (range_rows.sql unites them).
ALTER TABLE rollup_minute ADD COLUMN IF NOT EXISTS fps_samples_20plus Nullable(UInt64) AFTER fps_sample_sum;
ALTER TABLE rollup_hour ADD COLUMN IF NOT EXISTS fps_samples_20plus Nullable(UInt64) AFTER fps_sample_sum;
ALTER TABLE rollup_day ADD COLUMN IF NOT EXISTS fps_samples_20plus Nullable(UInt64) AFTER fps_sample_sum;

-- The views' column lists were fixed when they were created: recreate them to show the column.
DROP VIEW IF EXISTS rollup_hour_current;

CREATE VIEW IF NOT EXISTS rollup_hour_current AS
SELECT *
FROM rollup_hour FINAL
WHERE (bucket_hour, computed_at) IN (SELECT bucket_hour, max(computed_at) FROM rollup_hour GROUP BY bucket_hour);

DROP VIEW IF EXISTS rollup_day_current;

CREATE VIEW IF NOT EXISTS rollup_day_current AS
SELECT *
FROM rollup_day
WHERE (bucket_day, computed_at) IN (SELECT bucket_day, max(computed_at) FROM rollup_day GROUP BY bucket_day);

DROP VIEW IF EXISTS rollup_minute_current;

CREATE VIEW IF NOT EXISTS rollup_minute_current AS
SELECT *
FROM rollup_minute
WHERE (bucket_minute, computed_at) IN (SELECT bucket_minute, max(computed_at) FROM rollup_minute GROUP BY bucket_minute);
