-- Demand headlines over one period: stream-minutes and the sessions that started in the period;
-- then the most streams overlapping one minute of the last {active_minutes} minutes before {to},
-- and the minutes of that window with data. One pass, per minute.
SELECT sum(seconds) / 60 AS stream_minutes,
       sum(requested) AS n_requested,
       maxIf(streams, bucket_minute >= toDateTime({to:Int64} - 60 * {active_minutes:Int64}, 'UTC'))
           AS active_streams,
       countIf(bucket_minute >= toDateTime({to:Int64} - 60 * {active_minutes:Int64}, 'UTC'))
           AS active_minutes_seen
FROM
(
    SELECT bucket_minute, sum(stream_seconds) AS seconds, sum(sessions_requested) AS requested,
           sum(concurrent_streams) AS streams
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
    GROUP BY bucket_minute
)
