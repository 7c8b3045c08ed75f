-- A segment's GPU is looked up under the pipeline the segment is counted under (docs/METRICS.md,
-- "GPU"): the one its own events named, else the session's. V041 looked it up under the segment's
-- own only, so a segment whose events named no pipeline (its traces carry none; an error after it
-- ended named it) stayed 'unknown' although its node's snapshot listed GPUs for that pipeline.
-- Same columns as V041's view; only the lookup key changes.
CREATE OR REPLACE VIEW segment_gpus AS
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
FROM (SELECT seg.stream_id AS stream_id, seg.request_id AS request_id,
             seg.orchestrator_address AS orchestrator_address, seg.attempt_time AS attempt_time,
             if(seg.segment_pipeline != '', seg.segment_pipeline, s.session_pipeline) AS pipeline,
             seg.reported_gpu_id AS reported_gpu_id,
             if(seg.node_url != '', seg.node_url, '*') AS lookup_url,
             assumeNotNull(seg.segment_start) AS segment_start,
             assumeNotNull(seg.segment_end) AS segment_end
      FROM segments AS seg
      LEFT JOIN (SELECT stream_id, request_id, session_pipeline FROM session_facts) AS s
          ON s.stream_id = seg.stream_id AND s.request_id = seg.request_id) AS g
ASOF LEFT JOIN node_gpu_snapshots AS before
    ON before.local_address = g.orchestrator_address AND before.lookup_url = g.lookup_url
       AND before.model_id = g.pipeline AND before.event_time <= g.segment_start
ASOF LEFT JOIN node_gpu_snapshots AS after
    ON after.local_address = g.orchestrator_address AND after.lookup_url = g.lookup_url
       AND after.model_id = g.pipeline AND after.event_time >= g.segment_start
ASOF LEFT JOIN metadata_gpu_snapshots AS meta
    ON meta.local_address = g.orchestrator_address AND meta.lookup_url = g.lookup_url
       AND meta.model_id = g.pipeline AND meta.valid_from <= g.segment_start;

-- The segments stored before this migration that it may resolve: their GPU unresolved under a
-- pipeline their session named. Touched now, so the next refresh recomputes them from their events.
INSERT INTO session_touches (ingested_at, stream_id, request_id)
SELECT now64(3), stream_id, request_id
FROM segment_facts_current
WHERE segment_index >= 1 AND gpu_resolution IN ('unknown', 'stale') AND pipeline != ''
GROUP BY stream_id, request_id;
