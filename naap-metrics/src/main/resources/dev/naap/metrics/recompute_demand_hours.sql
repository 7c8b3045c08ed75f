-- Recomputes whole hours of demand_hour (epoch seconds in {hours}) from the latest computation of
-- each of their minutes in demand_minute, as version {version_us} (µs since the epoch).
INSERT INTO demand_hour
SELECT toStartOfHour(bucket_minute) AS bucket_hour, gateway, pipeline, region, is_test_load,
       sum(sessions_requested), sum(sessions_started), sum(sessions_no_orchestrator),
       sum(stream_seconds),
       sumForEach(arrayMap(i -> if(i = toMinute(bucket_minute), concurrent_streams, 0), range(60))),
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')
FROM demand_minute
WHERE toUnixTimestamp(toStartOfHour(bucket_minute)) IN {hours:Array(Int64)}
  AND (bucket_minute, computed_at) IN
      (SELECT bucket_minute, max(computed_at) FROM demand_minute
       WHERE toUnixTimestamp(toStartOfHour(bucket_minute)) IN {hours:Array(Int64)}
       GROUP BY bucket_minute)
GROUP BY bucket_hour, gateway, pipeline, region, is_test_load
