-- The network's health over the last hour of minute rollups, production traffic only (test load
-- excluded): segments, the share of them attributed to a GPU, sessions requested and those that
-- found no orchestrator. The latest computation of each minute counts.
SELECT
    (SELECT sum(segments)
     FROM rollup_minute
     WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') AND NOT is_test_load
       AND (bucket_minute, computed_at) IN
           (SELECT bucket_minute, max(computed_at) FROM rollup_minute
            WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC')
            GROUP BY bucket_minute)) AS segments,
    (SELECT sumIf(segments, gpu_id != '')
     FROM rollup_minute
     WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') AND NOT is_test_load
       AND (bucket_minute, computed_at) IN
           (SELECT bucket_minute, max(computed_at) FROM rollup_minute
            WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC')
            GROUP BY bucket_minute)) AS attributed,
    (SELECT sum(sessions_requested)
     FROM demand_minute
     WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') AND NOT is_test_load
       AND (bucket_minute, computed_at) IN
           (SELECT bucket_minute, max(computed_at) FROM demand_minute
            WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC')
            GROUP BY bucket_minute)) AS requested,
    (SELECT sum(sessions_no_orchestrator)
     FROM demand_minute
     WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') AND NOT is_test_load
       AND (bucket_minute, computed_at) IN
           (SELECT bucket_minute, max(computed_at) FROM demand_minute
            WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC')
            GROUP BY bucket_minute)) AS unserved
