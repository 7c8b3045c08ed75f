-- Region attribution from the scraper's orchestrator metadata (docs/METRICS.md, "Region"): when
-- no event of a segment carries orchestrator_info.region, the region of the orchestrator's
-- metadata version valid at the segment's start. `sessions` is recreated with that fallback; its
-- columns are those of V005, so the views and tables built on it stay as they are.

-- The metadata version of each segment's orchestrator that started last before the segment did.
CREATE VIEW IF NOT EXISTS segment_metadata_regions AS
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address,
       v.region AS region, v.valid_from AS valid_from, v.valid_to AS valid_to
FROM (SELECT stream_id, request_id, orchestrator_address, assumeNotNull(segment_start) AS segment_start
      FROM segments) AS g
ASOF INNER JOIN (SELECT local_address, region, valid_from, valid_to FROM orchestrator_versions FINAL
                 WHERE region IS NOT NULL AND region != '') AS v
    ON v.local_address = g.orchestrator_address AND v.valid_from <= g.segment_start;

DROP VIEW IF EXISTS sessions;

-- The public view, as in V005 with the region fallback above.
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
       multiIf(coalesce(g.reported_region, '') != '', g.reported_region,
               meta.region IS NOT NULL AND (meta.valid_to IS NULL OR meta.valid_to > g.segment_start), meta.region,
               NULL) AS region,
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
LEFT JOIN segment_metadata_regions AS meta
    ON meta.stream_id = s.stream_id AND meta.request_id = s.request_id
       AND meta.orchestrator_address = g.orchestrator_address
SETTINGS join_use_nulls = 1;
