-- The rollup rows of the hours [{from}, {to}) (epoch seconds), without their bucket: the whole
-- days [{day_from}, {day_to}) from rollup_day, the hours before and after them from rollup_hour;
-- latest computed version of each bucket only, test load dropped unless asked for, the
-- query's filters applied. The two tables have the same columns in the same order.
SELECT * EXCEPT (bucket_hour)
FROM rollup_hour
WHERE ((bucket_hour >= toDateTime({from:Int64}, 'UTC')
        AND bucket_hour < toDateTime({day_from:Int64}, 'UTC'))
       OR (bucket_hour >= toDateTime({day_to:Int64}, 'UTC')
           AND bucket_hour < toDateTime({to:Int64}, 'UTC')))
  AND (bucket_hour, computed_at) IN
      (SELECT bucket_hour, max(computed_at) FROM rollup_hour
       WHERE (bucket_hour >= toDateTime({from:Int64}, 'UTC')
              AND bucket_hour < toDateTime({day_from:Int64}, 'UTC'))
          OR (bucket_hour >= toDateTime({day_to:Int64}, 'UTC')
              AND bucket_hour < toDateTime({to:Int64}, 'UTC'))
       GROUP BY bucket_hour)
  AND (NOT is_test_load OR {include_test_load:Bool})
  ${filters}
UNION ALL
SELECT * EXCEPT (bucket_day)
FROM rollup_day
WHERE bucket_day >= toDateTime({day_from:Int64}, 'UTC')
  AND bucket_day < toDateTime({day_to:Int64}, 'UTC')
  AND (bucket_day, computed_at) IN
      (SELECT bucket_day, max(computed_at) FROM rollup_day
       WHERE bucket_day >= toDateTime({day_from:Int64}, 'UTC')
         AND bucket_day < toDateTime({day_to:Int64}, 'UTC')
       GROUP BY bucket_day)
  AND (NOT is_test_load OR {include_test_load:Bool})
  ${filters}
