-- Sessions and segments: the per-stream facts every metric is built from (docs/METRICS.md).
--
-- A session is one stream request, keyed by (stream_id, request_id). A segment is the part of a
-- session served by one orchestrator (lower-cased signer address). These are views over the family
-- tables read with FINAL, so they are exact whatever the order, lateness or repetition of events:
-- every query recomputes from the deduplicated events.

-- Per segment, from the runner's status samples.
CREATE VIEW IF NOT EXISTS segment_status_facts AS
SELECT stream_id,
       request_id,
       orchestrator_address,
       anyIf(orchestrator_url, orchestrator_url != '')                   AS status_orchestrator_url,
       anyIf(pipeline, pipeline != '')                                   AS status_pipeline,
       min(event_time)                                                   AS first_status_time,
       max(event_time)                                                   AS last_status_time,
       countIf(output_fps > 0)                                           AS fps_samples,
       avgIf(output_fps, output_fps > 0)                                 AS fps_mean_raw,
       stddevPopIf(output_fps, output_fps > 0)                           AS fps_stddev_raw,
       countIf(state = 'ERROR') > 0                                      AS saw_error_state,
       max(coalesce(restart_count, 0)) > 0                               AS saw_restart_count,
       countIf(last_error != '') > 0                                     AS saw_last_error,
       argMaxIf(gpu_id, event_time, gpu_id != '')                        AS reported_gpu_id,
       argMaxIf(region, event_time, region != '')                        AS reported_region,
       max(is_test_load)                                                 AS status_test_load
FROM ai_stream_status_events FINAL
WHERE orchestrator_address != ''
GROUP BY stream_id, request_id, orchestrator_address;

-- Per segment, from the gateway's traces that name an orchestrator. An orchestrator_swap carries
-- the orchestrator being left, so it marks the end of that segment.
CREATE VIEW IF NOT EXISTS segment_trace_facts AS
SELECT stream_id,
       request_id,
       orchestrator_address,
       anyIf(orchestrator_url, orchestrator_url != '')                        AS trace_orchestrator_url,
       anyIf(pipeline, pipeline != '')                                        AS trace_pipeline,
       min(event_time)                                                        AS first_trace_time,
       max(event_time)                                                        AS last_trace_time,
       minIfOrNull(event_time, subtype = 'gateway_send_first_ingest_segment') AS first_ingest_time,
       countIf(subtype = 'gateway_send_first_ingest_segment') > 0             AS sent_ingest,
       minIfOrNull(event_time, subtype = 'gateway_receive_first_processed_segment')
                                                                              AS first_processed_time,
       countIf(subtype = 'gateway_receive_first_processed_segment') > 0       AS received_output,
       countIf(subtype = 'orchestrator_swap') > 0                             AS swapped_out,
       max(is_test_load)                                                      AS trace_test_load
FROM stream_trace_events FINAL
WHERE orchestrator_address != ''
GROUP BY stream_id, request_id, orchestrator_address;

-- Per segment, from relayed runner and gateway events (restarts).
CREATE VIEW IF NOT EXISTS segment_event_facts AS
SELECT stream_id,
       request_id,
       orchestrator_address,
       anyIf(pipeline, pipeline != '')        AS event_pipeline,
       min(event_time)                        AS first_event_time,
       max(event_time)                        AS last_event_time,
       countIf(subtype = 'restart') > 0       AS saw_restart_event,
       max(is_test_load)                      AS event_test_load
FROM ai_stream_events FINAL
WHERE orchestrator_address != ''
GROUP BY stream_id, request_id, orchestrator_address;

-- Per session, from everything that carries its ids.
CREATE VIEW IF NOT EXISTS session_facts AS
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
       max(is_test_load)                                                            AS session_test_load
FROM raw_events FINAL
WHERE event_type IN ('stream_trace', 'ai_stream_status', 'ai_stream_events', 'stream_ingest_metrics')
  AND stream_id != ''
GROUP BY stream_id, request_id;

-- Client<->gateway bandwidth per session from the WebRTC ingest counters. The counters are
-- cumulative; a decrease is a reset, after which the new value counts from zero.
CREATE VIEW IF NOT EXISTS session_bandwidth AS
SELECT stream_id,
       request_id,
       count()                                                       AS ingest_samples,
       min(event_time)                                               AS first_sample_time,
       max(event_time)                                               AS last_sample_time,
       sum(up_delta)                                                 AS up_delta_bytes,
       sum(down_delta)                                               AS down_delta_bytes,
       argMin(bytes_received, event_time) + sum(up_delta)            AS up_bytes,
       argMin(bytes_sent, event_time) + sum(down_delta)              AS down_bytes,
       avg(video_jitter_ms)                                          AS ingest_jitter_ms
FROM
(
    SELECT stream_id, request_id, event_time, bytes_received, bytes_sent, video_jitter_ms,
           lagInFrame(bytes_received) OVER w AS prev_up,
           lagInFrame(bytes_sent) OVER w AS prev_down,
           row_number() OVER w AS n,
           if(n = 1, 0, if(bytes_received >= prev_up, bytes_received - prev_up, bytes_received)) AS up_delta,
           if(n = 1, 0, if(bytes_sent >= prev_down, bytes_sent - prev_down, bytes_sent)) AS down_delta
    FROM stream_ingest_metrics_events FINAL
    WHERE bytes_received IS NOT NULL AND bytes_sent IS NOT NULL
    WINDOW w AS (PARTITION BY stream_id, request_id ORDER BY event_time, event_id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
GROUP BY stream_id, request_id;

-- One row per (network_capabilities snapshot, orchestrator, model): the GPUs it advertised.
CREATE VIEW IF NOT EXISTS gpu_snapshots AS
SELECT event_id,
       event_time,
       local_address,
       model_id,
       groupUniqArray(gpu_id)      AS gpu_ids,
       any(gpu_name)               AS gpu_name,
       any(memory_total_bytes)     AS gpu_memory_bytes
FROM network_capability_gpus FINAL
WHERE gpu_id != ''
GROUP BY event_id, event_time, local_address, model_id;

-- The latest name and memory known for each GPU id.
CREATE VIEW IF NOT EXISTS gpu_catalog AS
SELECT gpu_id,
       argMax(gpu_name, event_time)            AS gpu_name,
       argMax(memory_total_bytes, event_time)  AS gpu_memory_bytes
FROM network_capability_gpus FINAL
WHERE gpu_id != ''
GROUP BY gpu_id;

-- Every segment with its facts, in the order its orchestrator took over the session.
CREATE VIEW IF NOT EXISTS segments AS
WITH keys AS
(
    SELECT stream_id, request_id, orchestrator_address FROM segment_status_facts
    UNION DISTINCT
    SELECT stream_id, request_id, orchestrator_address FROM segment_trace_facts
    UNION DISTINCT
    SELECT stream_id, request_id, orchestrator_address FROM segment_event_facts
),
joined AS
(
    SELECT k.stream_id AS stream_id, k.request_id AS request_id,
           k.orchestrator_address AS orchestrator_address,
           coalesce(nullIf(st.status_orchestrator_url, ''), nullIf(tr.trace_orchestrator_url, ''), '')
               AS orchestrator_url,
           coalesce(nullIf(st.status_pipeline, ''), nullIf(tr.trace_pipeline, ''),
                    nullIf(ev.event_pipeline, ''), '') AS segment_pipeline,
           arrayMin(arrayFilter(t -> isNotNull(t),
               [tr.first_ingest_time, tr.first_trace_time, st.first_status_time, ev.first_event_time]))
               AS segment_start,
           arrayMax(arrayFilter(t -> isNotNull(t),
               [tr.last_trace_time, st.last_status_time, ev.last_event_time])) AS segment_end,
           tr.first_ingest_time AS first_ingest_time,
           tr.first_processed_time AS first_processed_time,
           coalesce(tr.sent_ingest, false) AS sent_ingest,
           coalesce(tr.received_output, false) AS received_output,
           coalesce(tr.swapped_out, false) AS swapped_out,
           coalesce(st.fps_samples, 0) AS fps_samples,
           if(coalesce(st.fps_samples, 0) > 0, st.fps_mean_raw, NULL) AS fps_mean,
           if(coalesce(st.fps_samples, 0) >= 3, st.fps_stddev_raw / st.fps_mean_raw, NULL)
               AS jitter_coefficient,
           coalesce(st.saw_error_state, false) AS saw_error_state,
           coalesce(st.saw_restart_count, false) OR coalesce(ev.saw_restart_event, false) AS saw_restart,
           coalesce(st.saw_last_error, false) AS saw_last_error,
           coalesce(st.reported_gpu_id, '') AS reported_gpu_id,
           coalesce(st.reported_region, '') AS reported_region,
           coalesce(st.status_test_load, false) OR coalesce(tr.trace_test_load, false)
               OR coalesce(ev.event_test_load, false) AS segment_test_load
    FROM keys AS k
    LEFT JOIN segment_status_facts AS st USING (stream_id, request_id, orchestrator_address)
    LEFT JOIN segment_trace_facts AS tr USING (stream_id, request_id, orchestrator_address)
    LEFT JOIN segment_event_facts AS ev USING (stream_id, request_id, orchestrator_address)
)
SELECT *,
       row_number() OVER (PARTITION BY stream_id, request_id ORDER BY segment_start, orchestrator_address)
           AS segment_index
FROM joined
SETTINGS join_use_nulls = 1;

-- The GPU of each segment: the one its status reported, else the one network_capabilities
-- advertised for its orchestrator and model in the snapshot valid at the segment's start (the
-- latest at or before it; when the first snapshot came later, the first one within the segment).
-- Exactly one candidate resolves; several leave it unresolved as 'ambiguous', never a guess.
CREATE VIEW IF NOT EXISTS segment_gpus AS
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address,
       if(before.event_id != '', before.gpu_ids,
          if(after.event_id != '' AND after.event_time <= g.segment_end, after.gpu_ids, [])) AS candidates,
       multiIf(g.reported_gpu_id != '', g.reported_gpu_id,
               length(candidates) = 1, candidates[1], '') AS gpu_id,
       multiIf(g.reported_gpu_id != '', 'reported',
               length(candidates) = 1, 'capabilities',
               length(candidates) > 1, 'ambiguous', 'unknown') AS gpu_resolution
FROM (SELECT stream_id, request_id, orchestrator_address, segment_pipeline, reported_gpu_id,
             assumeNotNull(segment_start) AS segment_start, assumeNotNull(segment_end) AS segment_end
      FROM segments) AS g
ASOF LEFT JOIN gpu_snapshots AS before
    ON before.local_address = g.orchestrator_address AND before.model_id = g.segment_pipeline
       AND before.event_time <= g.segment_start
ASOF LEFT JOIN gpu_snapshots AS after
    ON after.local_address = g.orchestrator_address AND after.model_id = g.segment_pipeline
       AND after.event_time >= g.segment_start;

-- The public view: one row per session and segment with every per-segment fact of
-- docs/METRICS.md. A session that never reached an orchestrator has one row with segment_index 0.
CREATE VIEW IF NOT EXISTS sessions AS
SELECT s.stream_id AS stream_id,
       s.request_id AS request_id,
       if(s.gateway_raw = '', 'unknown', s.gateway_raw) AS gateway,
       coalesce(nullIf(g.segment_pipeline, ''), s.session_pipeline) AS pipeline,
       if(s.saw_request, s.request_time_raw, NULL) AS request_time,
       s.first_event_time AS session_start,
       s.last_event_time AS session_end,
       toBool(s.no_orchestrator) AS no_orchestrator,
       toBool(s.reached_first_frame) AS reached_first_frame,
       toBool(s.session_test_load OR coalesce(g.segment_test_load, false)) AS is_test_load,
       coalesce(g.segment_index, 0) AS segment_index,
       coalesce(g.orchestrator_address, '') AS orchestrator_address,
       coalesce(g.orchestrator_url, '') AS orchestrator_url,
       g.segment_start AS segment_start,
       g.segment_end AS segment_end,
       coalesce(gpu.gpu_id, '') AS gpu_id,
       coalesce(gpu.gpu_resolution, 'unknown') AS gpu_resolution,
       coalesce(cat.gpu_name, '') AS gpu_model,
       cat.gpu_memory_bytes AS gpu_memory_bytes,
       if(coalesce(g.reported_region, '') = '', NULL, g.reported_region) AS region,
       multiIf(g.segment_index = 1 AND s.saw_request AND g.first_processed_time IS NOT NULL,
                   toUnixTimestamp64Milli(g.first_processed_time) - toUnixTimestamp64Milli(s.request_time_raw),
               g.segment_index > 1 AND g.first_processed_time IS NOT NULL AND g.first_ingest_time IS NOT NULL,
                   toUnixTimestamp64Milli(g.first_processed_time) - toUnixTimestamp64Milli(g.first_ingest_time),
               NULL) AS ptff_ms,
       coalesce(g.fps_samples, 0) AS fps_samples,
       g.fps_mean AS fps_mean,
       g.jitter_coefficient AS jitter_coefficient,
       toBool(coalesce(g.saw_error_state, false)) AS saw_error_state,
       toBool(coalesce(g.saw_restart, false)) AS saw_restart,
       toBool(coalesce(g.saw_last_error, false)) AS saw_last_error,
       toBool(coalesce(g.sent_ingest AND NOT g.received_output AND g.fps_samples = 0, false)) AS no_output,
       toBool(coalesce(g.segment_index >= 1, false) AND (saw_error_state OR saw_restart OR saw_last_error OR no_output)) AS failed,
       toBool(coalesce(g.swapped_out, false)) AS swapped_out,
       coalesce(b.ingest_samples, 0) AS ingest_samples,
       b.up_bytes AS up_bytes,
       b.down_bytes AS down_bytes,
       if(b.last_sample_time > b.first_sample_time,
          8 * b.up_delta_bytes / ((toUnixTimestamp64Milli(b.last_sample_time) - toUnixTimestamp64Milli(b.first_sample_time)) / 1000) / 1000,
          NULL) AS up_kbps,
       if(b.last_sample_time > b.first_sample_time,
          8 * b.down_delta_bytes / ((toUnixTimestamp64Milli(b.last_sample_time) - toUnixTimestamp64Milli(b.first_sample_time)) / 1000) / 1000,
          NULL) AS down_kbps,
       b.ingest_jitter_ms AS ingest_jitter_ms
FROM session_facts AS s
LEFT JOIN segments AS g USING (stream_id, request_id)
LEFT JOIN segment_gpus AS gpu USING (stream_id, request_id, orchestrator_address)
LEFT JOIN gpu_catalog AS cat ON cat.gpu_id = gpu.gpu_id
LEFT JOIN session_bandwidth AS b USING (stream_id, request_id)
SETTINGS join_use_nulls = 1;
