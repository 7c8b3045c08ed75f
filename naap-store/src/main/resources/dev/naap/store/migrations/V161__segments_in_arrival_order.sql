-- Segments are numbered in the order the gateway stamped them (docs/METRICS.md, "Sessions and
-- segments"), as V157 made attempts follow it. V041 numbered them by their first event's own
-- time: a runner's traces and statuses carry the orchestrator host's clock, which can run seconds
-- behind the gateway's. After a short attempt (a trickle lost within a second or two), the next
-- orchestrator's runner_receive_first_ingest_segment, stamped by a runner behind by more than
-- that, sorted before the attempt it follows: the second attempt became segment 1 (its PTFF
-- counted from the request, its selection wait the whole wait) and the first became segment 2
-- (no selection wait, its swap the predecessor of nothing). The envelope timestamp is the
-- gateway's own for every family; segments now follow their first envelope, then, as before,
-- their first event's time. segment_start stays the first event's time.
-- Same columns as before in every view, each with a new one at the end.

CREATE OR REPLACE VIEW orchestrator_events_by_attempt AS
SELECT stream_id, request_id, orchestrator_address, orchestrator_url, node_url, event_time,
       family, subtype, pipeline, output_fps, state, restart_count, last_restart_time_ms,
       last_error, gpu_id, region, is_test_load,
       coalesce(max(ingest_time) OVER running, min(ingest_time) OVER whole,
                toDateTime64(0, 3, 'UTC')) AS attempt_time,
       envelope_time
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

CREATE OR REPLACE VIEW segment_event_facts AS
SELECT stream_id,
       request_id,
       orchestrator_address,
       attempt_time,
       anyIf(orchestrator_url, family = 'trace' AND subtype = 'gateway_send_first_ingest_segment'
                               AND node_url != '')                          AS ingest_url,
       anyIf(orchestrator_url, node_url != '')                              AS any_url,
       if(ingest_url != '', ingest_url, any_url)                            AS segment_url,
       anyIf(pipeline, family = 'status' AND pipeline != '')                AS status_pipeline,
       anyIf(pipeline, family = 'trace' AND pipeline != '')                 AS trace_pipeline,
       anyIf(pipeline, family = 'event' AND pipeline != '')                 AS event_pipeline,
       min(event_time)                                                      AS first_time,
       max(event_time)                                                      AS last_time,
       minIfOrNull(event_time, family = 'trace' AND subtype = 'gateway_send_first_ingest_segment')
                                                                            AS first_ingest_time,
       minIfOrNull(event_time,
                   family = 'trace' AND subtype = 'gateway_receive_first_processed_segment')
                                                                            AS first_processed_time,
       minIfOrNull(event_time, family = 'trace' AND subtype = 'orchestrator_swap') AS swap_time,
       countIf(family = 'status' AND output_fps > 0)                        AS fps_samples,
       avgIf(output_fps, family = 'status' AND output_fps > 0)              AS fps_mean_raw,
       stddevPopIf(output_fps, family = 'status' AND output_fps > 0)        AS fps_stddev_raw,
       groupArrayIf(assumeNotNull(output_fps), family = 'status' AND output_fps > 0) AS fps_values,
       countIf(family = 'status' AND state = 'ERROR') > 0                   AS saw_error_state,
       countIf(family = 'status' AND last_error != '') > 0                  AS saw_last_error,
       -- the runner's lifetime restart counter, in time order: a rise between two statuses is a
       -- restart during the segment; its level is not
       arrayMap(x -> x.2, arraySort(groupArrayIf((event_time, assumeNotNull(restart_count)),
                                                  family = 'status' AND restart_count IS NOT NULL)))
                                                                            AS restart_counts,
       arrayExists((before, after) -> after > before,
                   arrayPopBack(restart_counts), arrayPopFront(restart_counts))
                                                                            AS restart_count_rose,
       maxIf(last_restart_time_ms, family = 'status')                       AS last_restart_time_ms,
       countIf(family = 'event' AND subtype = 'restart') > 0                AS saw_restart_event,
       argMaxIf(gpu_id, event_time, family = 'status' AND gpu_id != '')     AS reported_gpu_id,
       argMaxIf(region, event_time, family = 'status' AND region != '')     AS reported_region,
       max(is_test_load)                                                    AS segment_test_load,
       min(envelope_time)                                                   AS first_envelope_time
FROM orchestrator_events_by_attempt
GROUP BY stream_id, request_id, orchestrator_address, attempt_time;

CREATE OR REPLACE VIEW segments AS
SELECT stream_id, request_id, orchestrator_address, attempt_time,
       segment_url AS orchestrator_url,
       replaceRegexpOne(lower(segment_url), '/+$', '') AS node_url,
       if(node_url != '', node_url, orchestrator_address) AS node_key,
       if(node_url != '', 'url', 'address') AS node_source,
       multiIf(status_pipeline != '', status_pipeline, trace_pipeline != '', trace_pipeline,
               event_pipeline) AS segment_pipeline,
       first_time AS segment_start,
       last_time AS segment_end,
       first_ingest_time,
       first_processed_time,
       first_ingest_time IS NOT NULL AS sent_ingest,
       first_processed_time IS NOT NULL AS received_output,
       swap_time IS NOT NULL AS swapped_out,
       swap_time,
       lagInFrame(swap_time) OVER w AS previous_swap_time,
       fps_samples,
       if(fps_samples > 0, fps_mean_raw, NULL) AS fps_mean,
       if(fps_samples >= 3, fps_stddev_raw / fps_mean_raw, NULL) AS jitter_coefficient,
       fps_values,
       saw_error_state,
       saw_last_error,
       restart_count_rose,
       last_restart_time_ms,
       saw_restart_event,
       restart_count_rose OR saw_restart_event
           OR coalesce(last_restart_time_ms >= toUnixTimestamp64Milli(first_time), false)
           AS saw_restart,
       reported_gpu_id,
       reported_region,
       segment_test_load,
       row_number() OVER w AS segment_index,
       first_envelope_time
FROM segment_event_facts
WINDOW w AS (PARTITION BY stream_id, request_id
             ORDER BY first_envelope_time, first_time, attempt_time, orchestrator_address
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- The stored sessions this may renumber: those with several segments, from the retention horizon
-- on (older ones have no events left to recompute from). Touched now, so the next refresh
-- recomputes them from their events.
INSERT INTO session_touches (ingested_at, stream_id, request_id)
SELECT now64(3), stream_id, request_id
FROM segment_facts_current
WHERE segment_index >= 2 AND bucket_hour >= (SELECT max(horizon) FROM retention_horizon)
GROUP BY stream_id, request_id;
