-- Demand per bucket and group from demand_hour: per hour first (the group's rows summed, their
-- per-minute concurrency added minute by minute), then per bucket, so that the peak is the
-- largest per-minute sum.
    SELECT window_start, ${keys}
           sum(requested) AS d_requested, sum(started) AS d_started, sum(unmet) AS d_unmet,
           sum(seconds) AS d_seconds, max(arrayMax(concurrent)) AS d_peak
    FROM
    (
        SELECT toInt64(toUnixTimestamp(${window})) AS window_start, bucket_hour, ${keys}
               sum(sessions_requested) AS requested, sum(sessions_started) AS started,
               sum(sessions_no_orchestrator) AS unmet, sum(stream_seconds) AS seconds,
               sumForEach(concurrent_by_minute) AS concurrent
        FROM demand_hour
        WHERE bucket_hour >= toDateTime({from:Int64}, 'UTC')
          AND bucket_hour < toDateTime({to:Int64}, 'UTC')
          AND (bucket_hour, computed_at) IN
              (SELECT bucket_hour, max(computed_at) FROM demand_hour
               WHERE bucket_hour >= toDateTime({from:Int64}, 'UTC')
                 AND bucket_hour < toDateTime({to:Int64}, 'UTC')
               GROUP BY bucket_hour)
          AND (NOT is_test_load OR {include_test_load:Bool})
          ${filters}
        GROUP BY window_start, bucket_hour ${group}
    )
    GROUP BY window_start ${group}
