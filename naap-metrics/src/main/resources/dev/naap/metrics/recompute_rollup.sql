-- Recomputes whole buckets of rollup_hour or rollup_minute (hours or minutes, as epoch seconds in
-- {buckets}) from the current segments, as version {version_us} (µs since the epoch); the table
-- and the bucket of a segment row are filled in by the Refresher. Columns go in by position;
-- aliases only name them for a reader (and must not shadow a source column that another
-- aggregate reads). FPS quantiles merge each segment's own samples (fps_values).
-- {hours} are the hours of {buckets}.
INSERT INTO ${rollup}
SELECT ${bucket} AS bucket_start,
       orchestrator_address,
       gpu_id,
       gpu_model,
       pipeline,
       ifNull(region, '') AS region,
       gateway,
       is_test_load,
       countIf(segment_index <= 1 AND request_time IS NOT NULL)         AS sessions_requested,
       countIf(segment_index <= 1 AND reached_first_frame)              AS sessions_started,
       countIf(segment_index <= 1 AND no_orchestrator)                  AS sessions_no_orchestrator,
       countIf(segment_index >= 1)                                      AS segments,
       countIf(failed)                                                  AS failed_segments,
       countIf(compliant)                                               AS compliant_segments,
       countIf(segment_index >= 1 AND failed)                           AS violations_failure,
       countIf(violates_ptff)                                           AS violations_ptff,
       countIf(violates_fps)                                            AS violations_fps,
       countIf(violates_jitter)                                         AS violations_jitter,
       sum(fps_samples)                                                 AS fps_samples_total,
       sum(if(fps_samples > 0, fps_mean * fps_samples, 0))              AS fps_sample_sum,
       sum(arrayCount(x -> x >= 20, fps_values))                        AS fps_samples_20plus,
       quantilesTDigestArrayState(0.05, 0.5, 0.95)(fps_values)          AS fps_quantiles_state,
       quantilesTDigestStateIf(0.5, 0.95, 0.99)(assumeNotNull(ptff_ms), ptff_ms IS NOT NULL)
                                                                        AS ptff_ms_state,
       sumIf(assumeNotNull(ptff_ms), ptff_ms IS NOT NULL)               AS ptff_ms_sum,
       countIf(ptff_ms IS NOT NULL)                                     AS ptff_ms_count,
       sumIf(assumeNotNull(jitter_coefficient), jitter_coefficient IS NOT NULL)
                                                                        AS jitter_sum,
       countIf(jitter_coefficient IS NOT NULL)                          AS jitter_count,
       quantileTDigestStateIf(0.95)(assumeNotNull(jitter_coefficient),
                                    jitter_coefficient IS NOT NULL)     AS jitter_state,
       sumIf(assumeNotNull(up_kbps), up_kbps IS NOT NULL AND segment_index <= 1)
                                                                        AS up_kbps_sum,
       sumIf(assumeNotNull(down_kbps), down_kbps IS NOT NULL AND segment_index <= 1)
                                                                        AS down_kbps_sum,
       countIf(up_kbps IS NOT NULL AND segment_index <= 1)              AS bandwidth_count,
       countIf(violates_startup)                                        AS violations_startup,
       quantilesTDigestStateIf(0.5, 0.95, 0.99)(assumeNotNull(orchestrator_startup_ms),
                                                orchestrator_startup_ms IS NOT NULL)
                                                                        AS startup_ms_state,
       sumIf(assumeNotNull(orchestrator_startup_ms), orchestrator_startup_ms IS NOT NULL)
                                                                        AS startup_ms_sum,
       countIf(orchestrator_startup_ms IS NOT NULL)                     AS startup_ms_count,
       quantilesTDigestStateIf(0.5, 0.95, 0.99)(assumeNotNull(selection_wait_ms),
                                                selection_wait_ms IS NOT NULL)
                                                                        AS selection_wait_ms_state,
       sumIf(assumeNotNull(selection_wait_ms), selection_wait_ms IS NOT NULL)
                                                                        AS selection_wait_ms_sum,
       countIf(selection_wait_ms IS NOT NULL)                           AS selection_wait_ms_count,
       countIf(segment_index >= 1 AND gpu_resolution = 'reported')      AS gpu_reported,
       countIf(segment_index >= 1 AND gpu_resolution = 'capabilities')  AS gpu_capabilities,
       countIf(segment_index >= 1 AND gpu_resolution = 'metadata')      AS gpu_metadata,
       countIf(segment_index >= 1 AND gpu_resolution = 'ambiguous')     AS gpu_ambiguous,
       countIf(segment_index >= 1 AND gpu_resolution = 'stale')         AS gpu_stale,
       countIf(segment_index >= 1 AND gpu_resolution = 'unknown')       AS gpu_unknown,
       -- the reliability breakdown (V130): excuses are exclusive, client gone first
       countIf(segment_index >= 1 AND first_ingest_time IS NOT NULL)    AS ingest_segments,
       countIf(segment_index >= 1 AND swapped_out)                      AS swapped_segments,
       countIf(segment_index >= 1 AND swapped_out AND no_orchestrator AND last_in_session)
                                                                        AS lost_after_swap,
       countIf(failed AND last_in_session AND client_gone)              AS failed_client_gone,
       countIf(failed AND NOT (last_in_session AND client_gone) AND no_orchestrator AND no_output
               AND NOT (saw_error_state OR saw_restart OR saw_last_error))
                                                                        AS failed_no_capacity,
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')              AS computed_at
FROM segment_facts_current
WHERE toUnixTimestamp(bucket_hour) IN {hours:Array(Int64)}
      -- the primary key: only these hours are read
  AND toUnixTimestamp(${bucket}) IN {buckets:Array(Int64)}
GROUP BY bucket_start, orchestrator_address, gpu_id, gpu_model, pipeline, region, gateway,
         is_test_load
