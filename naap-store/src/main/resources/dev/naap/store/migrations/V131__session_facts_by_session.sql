-- A refresh whose cost follows what changed (issue 15): every scan of the session views must be
-- able to seek to the touched sessions. session_facts (V041) read raw_events, which is sorted by
-- event id, so each refresh read every event ever stored. It now reads the four family tables
-- that session_touches covers, each sorted by (stream_id, request_id): a key filter on a view
-- above reaches their primary keys. Their union holds the same events as raw_events of those
-- types (each family's view copies every event of its type); stream_ingest_metrics carries no
-- pipeline and no subtype, as in raw_events. Same columns, same order, so `sessions` follows.
CREATE OR REPLACE VIEW session_facts AS
SELECT stream_id,
       request_id,
       minIf(event_time, event_subtype = 'gateway_receive_stream_request')          AS request_time_raw,
       countIf(event_subtype = 'gateway_receive_stream_request') > 0                AS saw_request,
       countIf(event_subtype = 'gateway_no_orchestrators_available') > 0            AS no_orchestrator,
       countIf(event_subtype = 'gateway_receive_first_processed_segment') > 0       AS reached_first_frame,
       min(event_time)                                                              AS first_event_time,
       max(event_time)                                                              AS last_event_time,
       anyIf(gateway, gateway != '')                                                AS gateway_raw,
       anyIf(pipeline, pipeline != '')                                              AS session_pipeline,
       max(is_test_load) OR stream_id IN (SELECT stream_id FROM test_load_streams)
           OR arrayExists(p -> stream_id LIKE p,
                          (SELECT groupArray(like_pattern) FROM current_test_load_rules WHERE kind = 'stream_id'))
           OR arrayExists(p -> gateway_raw LIKE p,
                          (SELECT groupArray(like_pattern) FROM current_test_load_rules WHERE kind = 'gateway'))
                                                                                    AS session_test_load
FROM
(
    SELECT stream_id, request_id, event_time, toString(subtype) AS event_subtype, toString(gateway) AS gateway,
           toString(pipeline) AS pipeline, is_test_load
    FROM stream_trace_events FINAL
    UNION ALL
    SELECT stream_id, request_id, event_time, 'status', toString(gateway), toString(pipeline), is_test_load
    FROM ai_stream_status_events FINAL
    UNION ALL
    SELECT stream_id, request_id, event_time, toString(subtype), toString(gateway), toString(pipeline), is_test_load
    FROM ai_stream_events FINAL
    UNION ALL
    SELECT stream_id, request_id, event_time, 'stream_ingest_metrics', toString(gateway), '', is_test_load
    FROM stream_ingest_metrics_events FINAL
)
WHERE stream_id != ''
GROUP BY stream_id, request_id;
