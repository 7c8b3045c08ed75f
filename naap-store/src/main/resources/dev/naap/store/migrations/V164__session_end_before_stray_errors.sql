-- A closed session ends at its last event other than the errors a gateway sends after the close
-- (docs/METRICS.md, "Network demand"): "Error publishing … connection reset by peer" and "trickle
-- subscribe error reading …" come up to seconds after gateway_ingest_stream_closed, with no
-- orchestrator_info, and lengthened the session's time, its stream-minutes and the minutes it is
-- concurrent in. Such an error is an ai_stream_events `error` with no orchestrator address. Every
-- one at or before a close is at or before that close, a kept event, so the session's end is its
-- last event that is not such an error, whenever it has a close; without one, its last event.
-- Same columns, same order, so `sessions` follows.
CREATE OR REPLACE VIEW session_facts AS
SELECT stream_id,
       request_id,
       minIf(event_time, event_subtype = 'gateway_receive_stream_request') AS request_time_raw,
       countIf(event_subtype = 'gateway_receive_stream_request') > 0 AS saw_request,
       countIf(event_subtype = 'gateway_no_orchestrators_available') > 0 AS no_orchestrator,
       countIf(event_subtype = 'gateway_receive_first_processed_segment') > 0
           AS reached_first_frame,
       min(event_time) AS first_event_time,
       if(countIf(event_subtype = 'gateway_ingest_stream_closed') > 0,
          maxIf(event_time, NOT unowned_error),
          max(event_time)) AS last_event_time,
       anyIf(gateway, gateway != '') AS gateway_raw,
       anyIf(pipeline, pipeline != '') AS session_pipeline,
       max(is_test_load) OR stream_id IN (SELECT stream_id FROM test_load_streams)
           OR arrayExists(p -> stream_id LIKE p,
                          (SELECT groupArray(like_pattern) FROM current_test_load_rules
                           WHERE kind = 'stream_id'))
           OR arrayExists(p -> gateway_raw LIKE p,
                          (SELECT groupArray(like_pattern) FROM current_test_load_rules
                           WHERE kind = 'gateway')) AS session_test_load
FROM
(
    SELECT stream_id, request_id, event_time, toString(subtype) AS event_subtype,
           toString(gateway) AS gateway, toString(pipeline) AS pipeline, is_test_load,
           false AS unowned_error
    FROM stream_trace_events FINAL
    UNION ALL
    SELECT stream_id, request_id, event_time, 'status', toString(gateway), toString(pipeline),
           is_test_load, false
    FROM ai_stream_status_events FINAL
    UNION ALL
    SELECT stream_id, request_id, event_time, toString(subtype), toString(gateway),
           toString(pipeline), is_test_load, subtype = 'error' AND orchestrator_address = ''
    FROM ai_stream_events FINAL
    UNION ALL
    SELECT stream_id, request_id, event_time, 'stream_ingest_metrics', toString(gateway), '',
           is_test_load, false
    FROM stream_ingest_metrics_events FINAL
)
WHERE stream_id != ''
GROUP BY stream_id, request_id;

-- The stored sessions this may shorten: a close, then such an error after it, from the retention
-- horizon on (older ones have no events left to recompute from). Touched now, so the next refresh
-- recomputes them from their events, and every minute and hour they counted in before.
INSERT INTO session_touches (ingested_at, stream_id, request_id)
SELECT now64(3), e.stream_id, e.request_id
FROM
(
    SELECT stream_id, request_id, max(event_time) AS last_error_time
    FROM ai_stream_events FINAL
    WHERE subtype = 'error' AND orchestrator_address = '' AND stream_id != ''
      AND event_time >= (SELECT max(horizon) FROM retention_horizon)
    GROUP BY stream_id, request_id
) AS e
INNER JOIN
(
    SELECT stream_id, request_id, min(event_time) AS close_time
    FROM stream_trace_events FINAL
    WHERE subtype = 'gateway_ingest_stream_closed' AND stream_id != ''
    GROUP BY stream_id, request_id
) AS c USING (stream_id, request_id)
WHERE e.last_error_time > c.close_time;
