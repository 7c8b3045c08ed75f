-- Two corrections to what fails a segment and what counts as unmet demand (docs/METRICS.md,
-- "Sessions and segments").
--
-- 1. inference_status.last_error and last_error_time belong to the runner, as restart_count does
--    (docs/real-network.md, "Runners and their counters"): a runner keeps its last error, and its
--    time, on the statuses of every later stream until it restarts. An error timed before the
--    stream's start_time on the same status (both the runner's clock, in ms; a value below 1e11
--    is read as seconds) is a previous stream's: it no longer fails this stream's segments. An
--    error without either time still counts. orchestrator_events gives such a status an empty
--    last_error, so the views above it (V041's segment_event_facts) are unchanged.
-- 2. The no-orchestrator error pattern had a word boundary after "orchestrators", which fails
--    before "_": "no_orchestrators_available" was not matched.
--
-- Same columns as V157's orchestrator_events, in the same order.

CREATE OR REPLACE VIEW orchestrator_events AS
SELECT stream_id, request_id, orchestrator_address, orchestrator_url,
       replaceRegexpOne(lower(orchestrator_url), '/+$', '') AS node_url,
       event_time, 'status' AS family, '' AS subtype, pipeline,
       output_fps, state, restart_count, last_restart_time_ms,
       if(coalesce(if(last_error_time_ms < 1e11, last_error_time_ms * 1000, last_error_time_ms)
                       < if(start_time_ms < 1e11, start_time_ms * 1000, start_time_ms),
                   false),
          '', last_error) AS last_error,
       gpu_id, region, is_test_load, envelope_time
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

CREATE OR REPLACE VIEW session_error_facts AS
SELECT stream_id,
       request_id,
       countIf(match(message, '(?i)\\bno[\\s_-]+(available[\\s_-]+)?orch(estrator)?s?([\\s_-]+(is|are|was|were))?([\\s_-]+(available|found|left)\\b|\\s*$|\\s*[.:,;!(])')) > 0
           AS no_orchestrator_error
FROM ai_stream_events FINAL
WHERE subtype = 'error' AND stream_id != ''
GROUP BY stream_id, request_id;

-- The stored sessions this may change, from the retention horizon on (older ones have no events
-- left to recompute from): those with a segment failed by a runner error, and those with an error
-- naming orchestrators. Touched now, so the next refresh recomputes them from their events.
INSERT INTO session_touches (ingested_at, stream_id, request_id)
SELECT now64(3), stream_id, request_id
FROM segment_facts_current
WHERE saw_last_error AND bucket_hour >= (SELECT max(horizon) FROM retention_horizon)
GROUP BY stream_id, request_id
UNION ALL
SELECT now64(3), stream_id, request_id
FROM ai_stream_events FINAL
WHERE subtype = 'error' AND stream_id != '' AND positionCaseInsensitive(message, 'orch') > 0
GROUP BY stream_id, request_id;
