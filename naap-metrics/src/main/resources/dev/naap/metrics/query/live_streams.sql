-- The sessions in flight at {now_ms} (docs/METRICS.md, "Live"), read from the family tables, not
-- the rollups: every (stream, request) with a trace, status or ingest metrics event in the
-- {idle_s} seconds before now and none that ends it (gateway_ingest_stream_closed,
-- gateway_no_orchestrators_available, or an error saying no orchestrator was available, as
-- session_error_facts matches it). Their earlier events are read by key, at most {horizon_s}
-- back. Test load as for sessions: the events' flag, the load tester's registry and the
-- operator's rules on the stream id and gateway. At most {max_rows} rows, newest request first.
-- Which event is the latest follows the envelope timestamps, the gateway's clock for every family
-- (then the events' own times): a runner's statuses carry its host's clock, seconds off.
-- Stream and request ids are published pseudonymised (the first 16 hex digits of their SHA-256):
-- a live stream's id can be the key that plays it.
WITH
fromUnixTimestamp64Milli({now_ms:Int64}, 'UTC') AS now,
(SELECT (groupArrayIf(like_pattern, kind = 'stream_id'), groupArrayIf(like_pattern, kind = 'gateway'))
 FROM current_test_load_rules) AS rules,
recent AS
(
    SELECT DISTINCT stream_id, request_id FROM
    (
        SELECT stream_id, request_id FROM stream_trace_events
        WHERE event_time > now - toIntervalSecond({idle_s:Int64}) AND event_time <= now
        UNION ALL
        SELECT stream_id, request_id FROM ai_stream_status_events
        WHERE event_time > now - toIntervalSecond({idle_s:Int64}) AND event_time <= now
        UNION ALL
        SELECT stream_id, request_id FROM stream_ingest_metrics_events
        WHERE event_time > now - toIntervalSecond({idle_s:Int64}) AND event_time <= now
    )
    WHERE stream_id != ''
),
traces AS
(
    SELECT stream_id, request_id,
           any(gateway) AS t_gateway,
           anyIf(pipeline, pipeline != '') AS t_pipeline,
           argMaxIf(orchestrator_address, (envelope_time, event_time), orchestrator_address != '')
               AS t_orchestrator,
           argMaxIf(orchestrator_url, (envelope_time, event_time), orchestrator_url != '') AS t_url,
           minIfOrNull(event_time, subtype = 'gateway_receive_stream_request') AS requested_at,
           minIfOrNull(event_time,
                       subtype = 'gateway_receive_first_processed_segment') AS first_frame_at,
           countIf(subtype = 'orchestrator_swap') AS swaps,
           countIf(subtype IN ('gateway_ingest_stream_closed',
                               'gateway_no_orchestrators_available')) AS ends,
           max(event_time) AS t_last,
           max(envelope_time) AS t_arrived,
           max(is_test_load) AS t_test
    FROM stream_trace_events FINAL
    WHERE (stream_id, request_id) IN (SELECT stream_id, request_id FROM recent)
      AND event_time > now - toIntervalSecond({horizon_s:Int64}) AND event_time <= now
    GROUP BY stream_id, request_id
),
statuses AS
(
    SELECT stream_id, request_id,
           any(gateway) AS s_gateway,
           argMax(pipeline, (envelope_time, event_time)) AS s_pipeline,
           argMax(orchestrator_address, (envelope_time, event_time)) AS s_orchestrator,
           argMax(orchestrator_url, (envelope_time, event_time)) AS s_url,
           argMax(gpu_id, (envelope_time, event_time)) AS s_gpu,
           argMax(state, (envelope_time, event_time)) AS s_state,
           argMax(output_fps, (envelope_time, event_time)) AS s_fps,
           max(event_time) AS s_last,
           max(envelope_time) AS s_arrived,
           max(is_test_load) AS s_test
    FROM ai_stream_status_events
    WHERE (stream_id, request_id) IN (SELECT stream_id, request_id FROM recent)
      AND event_time > now - toIntervalSecond({horizon_s:Int64}) AND event_time <= now
    GROUP BY stream_id, request_id
),
failures AS
(
    SELECT stream_id, request_id FROM session_error_facts
    WHERE (stream_id, request_id) IN (SELECT stream_id, request_id FROM recent)
      AND no_orchestrator_error
)
SELECT lower(hex(substring(SHA256(raw_stream_id), 1, 8))) AS stream_id,
       lower(hex(substring(SHA256(raw_request_id), 1, 8))) AS request_id,
       pipeline, gateway, orchestrator_address, orchestrator_url, gpu_id, state,
       output_fps, requested_at, seconds_since_request, startup_ms, swaps, last_event_at,
       is_test_load
FROM
(
    SELECT r.stream_id AS raw_stream_id, r.request_id AS raw_request_id,
           coalesce(nullIf(s.s_pipeline, ''), nullIf(t.t_pipeline, ''), '') AS pipeline,
           coalesce(nullIf(t.t_gateway, ''), nullIf(s.s_gateway, ''), '') AS gateway,
           if(s.s_arrived >= t.t_arrived AND s.s_orchestrator != '', s.s_orchestrator,
              ifNull(t.t_orchestrator, '')) AS orchestrator_address,
           if(s.s_arrived >= t.t_arrived AND s.s_url != '', s.s_url,
              ifNull(t.t_url, '')) AS orchestrator_url,
           ifNull(s.s_gpu, '') AS gpu_id,
           multiIf(s.s_state != '', s.s_state,
                   t.first_frame_at IS NOT NULL, 'PROCESSING', 'STARTING') AS state,
           s.s_fps AS output_fps,
           toInt64(toUnixTimestamp(t.requested_at)) AS requested_at,
           if(t.requested_at IS NULL, NULL,
              dateDiff('millisecond', t.requested_at, now) / 1000) AS seconds_since_request,
           if(t.requested_at IS NULL OR t.first_frame_at IS NULL, NULL,
              dateDiff('millisecond', t.requested_at, t.first_frame_at)) AS startup_ms,
           ifNull(t.swaps, 0) AS swaps,
           toInt64(toUnixTimestamp(greatest(ifNull(t.t_last, toDateTime64(0, 3, 'UTC')),
                                            ifNull(s.s_last, toDateTime64(0, 3, 'UTC')))))
               AS last_event_at,
           greatest(ifNull(t.t_test, false), ifNull(s.s_test, false))
               OR r.stream_id IN (SELECT stream_id FROM test_load_streams)
               OR arrayExists(p -> r.stream_id LIKE p, rules.1)
               OR arrayExists(p -> gateway LIKE p, rules.2) AS is_test_load,
           ifNull(t.ends, 0) AS ends
    FROM recent AS r
    LEFT JOIN traces AS t ON t.stream_id = r.stream_id AND t.request_id = r.request_id
    LEFT JOIN statuses AS s ON s.stream_id = r.stream_id AND s.request_id = r.request_id
    WHERE (r.stream_id, r.request_id) NOT IN (SELECT stream_id, request_id FROM failures)
    SETTINGS join_use_nulls = 1
)
WHERE ends = 0 AND (NOT is_test_load OR {include_test_load:Bool}) ${filters}
ORDER BY requested_at DESC NULLS LAST, raw_stream_id, raw_request_id
LIMIT {max_rows:UInt64}
