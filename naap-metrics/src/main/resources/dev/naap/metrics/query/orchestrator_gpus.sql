-- The GPUs of one orchestrator ({address}): those in its metadata and those its segments ran on in
-- the range, with headline metrics from the hourly rollups. The metadata is the one the
-- orchestrators report reads (orchestrators.sql): its current scraped versions when it has any,
-- else the latest network_capabilities listings of its nodes (capability_node_latest), those at
-- most {node_max_age_s} older than its latest.
WITH
current AS
(
    SELECT source, orch_uri, valid_from FROM orchestrator_versions FINAL
    WHERE valid_to IS NULL AND local_address = {address:String}
),
scraped AS
(
    SELECT g.gpu_id AS gpu_id, any(g.gpu_name) AS gpu_model,
           toNullable(any(g.memory_total_bytes)) AS memory_bytes
    FROM orchestrator_version_gpus AS g FINAL
    INNER JOIN current AS c
        ON g.source = c.source AND g.orch_uri = c.orch_uri AND g.valid_from = c.valid_from
    WHERE g.gpu_id != ''
    GROUP BY gpu_id
),
listed AS
(
    SELECT listed_at, gpus FROM capability_node_latest FINAL
    WHERE local_address = {address:String} AND (SELECT count() FROM current) = 0
),
from_events AS
(
    SELECT g.id AS gpu_id, argMax(toString(g.name), listed_at) AS gpu_model,
           argMax(g.memory_total_bytes, listed_at) AS memory_bytes
    FROM listed
    ARRAY JOIN gpus AS g
    WHERE listed_at >= (SELECT max(listed_at) FROM listed)
                        - toIntervalSecond({node_max_age_s:Int64})
    GROUP BY gpu_id
),
metadata_gpus AS
(
    SELECT gpu_id, gpu_model, memory_bytes FROM scraped
    UNION ALL
    SELECT gpu_id, gpu_model, memory_bytes FROM from_events
),
activity AS
(
    SELECT gpu_id, any(gpu_model) AS a_model,
           sum(segments)                                                       AS a_segments,
           if(sum(fps_samples) > 0,
              sum(fps_sample_sum) / sum(fps_samples), NULL)                    AS a_fps_mean,
           sum(fps_samples)                                                    AS a_fps_samples,
           if(sum(ptff_ms_count) > 0,
              quantilesTDigestMerge(0.5, 0.95, 0.99)(ptff_ms_state)[2], NULL) AS a_ptff_p95,
           sum(ptff_ms_count)                                                  AS a_ptff_samples,
           sum(failed_segments)                                                AS a_failed
    FROM (${rows})
    WHERE orchestrator_address = {address:String}
    GROUP BY gpu_id
)
SELECT gpu_id,
       coalesce(nullIf(gpu_model, ''), a_model, '')    AS gpu_model,
       memory_bytes,
       coalesce(a_segments, 0)                         AS segments,
       a_fps_mean                                      AS output_fps_mean,
       coalesce(a_fps_samples, 0)                      AS fps_samples,
       a_ptff_p95                                      AS ptff_ms_p95,
       coalesce(a_ptff_samples, 0)                     AS ptff_samples,
       if(a_segments > 0, a_failed / a_segments, NULL) AS failure_rate,
       coalesce(a_failed, 0)                           AS failed_segments
FROM metadata_gpus
FULL OUTER JOIN activity USING (gpu_id)
ORDER BY gpu_id
SETTINGS join_use_nulls = 1
