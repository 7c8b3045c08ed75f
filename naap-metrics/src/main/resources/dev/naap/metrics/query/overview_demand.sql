-- Demand headlines over one period, by position: stream-minutes and the sessions that started in
-- the period; then the most streams overlapping one minute of the last {active_minutes} minutes
-- before {to}, and the minutes of that window with data.
WITH period_rows AS
(
    SELECT * FROM demand_minute
    WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') AND bucket_minute < toDateTime({to:Int64}, 'UTC')
      AND (bucket_minute, computed_at) IN
          (SELECT bucket_minute, max(computed_at) FROM demand_minute
           WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') AND bucket_minute < toDateTime({to:Int64}, 'UTC')
           GROUP BY bucket_minute)
      AND (NOT is_test_load OR {include_test_load:Bool})
      ${filters}
),
per_minute AS
(
    SELECT bucket_minute, sum(concurrent_streams) AS streams FROM period_rows
    WHERE bucket_minute >= toDateTime({to:Int64} - 60 * {active_minutes:Int64}, 'UTC')
    GROUP BY bucket_minute
)
SELECT (SELECT sum(stream_seconds) / 60 FROM period_rows),
       (SELECT sum(sessions_requested) FROM period_rows),
       (SELECT max(streams) FROM per_minute),
       (SELECT count() FROM per_minute)
