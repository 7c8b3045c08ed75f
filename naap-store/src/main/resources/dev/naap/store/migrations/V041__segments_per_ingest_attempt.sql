-- Sessions and segments as real production events need them (docs/METRICS.md, issue 12):
--
-- - a segment is one ingest attempt: each gateway_send_first_ingest_segment starts one, even on
--   the orchestrator and node the session just left (a swap back to the same orchestrator);
-- - the node that served it is its orchestrator URL (address when no event names one);
-- - a restart fails it only when the runner restarted during it, not when the runner's lifetime
--   counter was already non-zero;
-- - GPUs are attributed per node (address, URL, model), never from a stale snapshot;
-- - an ai_stream_events error saying no orchestrator was available is unmet demand;
-- - operator rules mark test load by stream id and gateway;
-- - orchestrator startup and the selection wait are split from the user-visible PTFF.
--
-- The views of V005, V009 and V021 that these replace are dropped; `sessions` keeps every column
-- it had, in order, and adds its new ones at the end.

DROP VIEW IF EXISTS sessions;
DROP VIEW IF EXISTS segment_metadata_regions;
DROP VIEW IF EXISTS segment_gpus;
DROP VIEW IF EXISTS segments;
DROP VIEW IF EXISTS segment_status_facts;
DROP VIEW IF EXISTS segment_trace_facts;
DROP VIEW IF EXISTS segment_event_facts;
DROP VIEW IF EXISTS gpu_snapshots;
DROP VIEW IF EXISTS metadata_gpu_snapshots;
DROP VIEW IF EXISTS gpu_catalog;
DROP VIEW IF EXISTS session_facts;

-- Every event that names an orchestrator, from the three families, in one shape. node_url is the
-- event's orchestrator URL lower-cased without trailing slashes ('' when it carries none).
CREATE VIEW IF NOT EXISTS orchestrator_events AS
SELECT stream_id, request_id, orchestrator_address, orchestrator_url,
       replaceRegexpOne(lower(orchestrator_url), '/+$', '') AS node_url,
       event_time, 'status' AS family, '' AS subtype, pipeline,
       output_fps, state, restart_count, last_restart_time_ms, last_error, gpu_id, region, is_test_load
FROM ai_stream_status_events FINAL
WHERE orchestrator_address != ''
UNION ALL
SELECT stream_id, request_id, orchestrator_address, orchestrator_url,
       replaceRegexpOne(lower(orchestrator_url), '/+$', ''),
       event_time, 'trace', subtype, pipeline,
       CAST(NULL AS Nullable(Float64)), '', CAST(NULL AS Nullable(Int64)), CAST(NULL AS Nullable(Int64)),
       '', '', '', is_test_load
FROM stream_trace_events FINAL
WHERE orchestrator_address != ''
UNION ALL
SELECT stream_id, request_id, orchestrator_address, orchestrator_url,
       replaceRegexpOne(lower(orchestrator_url), '/+$', ''),
       event_time, 'event', subtype, pipeline,
       CAST(NULL AS Nullable(Float64)), '', CAST(NULL AS Nullable(Int64)), CAST(NULL AS Nullable(Int64)),
       '', '', '', is_test_load
FROM ai_stream_events FINAL
WHERE orchestrator_address != '';

-- Every orchestrator event with the attempt it belongs to: the latest ingest attempt
-- (gateway_send_first_ingest_segment) on its orchestrator (signer address) at or before it; an
-- event before the first attempt belongs to the first. An orchestrator with no attempt in the
-- session keeps attempt_time 0: one segment, as before attempts were told apart. Window
-- functions over the events themselves: each family table is read once.
CREATE VIEW IF NOT EXISTS orchestrator_events_by_attempt AS
SELECT stream_id, request_id, orchestrator_address, orchestrator_url, node_url, event_time, family,
       subtype, pipeline, output_fps, state, restart_count, last_restart_time_ms, last_error, gpu_id,
       region, is_test_load,
       coalesce(max(ingest_time) OVER running, min(ingest_time) OVER whole, toDateTime64(0, 3, 'UTC'))
           AS attempt_time
FROM
(
    SELECT *, if(family = 'trace' AND subtype = 'gateway_send_first_ingest_segment', event_time, NULL)
                  AS ingest_time
    FROM orchestrator_events
)
WINDOW running AS (PARTITION BY stream_id, request_id, orchestrator_address ORDER BY event_time
                   RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       whole AS (PARTITION BY stream_id, request_id, orchestrator_address);

-- Per segment (session, orchestrator, attempt): its facts from every family.
CREATE VIEW IF NOT EXISTS segment_event_facts AS
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
       minIfOrNull(event_time, family = 'trace' AND subtype = 'gateway_receive_first_processed_segment')
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
                   arrayPopBack(restart_counts), arrayPopFront(restart_counts)) AS restart_count_rose,
       maxIf(last_restart_time_ms, family = 'status')                       AS last_restart_time_ms,
       countIf(family = 'event' AND subtype = 'restart') > 0                AS saw_restart_event,
       argMaxIf(gpu_id, event_time, family = 'status' AND gpu_id != '')     AS reported_gpu_id,
       argMaxIf(region, event_time, family = 'status' AND region != '')     AS reported_region,
       max(is_test_load)                                                    AS segment_test_load
FROM orchestrator_events_by_attempt
GROUP BY stream_id, request_id, orchestrator_address, attempt_time;

-- Every segment with its facts, numbered in the order it started. Its node is its URL (the one
-- its ingest trace named, else any its events named), else its address: node_source says which.
CREATE VIEW IF NOT EXISTS segments AS
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
           OR coalesce(last_restart_time_ms >= toUnixTimestamp64Milli(first_time), false) AS saw_restart,
       reported_gpu_id,
       reported_region,
       segment_test_load,
       row_number() OVER w AS segment_index
FROM segment_event_facts
WINDOW w AS (PARTITION BY stream_id, request_id ORDER BY first_time, attempt_time, orchestrator_address
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- The GPUs each capabilities snapshot advertised per node (lookup_url = node_url) and, for
-- segments whose node is unknown, per signer address (lookup_url = '*'): each GPU row counts
-- under both keys, so the table is read once.
CREATE VIEW IF NOT EXISTS node_gpu_snapshots AS
SELECT event_id, event_time, local_address, arrayJoin([node_url, '*']) AS lookup_url, model_id,
       groupUniqArray(gpu_id) AS gpu_ids
FROM network_capability_node_gpus FINAL
WHERE gpu_id != ''
GROUP BY event_id, event_time, local_address, lookup_url, model_id;

-- The same from the scraper's metadata versions, with the time each was valid.
CREATE VIEW IF NOT EXISTS metadata_gpu_snapshots AS
SELECT v.local_address AS local_address,
       arrayJoin([replaceRegexpOne(lower(v.orch_uri), '/+$', ''), '*']) AS lookup_url,
       g.model_id AS model_id, v.valid_from AS valid_from, any(v.valid_to) AS valid_to,
       groupUniqArray(g.gpu_id) AS gpu_ids
FROM orchestrator_version_gpus AS g FINAL
INNER JOIN (SELECT source, orch_uri, local_address, valid_from, valid_to FROM orchestrator_versions FINAL) AS v
    ON g.source = v.source AND g.orch_uri = v.orch_uri AND g.valid_from = v.valid_from
WHERE g.gpu_id != '' AND v.local_address != ''
GROUP BY local_address, lookup_url, model_id, valid_from;

-- The GPU of each segment (docs/METRICS.md, "GPU"): the one its status reported; else the GPUs
-- its node advertised for its model in the capabilities snapshot valid at its start (the latest
-- at or before it, unless older than gpu_snapshot_max_age_seconds; when there is none, or it is
-- stale, the first one within the segment); else the scraped metadata version valid at its start.
-- Exactly one GPU resolves; several are 'ambiguous', a stale snapshot alone 'stale': never a guess.
CREATE VIEW IF NOT EXISTS segment_gpus AS
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address, g.attempt_time AS attempt_time,
       (SELECT toInt64(argMax(value, updated_at) * 1000) FROM metric_settings
        WHERE name = 'gpu_snapshot_max_age_seconds') AS max_age_ms,
       before.event_id != ''
           AND toUnixTimestamp64Milli(before.event_time) >= toUnixTimestamp64Milli(g.segment_start) - max_age_ms
           AS before_fresh,
       before.event_id != '' AND NOT before_fresh AS before_stale,
       multiIf(before_fresh, before.gpu_ids,
               after.event_id != '' AND after.event_time <= g.segment_end, after.gpu_ids, []) AS event_candidates,
       if(meta.local_address != '' AND (meta.valid_to IS NULL OR meta.valid_to > g.segment_start),
          meta.gpu_ids, []) AS metadata_candidates,
       multiIf(g.reported_gpu_id != '', g.reported_gpu_id,
               length(event_candidates) = 1, event_candidates[1],
               notEmpty(event_candidates), '',
               length(metadata_candidates) = 1, metadata_candidates[1], '') AS gpu_id,
       multiIf(g.reported_gpu_id != '', 'reported',
               length(event_candidates) = 1, 'capabilities',
               length(event_candidates) > 1, 'ambiguous',
               length(metadata_candidates) = 1, 'metadata',
               length(metadata_candidates) > 1, 'ambiguous',
               before_stale, 'stale', 'unknown') AS gpu_resolution
FROM (SELECT stream_id, request_id, orchestrator_address, attempt_time, segment_pipeline, reported_gpu_id,
             if(node_url != '', node_url, '*') AS lookup_url,
             assumeNotNull(segment_start) AS segment_start, assumeNotNull(segment_end) AS segment_end
      FROM segments) AS g
ASOF LEFT JOIN node_gpu_snapshots AS before
    ON before.local_address = g.orchestrator_address AND before.lookup_url = g.lookup_url
       AND before.model_id = g.segment_pipeline AND before.event_time <= g.segment_start
ASOF LEFT JOIN node_gpu_snapshots AS after
    ON after.local_address = g.orchestrator_address AND after.lookup_url = g.lookup_url
       AND after.model_id = g.segment_pipeline AND after.event_time >= g.segment_start
ASOF LEFT JOIN metadata_gpu_snapshots AS meta
    ON meta.local_address = g.orchestrator_address AND meta.lookup_url = g.lookup_url
       AND meta.model_id = g.segment_pipeline AND meta.valid_from <= g.segment_start;

-- The latest name and memory known for each GPU id, from events and scraped metadata alike.
CREATE VIEW IF NOT EXISTS gpu_catalog AS
SELECT gpu_id,
       argMax(gpu_name, seen_at)            AS gpu_name,
       argMax(gpu_memory_bytes, seen_at)    AS gpu_memory_bytes
FROM
(
    SELECT gpu_id, gpu_name, memory_total_bytes AS gpu_memory_bytes, event_time AS seen_at
    FROM network_capability_node_gpus FINAL
    WHERE gpu_id != ''
    UNION ALL
    SELECT gpu_id, gpu_name, memory_total_bytes, valid_from
    FROM orchestrator_version_gpus FINAL
    WHERE gpu_id != ''
)
GROUP BY gpu_id;

-- The region of each segment's node (else signer) in the metadata version that started last
-- before the segment did.
CREATE VIEW IF NOT EXISTS segment_metadata_regions AS
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address, g.attempt_time AS attempt_time,
       v.region AS region, v.valid_from AS valid_from, v.valid_to AS valid_to
FROM (SELECT stream_id, request_id, orchestrator_address, attempt_time,
             if(node_url != '', node_url, '*') AS lookup_url,
             assumeNotNull(segment_start) AS segment_start
      FROM segments) AS g
ASOF INNER JOIN (SELECT local_address, arrayJoin([replaceRegexpOne(lower(orch_uri), '/+$', ''), '*']) AS lookup_url,
                        region, valid_from, valid_to
                 FROM orchestrator_versions FINAL WHERE region IS NOT NULL AND region != '') AS v
    ON v.local_address = g.orchestrator_address AND v.lookup_url = g.lookup_url
       AND v.valid_from <= g.segment_start;

-- The operator's test-load rules in force (the newest version written).
CREATE VIEW IF NOT EXISTS current_test_load_rules AS
SELECT kind, glob, like_pattern
FROM test_load_rules
WHERE version = (SELECT max(version) FROM test_load_rules) AND kind != '';

-- Per session, from everything that carries its ids. Test load: any event says so, the load
-- tester registered the stream, or an operator rule matches its stream id or gateway.
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
       max(is_test_load) OR stream_id IN (SELECT stream_id FROM test_load_streams)
           OR arrayExists(p -> stream_id LIKE p,
                          (SELECT groupArray(like_pattern) FROM current_test_load_rules WHERE kind = 'stream_id'))
           OR arrayExists(p -> gateway_raw LIKE p,
                          (SELECT groupArray(like_pattern) FROM current_test_load_rules WHERE kind = 'gateway'))
                                                                                    AS session_test_load
FROM raw_events FINAL
WHERE event_type IN ('stream_trace', 'ai_stream_status', 'ai_stream_events', 'stream_ingest_metrics')
  AND stream_id != ''
GROUP BY stream_id, request_id;

-- Per session, from its ai_stream_events errors: one saying that no orchestrator was available
-- ("no orchestrators available within 2s timeout" and the like, any case and spacing) is unmet
-- demand, as gateway_no_orchestrators_available is.
CREATE VIEW IF NOT EXISTS session_error_facts AS
SELECT stream_id,
       request_id,
       countIf(match(message, '(?i)\\bno[\\s_-]+(available[\\s_-]+)?orch(estrator)?s?\\b([\\s_-]+(is|are|was|were))?([\\s_-]+(available|found|left)\\b|\\s*$|\\s*[.:,;!(])')) > 0
           AS no_orchestrator_error
FROM ai_stream_events FINAL
WHERE subtype = 'error' AND stream_id != ''
GROUP BY stream_id, request_id;

-- The public view: one row per session and segment with every per-segment fact of
-- docs/METRICS.md. A session that never reached an orchestrator has one row with segment_index 0.
-- The columns of V009 come first, in their order; the new ones follow.
CREATE VIEW IF NOT EXISTS sessions AS
SELECT s.stream_id AS stream_id,
       s.request_id AS request_id,
       if(s.gateway_raw = '', 'unknown', s.gateway_raw) AS gateway,
       coalesce(nullIf(g.segment_pipeline, ''), s.session_pipeline) AS pipeline,
       if(s.saw_request, s.request_time_raw, NULL) AS request_time,
       s.first_event_time AS session_start,
       s.last_event_time AS session_end,
       toBool(s.no_orchestrator OR coalesce(e.no_orchestrator_error, false)) AS no_orchestrator,
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
       b.ingest_jitter_ms AS ingest_jitter_ms,
       -- new in V041
       coalesce(g.node_key, '') AS node_key,
       coalesce(g.node_source, '') AS node_source,
       g.first_ingest_time AS first_ingest_time,
       if(g.first_processed_time IS NOT NULL AND g.first_ingest_time IS NOT NULL,
          toUnixTimestamp64Milli(g.first_processed_time) - toUnixTimestamp64Milli(g.first_ingest_time),
          NULL) AS orchestrator_startup_ms,
       multiIf(g.first_ingest_time IS NULL, NULL,
               g.segment_index = 1 AND s.saw_request,
                   toUnixTimestamp64Milli(g.first_ingest_time) - toUnixTimestamp64Milli(s.request_time_raw),
               g.segment_index > 1 AND g.previous_swap_time IS NOT NULL,
                   toUnixTimestamp64Milli(g.first_ingest_time) - toUnixTimestamp64Milli(g.previous_swap_time),
               NULL) AS selection_wait_ms,
       toBool(coalesce(g.restart_count_rose, false)) AS restart_count_rose,
       g.last_restart_time_ms AS last_restart_time_ms,
       coalesce(g.fps_values, []) AS fps_values
FROM session_facts AS s
LEFT JOIN segments AS g USING (stream_id, request_id)
LEFT JOIN segment_gpus AS gpu USING (stream_id, request_id, orchestrator_address, attempt_time)
LEFT JOIN gpu_catalog AS cat ON cat.gpu_id = gpu.gpu_id
LEFT JOIN session_bandwidth AS b USING (stream_id, request_id)
LEFT JOIN session_error_facts AS e USING (stream_id, request_id)
LEFT JOIN segment_metadata_regions AS meta
    ON meta.stream_id = s.stream_id AND meta.request_id = s.request_id
       AND meta.orchestrator_address = g.orchestrator_address AND meta.attempt_time = g.attempt_time
SETTINGS join_use_nulls = 1;
