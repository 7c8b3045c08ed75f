-- The capability snapshots each ingest brought, by when it brought them, so that the refresh also
-- recomputes the segments that a snapshot arriving after them resolves: one delivered late, or on a
-- partition that was behind the session's (docs/METRICS.md, "GPU"). Kept 7 days, as
-- session_touches.
CREATE TABLE IF NOT EXISTS snapshot_touches
(
    ingested_at DateTime64(3, 'UTC'),
    event_time  DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY ingested_at
TTL toDateTime(ingested_at) + INTERVAL 7 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS snapshot_touches_mv TO snapshot_touches AS
SELECT ingested_at, event_time
FROM raw_events
WHERE event_type = 'network_capabilities';
