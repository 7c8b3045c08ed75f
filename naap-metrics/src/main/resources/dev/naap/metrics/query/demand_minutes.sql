-- Demand per bucket and group from demand_minute: per minute first (the group's rows summed),
-- then per bucket, so that the peak is the largest per-minute sum.
    SELECT window_start, ${keys}
           sum(requested) AS d_requested, sum(started) AS d_started, sum(unmet) AS d_unmet,
           sum(seconds) AS d_seconds, max(concurrent) AS d_peak
    FROM
    (
        SELECT toInt64(toUnixTimestamp(${window})) AS window_start, bucket_minute, ${keys}
               sum(sessions_requested) AS requested, sum(sessions_started) AS started,
               sum(sessions_no_orchestrator) AS unmet, sum(stream_seconds) AS seconds,
               sum(concurrent_streams) AS concurrent
        FROM demand_minute
        WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC')
          AND bucket_minute < toDateTime({to:Int64}, 'UTC')
          AND (bucket_minute, computed_at) IN
              (SELECT bucket_minute, max(computed_at) FROM demand_minute
               WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC')
                 AND bucket_minute < toDateTime({to:Int64}, 'UTC')
               GROUP BY bucket_minute)
          AND (NOT is_test_load OR {include_test_load:Bool})
          ${filters}
        GROUP BY window_start, bucket_minute ${group}
    )
    GROUP BY window_start ${group}
