-- The GPUs of one orchestrator ({address}): those in its current scraped metadata and those its
-- segments ran on in the range, with headline metrics from the hourly rollups.
WITH
current AS
(
    SELECT source, orch_uri, valid_from FROM orchestrator_versions FINAL
    WHERE valid_to IS NULL AND local_address = {address:String}
),
scraped AS
(
    SELECT g.gpu_id AS gpu_id, any(g.gpu_name) AS gpu_model,
           any(g.memory_total_bytes) AS memory_bytes
    FROM orchestrator_version_gpus AS g FINAL
    INNER JOIN current AS c
        ON g.source = c.source AND g.orch_uri = c.orch_uri AND g.valid_from = c.valid_from
    WHERE g.gpu_id != ''
    GROUP BY gpu_id
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
FROM scraped
FULL OUTER JOIN activity USING (gpu_id)
ORDER BY gpu_id
SETTINGS join_use_nulls = 1
