-- Headline numbers of the hourly rollups over one period, by position: sessions, orchestrators
-- seen, GPUs seen, FPS samples and their mean, PTFF samples and p95, segments, failed, compliant,
-- startup samples and p95, selection wait samples and p95, segments with an attributed GPU.
SELECT sum(sessions_requested),
       uniqExactIf(orchestrator_address, segments > 0 AND orchestrator_address != ''),
       uniqExactIf(gpu_id, segments > 0 AND gpu_id != ''),
       sum(fps_samples),
       if(sum(fps_samples) > 0, sum(fps_sample_sum) / sum(fps_samples), NULL),
       sum(ptff_ms_count),
       if(sum(ptff_ms_count) > 0, quantilesTDigestMerge(0.95)(ptff_ms_state)[1], NULL),
       sum(segments),
       sum(failed_segments),
       sum(compliant_segments),
       sum(startup_ms_count),
       if(sum(startup_ms_count) > 0, quantilesTDigestMerge(0.95)(startup_ms_state)[1], NULL),
       sum(selection_wait_ms_count),
       if(sum(selection_wait_ms_count) > 0, quantilesTDigestMerge(0.95)(selection_wait_ms_state)[1], NULL),
       sum(gpu_reported) + sum(gpu_capabilities) + sum(gpu_metadata)
FROM (${rows})
