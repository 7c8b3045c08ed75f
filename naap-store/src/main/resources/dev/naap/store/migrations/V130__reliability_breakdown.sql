-- The reliability breakdown (docs/METRICS.md, "Reliability breakdown"; issue 18): startups
-- attempted, swaps, sessions lost to "no orchestrator" after a swap, and failures the
-- orchestrator is excused for (the client went away; no capacity left on the network).

-- Per session: an ai_stream_events error saying the client went away (the messages the twin
-- excuses: "whip disconnected", "mediamtx ingest disconnected", "missing video", "ice connection
-- state failed", "user disconnected"), any case and spacing.
CREATE VIEW IF NOT EXISTS session_client_gone AS
SELECT stream_id,
       request_id,
       countIf(match(message, '(?i)\\b(whip|mediamtx[\\s_-]+ingest|user)[\\s_-]+disconnected\\b|\\bmissing[\\s_-]+video\\b|\\bice[\\s_-]+connection[\\s_-]+state[\\s_-]+failed\\b')) > 0
           AS client_gone
FROM ai_stream_events FINAL
WHERE subtype = 'error' AND stream_id != ''
GROUP BY stream_id, request_id;

-- Filled by the refresh (recompute_segments.sql, by position, before computed_at): whether the
-- session saw such an error, and whether the row is the session's last segment.
ALTER TABLE segment_facts
    ADD COLUMN IF NOT EXISTS client_gone Bool AFTER violates_startup,
    ADD COLUMN IF NOT EXISTS last_in_session Bool AFTER client_gone;

DROP VIEW IF EXISTS segment_facts_current;

CREATE VIEW IF NOT EXISTS segment_facts_current AS
SELECT *
FROM segment_facts FINAL
WHERE (stream_id, request_id, computed_at) IN
      (SELECT stream_id, request_id, max(computed_at) FROM segment_facts GROUP BY stream_id, request_id);

-- Per bucket, after gpu_unknown in all three tables (range_rows.sql unites hours and days).
ALTER TABLE rollup_minute
    ADD COLUMN IF NOT EXISTS ingest_segments UInt64 AFTER gpu_unknown,
    ADD COLUMN IF NOT EXISTS swapped_segments UInt64 AFTER ingest_segments,
    ADD COLUMN IF NOT EXISTS lost_after_swap UInt64 AFTER swapped_segments,
    ADD COLUMN IF NOT EXISTS failed_client_gone UInt64 AFTER lost_after_swap,
    ADD COLUMN IF NOT EXISTS failed_no_capacity UInt64 AFTER failed_client_gone;

ALTER TABLE rollup_hour
    ADD COLUMN IF NOT EXISTS ingest_segments UInt64 AFTER gpu_unknown,
    ADD COLUMN IF NOT EXISTS swapped_segments UInt64 AFTER ingest_segments,
    ADD COLUMN IF NOT EXISTS lost_after_swap UInt64 AFTER swapped_segments,
    ADD COLUMN IF NOT EXISTS failed_client_gone UInt64 AFTER lost_after_swap,
    ADD COLUMN IF NOT EXISTS failed_no_capacity UInt64 AFTER failed_client_gone;

ALTER TABLE rollup_day
    ADD COLUMN IF NOT EXISTS ingest_segments UInt64 AFTER gpu_unknown,
    ADD COLUMN IF NOT EXISTS swapped_segments UInt64 AFTER ingest_segments,
    ADD COLUMN IF NOT EXISTS lost_after_swap UInt64 AFTER swapped_segments,
    ADD COLUMN IF NOT EXISTS failed_client_gone UInt64 AFTER lost_after_swap,
    ADD COLUMN IF NOT EXISTS failed_no_capacity UInt64 AFTER failed_client_gone;

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

-- Recompute every session still in session_touches (the last 7 days) with the new columns; older
-- hours show zeros for them until an event touches their sessions again (docs/METRICS.md).
INSERT INTO refresh_state (name, watermark, updated_at) VALUES ('rollups', 0, now64(6));
