-- GPU metrics per time bucket and group (docs/METRICS.md, "Query layer"). Measures are aliased
-- m_<column> so that no alias hides a rollup column another aggregate reads; results are read
-- by position. No data gives NULL beside a count of 0. Measures are computed for the page's
-- groups only (the page filter). When the order starts with the window and keys of the tables'
-- sort key, the filter is the page's leading keys (gpu_page_prefixes.sql) and this copy sorts
-- and pages; otherwise the statement runs twice, nested: the inner copy picks the page
-- (LIMIT/OFFSET) and only its keys are read, so ClickHouse skips the quantile merges it does not
-- sort by.
SELECT toInt64(toUnixTimestamp(${window})) AS window_start,
       ${keys}
       sum(segments)                                              AS m_segments,
       if(sum(fps_samples) > 0,
          sum(fps_sample_sum) / sum(fps_samples), NULL)           AS m_output_fps_mean,
       if(sum(fps_samples) > 0,
          quantilesTDigestMerge(0.05, 0.5, 0.95)(fps_quantiles_state)[1], NULL)
                                                                  AS m_output_fps_p05,
       if(sum(fps_samples) > 0,
          quantilesTDigestMerge(0.05, 0.5, 0.95)(fps_quantiles_state)[2], NULL)
                                                                  AS m_output_fps_p50,
       if(sum(fps_samples) > 0,
          quantilesTDigestMerge(0.05, 0.5, 0.95)(fps_quantiles_state)[3], NULL)
                                                                  AS m_output_fps_p95,
       sum(fps_samples)                                           AS m_fps_samples,
       if(countIf(fps_samples > 0 AND fps_samples_20plus IS NULL) > 0, NULL,
          sum(ifNull(fps_samples_20plus, 0)))                     AS m_fps_samples_20plus,
       if(sum(fps_samples) > 0 AND countIf(fps_samples > 0 AND fps_samples_20plus IS NULL) = 0,
          sum(ifNull(fps_samples_20plus, 0)) / sum(fps_samples), NULL)
                                                                  AS m_fps_share_20plus,
       if(sum(ptff_ms_count) > 0,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(ptff_ms_state)[1], NULL)
                                                                  AS m_ptff_ms_p50,
       if(sum(ptff_ms_count) > 0,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(ptff_ms_state)[2], NULL)
                                                                  AS m_ptff_ms_p95,
       if(sum(ptff_ms_count) > 0,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(ptff_ms_state)[3], NULL)
                                                                  AS m_ptff_ms_p99,
       if(sum(ptff_ms_count) > 0,
          sum(ptff_ms_sum) / sum(ptff_ms_count), NULL)            AS m_ptff_ms_mean,
       sum(ptff_ms_count)                                         AS m_ptff_samples,
       if(sum(jitter_count) > 0,
          sum(jitter_sum) / sum(jitter_count), NULL)              AS m_jitter_coefficient_mean,
       if(sum(jitter_count) > 0,
          quantileTDigestMerge(0.95)(jitter_state), NULL)         AS m_jitter_coefficient_p95,
       sum(jitter_count)                                          AS m_jitter_samples,
       if(sum(segments) > 0,
          sum(failed_segments) / sum(segments), NULL)             AS m_failure_rate,
       sum(failed_segments)                                       AS m_failed_segments,
       if(sum(bandwidth_count) > 0,
          sum(up_kbps_sum) / sum(bandwidth_count), NULL)          AS m_bandwidth_up_kbps_mean,
       if(sum(bandwidth_count) > 0,
          sum(down_kbps_sum) / sum(bandwidth_count), NULL)        AS m_bandwidth_down_kbps_mean,
       sum(bandwidth_count)                                       AS m_bandwidth_samples,
       if(sum(startup_ms_count) > 0,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(startup_ms_state)[1], NULL)
                                                                  AS m_orchestrator_startup_ms_p50,
       if(sum(startup_ms_count) > 0,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(startup_ms_state)[2], NULL)
                                                                  AS m_orchestrator_startup_ms_p95,
       if(sum(startup_ms_count) > 0,
          sum(startup_ms_sum) / sum(startup_ms_count), NULL)      AS m_orchestrator_startup_ms_mean,
       sum(startup_ms_count)                                      AS m_startup_samples,
       if(sum(selection_wait_ms_count) > 0,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(selection_wait_ms_state)[1], NULL)
                                                                  AS m_selection_wait_ms_p50,
       if(sum(selection_wait_ms_count) > 0,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(selection_wait_ms_state)[2], NULL)
                                                                  AS m_selection_wait_ms_p95,
       if(sum(selection_wait_ms_count) > 0,
          sum(selection_wait_ms_sum) / sum(selection_wait_ms_count), NULL)
                                                                  AS m_selection_wait_ms_mean,
       sum(selection_wait_ms_count)                               AS m_selection_wait_samples,
       if(sum(segments) > 0,
          (sum(gpu_reported) + sum(gpu_capabilities) + sum(gpu_metadata)) / sum(segments), NULL)
                                                                  AS m_gpu_attribution_rate,
       sum(gpu_reported)                                          AS m_gpu_reported,
       sum(gpu_capabilities)                                      AS m_gpu_capabilities,
       sum(gpu_metadata)                                          AS m_gpu_metadata,
       sum(gpu_ambiguous)                                         AS m_gpu_ambiguous,
       sum(gpu_stale)                                             AS m_gpu_stale,
       sum(gpu_unknown)                                           AS m_gpu_unknown
FROM (${rows})
WHERE segments > 0 -- rows of sessions that reached no orchestrator hold only demand
  ${page_filter}
GROUP BY window_start ${group}
ORDER BY ${order}
${page}
