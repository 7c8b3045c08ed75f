-- SLA compliance per orchestrator over the last hour of minute rollups, production traffic only:
-- eligible and compliant segments (docs/METRICS.md, "SLA compliance"). The latest computation of
-- each minute counts; the busiest orchestrators first, at most {limit} of them.
SELECT orchestrator_address, sum(segments) AS eligible, sum(compliant_segments) AS compliant
FROM rollup_minute
WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') AND NOT is_test_load
  AND orchestrator_address != ''
  AND (bucket_minute, computed_at) IN
      (SELECT bucket_minute, max(computed_at) FROM rollup_minute
       WHERE bucket_minute >= toDateTime({from:Int64}, 'UTC') GROUP BY bucket_minute)
GROUP BY orchestrator_address
HAVING eligible > 0
ORDER BY eligible DESC, orchestrator_address
LIMIT {limit:UInt64}
