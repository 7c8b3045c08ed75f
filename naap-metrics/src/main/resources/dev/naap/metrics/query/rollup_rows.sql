-- The rows of a rollup table (rollup_minute, rollup_hour or rollup_day) in the buckets
-- [{from}, {to}) (epoch seconds), latest computed version of each bucket only, test load dropped
-- unless asked for, the query's filters applied. No FINAL: one version holds each key once.
SELECT *
FROM ${rollup}
WHERE ${bucket} >= toDateTime({from:Int64}, 'UTC') AND ${bucket} < toDateTime({to:Int64}, 'UTC')
  AND (${bucket}, computed_at) IN
      (SELECT ${bucket}, max(computed_at) FROM ${rollup}
       WHERE ${bucket} >= toDateTime({from:Int64}, 'UTC')
         AND ${bucket} < toDateTime({to:Int64}, 'UTC')
       GROUP BY ${bucket})
  AND (NOT is_test_load OR {include_test_load:Bool})
  ${filters}
