-- GPU attribution without reading every capability snapshot ever stored (issue 15). A refresh
-- recomputes its segments reading only the snapshots of their time (from the snapshot maximum age
-- before the first start to the last end: every snapshot segment_gpus can use), so its cost no
-- longer grows with the snapshots' history:
--
-- 1. node_gpu_listings holds what node_gpu_snapshots reads of network_capability_node_gpus (which
--    is sorted by event id), sorted by time, so that the refresh's time filter
--    (additional_table_filters on it; Refresher) reads only that time's rows. A snapshot delivered
--    twice adds its rows twice, which the view's grouping by event folds back into one.
-- 2. Whether a node was ever listed before a segment: a stale snapshot and none at all resolve
--    differently ('stale', 'unknown'). node_gpu_first_listed keeps, per node (and per signer,
--    lookup_url '*') and model, when a snapshot first listed a GPU for it. "Listed at or before the
--    start, and no fresh snapshot" is exactly "the latest snapshot at or before the start is
--    stale", so segment_gpus no longer needs the latest one when it is old.
-- 3. Each GPU's latest name and memory (gpu_catalog). gpu_catalog_events keeps them per GPU id as
--    aggregate states; argMax skips a NULL memory, so the memory keeps its own time.
CREATE TABLE IF NOT EXISTS node_gpu_listings
(
    event_id      String,
    event_time    DateTime64(3, 'UTC'),
    local_address LowCardinality(String),
    node_url      LowCardinality(String),
    model_id      LowCardinality(String),
    gpu_id        String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_time, local_address, node_url, model_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS node_gpu_listings_mv TO node_gpu_listings AS
SELECT event_id, event_time, local_address, node_url, model_id, gpu_id
FROM network_capability_node_gpus
WHERE gpu_id != '';

-- After the view, so that no snapshot is missed; one written twice is folded by the grouping.
INSERT INTO node_gpu_listings
SELECT event_id, event_time, local_address, node_url, model_id, gpu_id
FROM network_capability_node_gpus FINAL
WHERE gpu_id != '';

-- As V041's, from the rows sorted by time.
CREATE OR REPLACE VIEW node_gpu_snapshots AS
SELECT event_id, event_time, local_address, arrayJoin([node_url, '*']) AS lookup_url, model_id,
       groupUniqArray(gpu_id) AS gpu_ids
FROM node_gpu_listings
GROUP BY event_id, event_time, local_address, lookup_url, model_id;

CREATE TABLE IF NOT EXISTS node_gpu_first_listed
(
    local_address LowCardinality(String),
    lookup_url    LowCardinality(String),
    model_id      LowCardinality(String),
    first_listed  SimpleAggregateFunction(min, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (local_address, lookup_url, model_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS node_gpu_first_listed_mv TO node_gpu_first_listed AS
SELECT local_address, arrayJoin([node_url, '*']) AS lookup_url, model_id,
       min(event_time) AS first_listed
FROM network_capability_node_gpus
WHERE gpu_id != ''
GROUP BY local_address, lookup_url, model_id;

-- After its view, as above; a snapshot counted twice changes no minimum.
INSERT INTO node_gpu_first_listed
SELECT local_address, arrayJoin([node_url, '*']) AS lookup_url, model_id,
       min(event_time) AS first_listed
FROM network_capability_node_gpus
WHERE gpu_id != ''
GROUP BY local_address, lookup_url, model_id;

CREATE TABLE IF NOT EXISTS gpu_catalog_events
(
    gpu_id      String,
    name        AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    name_at     SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    memory      AggregateFunction(argMax, Nullable(Int64), DateTime64(3, 'UTC')),
    memory_at   SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC')))
)
ENGINE = AggregatingMergeTree
ORDER BY gpu_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS gpu_catalog_events_mv TO gpu_catalog_events AS
SELECT gpu_id, argMaxState(toString(gpu_name), event_time) AS name, max(event_time) AS name_at,
       argMaxState(memory_total_bytes, event_time) AS memory,
       max(if(memory_total_bytes IS NULL, NULL, event_time)) AS memory_at
FROM network_capability_node_gpus
WHERE gpu_id != ''
GROUP BY gpu_id;

INSERT INTO gpu_catalog_events
SELECT gpu_id, argMaxState(toString(gpu_name), event_time) AS name, max(event_time) AS name_at,
       argMaxState(memory_total_bytes, event_time) AS memory,
       max(if(memory_total_bytes IS NULL, NULL, event_time)) AS memory_at
FROM network_capability_node_gpus
WHERE gpu_id != ''
GROUP BY gpu_id;

-- The latest name and memory known for each GPU id, from events and scraped metadata alike (as
-- V041's, from the states above instead of every snapshot row).
CREATE OR REPLACE VIEW gpu_catalog AS
SELECT gpu_id,
       argMax(gpu_name, name_at)            AS gpu_name,
       argMax(gpu_memory_bytes, memory_at)  AS gpu_memory_bytes
FROM
(
    SELECT gpu_id, argMaxMerge(name) AS gpu_name, max(name_at) AS name_at,
           argMaxMerge(memory) AS gpu_memory_bytes, max(memory_at) AS memory_at
    FROM gpu_catalog_events
    GROUP BY gpu_id
    UNION ALL
    SELECT gpu_id, toString(gpu_name), valid_from, memory_total_bytes, valid_from
    FROM orchestrator_version_gpus FINAL
    WHERE gpu_id != ''
)
GROUP BY gpu_id;

-- As V152's, but a stale snapshot is told from none by node_gpu_first_listed, so the snapshots
-- read may be limited to the segments' time.
CREATE OR REPLACE VIEW segment_gpus AS
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address, g.attempt_time AS attempt_time,
       (SELECT toInt64(argMax(value, updated_at) * 1000) FROM metric_settings
        WHERE name = 'gpu_snapshot_max_age_seconds') AS max_age_ms,
       before.event_id != ''
           AND toUnixTimestamp64Milli(before.event_time) >= toUnixTimestamp64Milli(g.segment_start) - max_age_ms
           AS before_fresh,
       -- ifNull: with join_use_nulls (the refresh's setting) a segment with no snapshot in the
       -- time read has a NULL before_fresh.
       listed.local_address != '' AND listed.first_listed <= g.segment_start
           AND NOT ifNull(before_fresh, false) AS before_stale,
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
LEFT JOIN (SELECT local_address, lookup_url, model_id, min(first_listed) AS first_listed
           FROM node_gpu_first_listed
           GROUP BY local_address, lookup_url, model_id) AS listed
    ON listed.local_address = g.orchestrator_address AND listed.lookup_url = g.lookup_url
       AND listed.model_id = g.pipeline
ASOF LEFT JOIN metadata_gpu_snapshots AS meta
    ON meta.local_address = g.orchestrator_address AND meta.lookup_url = g.lookup_url
       AND meta.model_id = g.pipeline AND meta.valid_from <= g.segment_start;
