-- One row per orchestrator (docs/METRICS.md, "Orchestrators"): its metadata, then its headline
-- metrics over the range from the hourly rollups. The metadata of a signer with a current scraped
-- version comes from the scraper: the latest current version of its signer address (any source),
-- its nodes, GPUs and live-video capacity summed over the latest current version of each of its
-- nodes (a signer often fronts several): capability 35's entry only, as demand's supply reads it,
-- since every other capability (transcoding formats, batch AI) advertises a capacity of its own
-- units. A signer without one falls back on the gateways' network_capabilities listings
-- (capability_node_latest, V162: the latest listing of each node): the same fields over its nodes
-- listed at most {node_max_age_s} before its latest listing, no region. Orchestrators with
-- metadata but no segments in the range appear with null metrics, unless {activity_only} (a filter
-- on a dimension other than the orchestrator). Measures are aliased m_<column>.
WITH
current AS
(
    SELECT * FROM orchestrator_versions FINAL
    WHERE valid_to IS NULL AND local_address != '' ${orchestrator_filter}
),
scraped AS
(
    SELECT local_address AS orchestrator_address,
           argMax(orch_uri, valid_from)                             AS service_uri,
           argMax(version, valid_from)                              AS version,
           argMax(region, valid_from)                               AS metadata_region,
           argMax(multiIf(region IS NULL OR region = '', 'unknown',
                          region_source = 'mapping', 'operator', region_source),
                  valid_from)                                       AS metadata_region_source,
           argMax(price_per_unit, valid_from)                       AS price_per_unit,
           argMax(pixels_per_unit, valid_from)                      AS pixels_per_unit
    FROM current
    GROUP BY local_address
),
-- Each node's latest current version, whichever source scraped it.
node_versions AS
(
    SELECT local_address, orch_uri,
           argMax(source, valid_from)                               AS latest_source,
           max(valid_from)                                          AS latest_from,
           argMax(if(mapContains(capacities, 35), capacities[35], NULL), valid_from)
                                                                    AS capacity
    FROM current
    GROUP BY local_address, orch_uri
),
node_totals AS
(
    SELECT local_address AS orchestrator_address, count() AS nodes, sum(capacity) AS capacity
    FROM node_versions
    GROUP BY local_address
),
metadata_gpus AS
(
    SELECT n.local_address AS orchestrator_address, uniqExact(g.gpu_id) AS gpu_count
    FROM node_versions AS n
    INNER JOIN orchestrator_version_gpus AS g FINAL
        ON g.source = n.latest_source AND g.orch_uri = n.orch_uri AND g.valid_from = n.latest_from
    WHERE g.gpu_id != ''
    GROUP BY orchestrator_address
),
-- A row per node ever listed (a few thousand on the real network), read once: the nodes listed at
-- most {node_max_age_s} before their signer's latest listing.
listed_nodes AS
(
    SELECT * FROM
    (
        SELECT local_address, listed_at, orch_uri, node_url, version, live_capacity,
               price_per_unit, pixels_per_unit, gpus.id AS gpu_ids,
               max(listed_at) OVER (PARTITION BY local_address) AS signer_latest
        FROM capability_node_latest FINAL
        WHERE 1 ${orchestrator_filter}
    )
    WHERE listed_at >= signer_latest - toIntervalSecond({node_max_age_s:Int64})
),
from_events AS
(
    SELECT local_address                                            AS orchestrator_address,
           argMax(orch_uri, (listed_at, node_url))                  AS service_uri,
           argMax(version, (listed_at, node_url))                   AS version,
           CAST(NULL AS Nullable(String))                           AS metadata_region,
           'unknown'                                                AS metadata_region_source,
           argMax(price_per_unit, (listed_at, node_url))            AS price_per_unit,
           argMax(pixels_per_unit, (listed_at, node_url))           AS pixels_per_unit,
           count()                                                  AS nodes,
           sum(live_capacity)                                       AS capacity,
           nullIf(length(arrayDistinct(arrayFlatten(groupArray(gpu_ids)))), 0) AS gpu_count
    FROM listed_nodes
    GROUP BY local_address
),
-- The scraper's metadata where it has a current version, else the events'.
metadata AS
(
    SELECT * FROM
    (
        SELECT orchestrator_address, service_uri, version, metadata_region,
               metadata_region_source, price_per_unit, pixels_per_unit, nodes, capacity, gpu_count,
               'scraper' AS metadata_source, 0 AS priority
        FROM scraped
        LEFT JOIN node_totals USING (orchestrator_address)
        LEFT JOIN metadata_gpus USING (orchestrator_address)
        UNION ALL
        SELECT orchestrator_address, service_uri, version, metadata_region,
               metadata_region_source, price_per_unit, pixels_per_unit, nodes, capacity, gpu_count,
               'events' AS metadata_source, 1 AS priority
        FROM from_events
    )
    ORDER BY orchestrator_address, priority
    LIMIT 1 BY orchestrator_address
),
activity AS
(
    SELECT orchestrator_address,
           sum(sessions_requested)                                             AS a_sessions,
           sum(segments)                                                       AS a_segments,
           if(sum(fps_samples) > 0,
              sum(fps_sample_sum) / sum(fps_samples), NULL)                    AS a_fps_mean,
           sum(fps_samples)                                                    AS a_fps_samples,
           if(sum(ptff_ms_count) > 0,
              quantilesTDigestMerge(0.5, 0.95, 0.99)(ptff_ms_state)[2], NULL) AS a_ptff_p95,
           sum(ptff_ms_count)                                                  AS a_ptff_samples,
           sum(failed_segments)                                                AS a_failed,
           sum(compliant_segments)                                             AS a_compliant,
           if(sum(startup_ms_count) > 0,
              quantilesTDigestMerge(0.5, 0.95, 0.99)(startup_ms_state)[2], NULL)
                                                                               AS a_startup_p95,
           sum(startup_ms_count)                                               AS a_startup_samples,
           if(sum(selection_wait_ms_count) > 0,
              quantilesTDigestMerge(0.5, 0.95, 0.99)(selection_wait_ms_state)[2], NULL)
                                                                               AS a_wait_p95,
           sum(selection_wait_ms_count)                                        AS a_wait_samples,
           sum(gpu_reported) + sum(gpu_capabilities) + sum(gpu_metadata)       AS a_attributed
    FROM (${rows})
    WHERE orchestrator_address != ''
    GROUP BY orchestrator_address
)
SELECT orchestrator_address,
       service_uri                                                AS m_service_uri,
       nodes                                                      AS m_nodes,
       version                                                    AS m_version,
       metadata_region                                            AS m_metadata_region,
       metadata_region_source                                     AS m_metadata_region_source,
       gpu_count                                                  AS m_gpu_count,
       capacity                                                   AS m_capacity,
       price_per_unit                                             AS m_price_per_unit,
       pixels_per_unit                                            AS m_pixels_per_unit,
       metadata_source                                            AS m_metadata_source,
       coalesce(a_sessions, 0)                                    AS m_sessions,
       coalesce(a_segments, 0)                                    AS m_segments,
       a_fps_mean                                                 AS m_output_fps_mean,
       coalesce(a_fps_samples, 0)                                 AS m_fps_samples,
       a_ptff_p95                                                 AS m_ptff_ms_p95,
       coalesce(a_ptff_samples, 0)                                AS m_ptff_samples,
       if(a_segments > 0, a_failed / a_segments, NULL)            AS m_failure_rate,
       coalesce(a_failed, 0)                                      AS m_failed_segments,
       if(a_segments > 0, a_compliant / a_segments, NULL)         AS m_sla_compliance_rate,
       coalesce(a_compliant, 0)                                   AS m_compliant_segments,
       a_startup_p95                                              AS m_orchestrator_startup_ms_p95,
       coalesce(a_startup_samples, 0)                             AS m_startup_samples,
       a_wait_p95                                                 AS m_selection_wait_ms_p95,
       coalesce(a_wait_samples, 0)                                AS m_selection_wait_samples,
       if(a_segments > 0, a_attributed / a_segments, NULL)        AS m_gpu_attribution_rate
FROM metadata
FULL OUTER JOIN activity USING (orchestrator_address)
WHERE NOT {activity_only:Bool} OR a_segments IS NOT NULL
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
SETTINGS join_use_nulls = 1
