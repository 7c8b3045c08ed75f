-- Recomputes whole days of rollup_day (epoch seconds in {days}) from the latest computation of
-- each of their hours in rollup_hour, as version {version_us} (µs since the epoch): counts and
-- sums add up, t-digest states merge. Columns go in by position.
INSERT INTO rollup_day
SELECT toStartOfDay(bucket_hour) AS bucket_day,
       orchestrator_address, gpu_id, gpu_model, pipeline, region, gateway, is_test_load,
       sum(sessions_requested), sum(sessions_started), sum(sessions_no_orchestrator),
       sum(segments), sum(failed_segments), sum(compliant_segments),
       sum(violations_failure), sum(violations_ptff), sum(violations_fps), sum(violations_jitter),
       sum(fps_samples), sum(fps_sample_sum),
       -- An hour computed before the count existed (NULL) leaves the day's count unknown.
       if(countIf(fps_samples > 0 AND fps_samples_20plus IS NULL) > 0, NULL,
          sum(ifNull(fps_samples_20plus, 0))),
       quantilesTDigestMergeState(0.05, 0.5, 0.95)(fps_quantiles_state),
       quantilesTDigestMergeState(0.5, 0.95, 0.99)(ptff_ms_state),
       sum(ptff_ms_sum), sum(ptff_ms_count), sum(jitter_sum), sum(jitter_count),
       quantileTDigestMergeState(0.95)(jitter_state),
       sum(up_kbps_sum), sum(down_kbps_sum), sum(bandwidth_count),
       sum(violations_startup),
       quantilesTDigestMergeState(0.5, 0.95, 0.99)(startup_ms_state),
       sum(startup_ms_sum), sum(startup_ms_count),
       quantilesTDigestMergeState(0.5, 0.95, 0.99)(selection_wait_ms_state),
       sum(selection_wait_ms_sum), sum(selection_wait_ms_count),
       sum(gpu_reported), sum(gpu_capabilities), sum(gpu_metadata), sum(gpu_ambiguous),
       sum(gpu_stale), sum(gpu_unknown),
       sum(ingest_segments), sum(swapped_segments), sum(lost_after_swap), sum(failed_client_gone),
       sum(failed_no_capacity),
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')
FROM rollup_hour
WHERE toUnixTimestamp(toStartOfDay(bucket_hour)) IN {days:Array(Int64)}
  AND (bucket_hour, computed_at) IN
      (SELECT bucket_hour, max(computed_at) FROM rollup_hour
       WHERE toUnixTimestamp(toStartOfDay(bucket_hour)) IN {days:Array(Int64)}
       GROUP BY bucket_hour)
GROUP BY bucket_day, orchestrator_address, gpu_id, gpu_model, pipeline, region, gateway,
         is_test_load
