-- Recomputes whole buckets of rollup_hour or rollup_minute (hours or minutes, as epoch seconds in
-- {buckets}) from the current segments, as version {version_us} (µs since the epoch); the table
-- and the bucket of a segment row are filled in by the Refresher. Columns go in by position;
-- aliases only name them for a reader (and must not shadow a source column that another
-- aggregate reads).
INSERT INTO ${rollup}
SELECT ${bucket} AS bucket_start,
       orchestrator_address,
       gpu_id,
       gpu_model,
       pipeline,
       ifNull(region, '') AS region,
       gateway,
       is_test_load,
       countIf(segment_index <= 1 AND request_time IS NOT NULL)                AS sessions_requested,
       countIf(segment_index <= 1 AND reached_first_frame)                     AS sessions_started,
       countIf(segment_index <= 1 AND no_orchestrator)                         AS sessions_no_orchestrator,
       countIf(segment_index >= 1)                                             AS segments,
       countIf(failed)                                                         AS failed_segments,
       countIf(compliant)                                                      AS compliant_segments,
       countIf(segment_index >= 1 AND failed)                                  AS violations_failure,
       countIf(violates_ptff)                                                  AS violations_ptff,
       countIf(violates_fps)                                                   AS violations_fps,
       countIf(violates_jitter)                                                AS violations_jitter,
       sum(fps_samples)                                                        AS fps_samples_total,
       sum(if(fps_samples > 0, fps_mean * fps_samples, 0))                     AS fps_sample_sum,
       sum(arrayCount(x -> x >= 20, samples))                                  AS fps_samples_20plus,
       quantilesTDigestArrayState(0.05, 0.5, 0.95)(samples)                    AS fps_quantiles_state,
       quantilesTDigestStateIf(0.5, 0.95, 0.99)(assumeNotNull(ptff_ms), ptff_ms IS NOT NULL) AS ptff_ms_state,
       sumIf(assumeNotNull(ptff_ms), ptff_ms IS NOT NULL)                      AS ptff_ms_sum,
       countIf(ptff_ms IS NOT NULL)                                            AS ptff_ms_count,
       sumIf(assumeNotNull(jitter_coefficient), jitter_coefficient IS NOT NULL) AS jitter_sum,
       countIf(jitter_coefficient IS NOT NULL)                                 AS jitter_count,
       quantileTDigestStateIf(0.95)(assumeNotNull(jitter_coefficient), jitter_coefficient IS NOT NULL) AS jitter_state,
       sumIf(assumeNotNull(up_kbps), up_kbps IS NOT NULL AND segment_index <= 1)     AS up_kbps_sum,
       sumIf(assumeNotNull(down_kbps), down_kbps IS NOT NULL AND segment_index <= 1) AS down_kbps_sum,
       countIf(up_kbps IS NOT NULL AND segment_index <= 1)                     AS bandwidth_count,
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')                                      AS computed_at
FROM segment_facts_current AS f
LEFT JOIN
(
    -- The FPS samples of the segments in these hours.
    SELECT stream_id, request_id, orchestrator_address, groupArray(assumeNotNull(output_fps)) AS samples
    FROM ai_stream_status_events FINAL
    WHERE output_fps > 0
      AND (stream_id, request_id) IN (SELECT stream_id, request_id FROM segment_facts_current
                                      WHERE toUnixTimestamp(${bucket}) IN {buckets:Array(Int64)})
    GROUP BY stream_id, request_id, orchestrator_address
) AS p USING (stream_id, request_id, orchestrator_address)
WHERE toUnixTimestamp(${bucket}) IN {buckets:Array(Int64)}
GROUP BY bucket_start, orchestrator_address, gpu_id, gpu_model, pipeline, region, gateway, is_test_load
