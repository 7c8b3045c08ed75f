-- GPU attribution from the scraper's metadata, and test load from the load tester's registry
-- (docs/METRICS.md, "GPU" and "Test load"). Views are recreated under their names, with the
-- columns they had, so every view built on them stays as it is.

-- The GPUs each scraped metadata version advertises per orchestrator (signer address, what the
-- events carry) and model, with the time the version was valid.
CREATE VIEW IF NOT EXISTS metadata_gpu_snapshots AS
SELECT v.local_address AS local_address,
       g.model_id AS model_id,
       v.valid_from AS valid_from,
       v.valid_to AS valid_to,
       groupUniqArray(g.gpu_id) AS gpu_ids
FROM orchestrator_version_gpus AS g FINAL
INNER JOIN (SELECT source, orch_uri, local_address, valid_from, valid_to FROM orchestrator_versions FINAL) AS v
    ON g.source = v.source AND g.orch_uri = v.orch_uri AND g.valid_from = v.valid_from
WHERE g.gpu_id != '' AND v.local_address != ''
GROUP BY local_address, model_id, valid_from, valid_to;

DROP VIEW IF EXISTS segment_gpus;

-- Candidates: the GPU the segment reported; else the network_capabilities snapshot valid at its
-- start (as in V005); else the scraped metadata version valid at its start.
CREATE VIEW IF NOT EXISTS segment_gpus AS
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address,
       if(before.event_id != '', before.gpu_ids,
          if(after.event_id != '' AND after.event_time <= g.segment_end, after.gpu_ids, [])) AS event_candidates,
       if(meta.local_address != '' AND (meta.valid_to IS NULL OR meta.valid_to > g.segment_start),
          meta.gpu_ids, []) AS metadata_candidates,
       if(notEmpty(event_candidates), event_candidates, metadata_candidates) AS candidates,
       multiIf(g.reported_gpu_id != '', g.reported_gpu_id,
               length(candidates) = 1, candidates[1], '') AS gpu_id,
       multiIf(g.reported_gpu_id != '', 'reported',
               length(event_candidates) = 1, 'capabilities',
               length(event_candidates) > 1, 'ambiguous',
               length(metadata_candidates) = 1, 'metadata',
               length(metadata_candidates) > 1, 'ambiguous', 'unknown') AS gpu_resolution
FROM (SELECT stream_id, request_id, orchestrator_address, segment_pipeline, reported_gpu_id,
             assumeNotNull(segment_start) AS segment_start, assumeNotNull(segment_end) AS segment_end
      FROM segments) AS g
ASOF LEFT JOIN gpu_snapshots AS before
    ON before.local_address = g.orchestrator_address AND before.model_id = g.segment_pipeline
       AND before.event_time <= g.segment_start
ASOF LEFT JOIN gpu_snapshots AS after
    ON after.local_address = g.orchestrator_address AND after.model_id = g.segment_pipeline
       AND after.event_time >= g.segment_start
ASOF LEFT JOIN metadata_gpu_snapshots AS meta
    ON meta.local_address = g.orchestrator_address AND meta.model_id = g.segment_pipeline
       AND meta.valid_from <= g.segment_start;

DROP VIEW IF EXISTS gpu_catalog;

-- The latest name and memory known for each GPU id, from events and scraped metadata alike.
CREATE VIEW IF NOT EXISTS gpu_catalog AS
SELECT gpu_id,
       argMax(gpu_name, seen_at)            AS gpu_name,
       argMax(gpu_memory_bytes, seen_at)    AS gpu_memory_bytes
FROM
(
    SELECT gpu_id, gpu_name, memory_total_bytes AS gpu_memory_bytes, event_time AS seen_at
    FROM network_capability_gpus FINAL
    WHERE gpu_id != ''
    UNION ALL
    SELECT gpu_id, gpu_name, memory_total_bytes, valid_from
    FROM orchestrator_version_gpus FINAL
    WHERE gpu_id != ''
)
GROUP BY gpu_id;

DROP VIEW IF EXISTS session_facts;

-- As in V005; a session is also test load when the load tester registered its stream.
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
       max(is_test_load) OR stream_id IN (SELECT stream_id FROM test_load_streams)  AS session_test_load
FROM raw_events FINAL
WHERE event_type IN ('stream_trace', 'ai_stream_status', 'ai_stream_events', 'stream_ingest_metrics')
  AND stream_id != ''
GROUP BY stream_id, request_id;
