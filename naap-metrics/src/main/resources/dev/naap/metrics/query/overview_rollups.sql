-- Headline numbers of the hourly rollups over one period. The aliases are not rollup column
-- names, so that none hides a column another aggregate reads.
SELECT sum(sessions_requested)                                            AS n_sessions,
       uniqExactIf(orchestrator_address,
                   segments > 0 AND orchestrator_address != '')           AS n_orchestrators,
       uniqExactIf(gpu_id, segments > 0 AND gpu_id != '')                 AS n_gpus,
       sum(fps_samples)                                                   AS n_fps,
       if(sum(fps_samples) > 0, sum(fps_sample_sum) / sum(fps_samples),
          NULL)                                                           AS fps_avg,
       sum(ptff_ms_count)                                                 AS n_ptff,
       if(sum(ptff_ms_count) > 0,
          quantilesTDigestMerge(0.95)(ptff_ms_state)[1], NULL)            AS ptff_p95,
       sum(segments)                                                      AS n_segments,
       sum(failed_segments)                                               AS n_failed,
       sum(compliant_segments)                                            AS n_compliant,
       sum(startup_ms_count)                                              AS n_startup,
       if(sum(startup_ms_count) > 0,
          quantilesTDigestMerge(0.95)(startup_ms_state)[1], NULL)         AS startup_p95,
       sum(selection_wait_ms_count)                                       AS n_selection_wait,
       if(sum(selection_wait_ms_count) > 0,
          quantilesTDigestMerge(0.95)(selection_wait_ms_state)[1], NULL)  AS selection_wait_p95,
       sum(gpu_reported) + sum(gpu_capabilities) + sum(gpu_metadata)      AS n_gpu_attributed
FROM (${rows})
