-- Orchestrator events go to ingest attempts in the order the gateway stamped them (docs/METRICS.md,
-- "Sessions and segments"). V041 placed each event by its own time: a runner's status and runner
-- traces carry the orchestrator host's clock, which can run seconds ahead of the gateway's
-- (docs/EVENTS.md). A status the gateway received before a swap back to the same orchestrator
-- then sorted after the next attempt's first ingest trace, and counted there: the attempt it came
-- in lost its reported GPU and its samples. The envelope timestamp is the gateway's own for every
-- family, so the attempts now follow it, and the events' own times only among equal envelopes.
-- Same columns as before; orchestrator_events gains envelope_time at the end.

CREATE OR REPLACE VIEW orchestrator_events AS
SELECT stream_id, request_id, orchestrator_address, orchestrator_url,
       replaceRegexpOne(lower(orchestrator_url), '/+$', '') AS node_url,
       event_time, 'status' AS family, '' AS subtype, pipeline,
       output_fps, state, restart_count, last_restart_time_ms, last_error, gpu_id, region,
       is_test_load, envelope_time
FROM ai_stream_status_events FINAL
WHERE orchestrator_address != ''
UNION ALL
SELECT stream_id, request_id, orchestrator_address, orchestrator_url,
       replaceRegexpOne(lower(orchestrator_url), '/+$', ''),
       event_time, 'trace', subtype, pipeline,
       CAST(NULL AS Nullable(Float64)), '', CAST(NULL AS Nullable(Int64)),
       CAST(NULL AS Nullable(Int64)), '', '', '', is_test_load, envelope_time
FROM stream_trace_events FINAL
WHERE orchestrator_address != ''
UNION ALL
SELECT stream_id, request_id, orchestrator_address, orchestrator_url,
       replaceRegexpOne(lower(orchestrator_url), '/+$', ''),
       event_time, 'event', subtype, pipeline,
       CAST(NULL AS Nullable(Float64)), '', CAST(NULL AS Nullable(Int64)),
       CAST(NULL AS Nullable(Int64)), '', '', '', is_test_load, envelope_time
FROM ai_stream_events FINAL
WHERE orchestrator_address != '';

-- Every orchestrator event with the attempt it belongs to: the latest ingest attempt
-- (gateway_send_first_ingest_segment) on its orchestrator (signer address) that the gateway
-- stamped at or before it; an event before the first attempt belongs to the first. An
-- orchestrator with no attempt in the session keeps attempt_time 0. An attempt is still known by
-- its ingest trace's own time (the gateway's clock, as its envelope).
CREATE OR REPLACE VIEW orchestrator_events_by_attempt AS
SELECT stream_id, request_id, orchestrator_address, orchestrator_url, node_url, event_time,
       family, subtype, pipeline, output_fps, state, restart_count, last_restart_time_ms,
       last_error, gpu_id, region, is_test_load,
       coalesce(max(ingest_time) OVER running, min(ingest_time) OVER whole,
                toDateTime64(0, 3, 'UTC')) AS attempt_time
FROM
(
    SELECT *, if(family = 'trace' AND subtype = 'gateway_send_first_ingest_segment',
                 event_time, NULL) AS ingest_time
    FROM orchestrator_events
)
WINDOW running AS (PARTITION BY stream_id, request_id, orchestrator_address
                   ORDER BY envelope_time, event_time
                   RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       whole AS (PARTITION BY stream_id, request_id, orchestrator_address);

-- The stored sessions this may change: those with several attempts on one orchestrator, from the
-- retention horizon on (older ones have no events left to recompute from). Touched now, so the
-- next refresh recomputes them from their events.
INSERT INTO session_touches (ingested_at, stream_id, request_id)
SELECT now64(3), stream_id, request_id
FROM segment_facts_current
WHERE segment_index >= 1 AND bucket_hour >= (SELECT max(horizon) FROM retention_horizon)
GROUP BY stream_id, request_id
HAVING count() > uniqExact(orchestrator_address);
