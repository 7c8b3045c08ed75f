-- Demand headlines of both periods, [{from}, {start}) the previous and [{start}, {to}) the current,
-- in one pass per minute: one row per period with data (is_current), holding its stream-minutes
-- and the sessions that started in it; then the most streams overlapping one minute of the last
-- {active_minutes} minutes before its end, and the minutes of that window with data.
SELECT is_current,
       sum(seconds) / 60 AS stream_minutes,
       sum(requested) AS n_requested,
       maxIf(streams, bucket_minute >= period_end - 60 * {active_minutes:Int64}) AS active_streams,
       countIf(bucket_minute >= period_end - 60 * {active_minutes:Int64}) AS active_minutes_seen
FROM
(
    SELECT bucket_minute, sum(stream_seconds) AS seconds, sum(sessions_requested) AS requested,
           sum(concurrent_streams) AS streams,
           bucket_minute >= toDateTime({start:Int64}, 'UTC') AS is_current,
           toDateTime(if(is_current, {to:Int64}, {start:Int64}), 'UTC') AS period_end
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
GROUP BY is_current
