-- A refresh whose cost follows what changed (issue 15), for the rollups: they recompute whole
-- hours and minutes, so the segments of an hour must be found without reading every segment.
--
-- segment_facts was sorted by session and kept every computed version of a session, the current
-- one found by a max(computed_at) per session over the whole table. It is now sorted by the hour
-- a segment counts in, and a version replaces the one before it row by row:
--
-- - ReplacingMergeTree(computed_at, is_deleted): under FINAL each (hour, session, segment) shows
--   its newest row, and none when that row is a deletion;
-- - the refresh writes a session's new rows, then a deletion row (is_deleted = 1, same key, same
--   version) for every key of its earlier versions that the new one no longer has: the hour it
--   left, a segment that is gone;
-- - so `segment_facts FINAL WHERE bucket_hour IN (…)` is exactly the current segments of those
--   hours, read from those hours' granules alone;
-- - segment_facts_keys, a narrow copy of every row's key and span sorted by session (a view keeps
--   it), finds a session's keys for the refresh's look-ups by session (a projection would do the
--   same, but the engine declined to use it for these queries);
-- - the minmax indexes on session_start and session_end find the sessions that overlap a minute
--   (the demand rollups) without reading other hours.
--
-- Partitioned by month like the rollups. Rebuilt from the current rows of the old table in one
-- atomic CREATE OR REPLACE (as V100); EXCEPT (not STRICT) lets it run again after success.
CREATE OR REPLACE TABLE segment_facts
ENGINE = ReplacingMergeTree(computed_at, is_deleted)
PARTITION BY toYYYYMM(bucket_hour)
ORDER BY (bucket_hour, stream_id, request_id, segment_index)
AS SELECT * EXCEPT (is_deleted), toUInt8(0) AS is_deleted
FROM segment_facts FINAL
WHERE (stream_id, request_id, computed_at) IN
      (SELECT stream_id, request_id, max(computed_at) FROM segment_facts GROUP BY stream_id, request_id);

ALTER TABLE segment_facts
    ADD INDEX IF NOT EXISTS session_start_minmax session_start TYPE minmax GRANULARITY 1,
    ADD INDEX IF NOT EXISTS session_end_minmax session_end TYPE minmax GRANULARITY 1;

ALTER TABLE segment_facts MATERIALIZE INDEX session_start_minmax SETTINGS mutations_sync = 1;

ALTER TABLE segment_facts MATERIALIZE INDEX session_end_minmax SETTINGS mutations_sync = 1;

CREATE TABLE IF NOT EXISTS segment_facts_keys
(
    stream_id     String,
    request_id    String,
    bucket_hour   DateTime('UTC'),
    segment_index UInt64,
    session_start DateTime64(3, 'UTC'),
    session_end   DateTime64(3, 'UTC'),
    computed_at   DateTime64(6, 'UTC'),
    is_deleted    UInt8
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(bucket_hour)
ORDER BY (stream_id, request_id);

-- Filled with the rows already there, then by the view on every insert (a repeated row is
-- harmless: readers take the newest version of each key).
INSERT INTO segment_facts_keys
SELECT stream_id, request_id, bucket_hour, segment_index, session_start, session_end, computed_at, is_deleted
FROM segment_facts;

CREATE MATERIALIZED VIEW IF NOT EXISTS segment_facts_keys_mv TO segment_facts_keys AS
SELECT stream_id, request_id, bucket_hour, segment_index, session_start, session_end, computed_at, is_deleted
FROM segment_facts;

-- The current segments: the newest row of each key, deletions left out. Same columns as before.
CREATE OR REPLACE VIEW segment_facts_current AS
SELECT * EXCEPT (is_deleted)
FROM segment_facts FINAL;
