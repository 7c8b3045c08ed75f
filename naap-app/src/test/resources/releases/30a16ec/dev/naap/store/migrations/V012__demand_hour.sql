-- Hourly demand (docs/METRICS.md, "Minute rollups and demand"): demand_minute summed per hour, with
-- each minute's concurrent streams kept as a 60-element array, so that the peak over any grouping
-- (sumForEach, then arrayMax) stays exact while 1h and 1d queries read 60 times fewer rows. The
-- refresh (naap-metrics Refresher) recomputes, whole, every hour of the minutes it recomputed,
-- from the latest computation of each minute, under the same version computed_at.
CREATE TABLE IF NOT EXISTS demand_hour
(
    bucket_hour              DateTime('UTC'),
    gateway                  LowCardinality(String),
    pipeline                 LowCardinality(String),
    region                   LowCardinality(String),
    is_test_load             Bool,
    sessions_requested       UInt64,
    sessions_started         UInt64,
    sessions_no_orchestrator UInt64,
    stream_seconds           Float64,
    concurrent_by_minute     Array(UInt64),
    computed_at              DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (bucket_hour, gateway, pipeline, region, is_test_load);

CREATE VIEW IF NOT EXISTS demand_hour_current AS
SELECT *
FROM demand_hour
WHERE (bucket_hour, computed_at) IN (SELECT bucket_hour, max(computed_at) FROM demand_hour GROUP BY bucket_hour);

-- The hours of the minutes computed before this table existed, as the version of their newest
-- minute (a second run inserts the same rows, which collapse).
INSERT INTO demand_hour
SELECT toStartOfHour(bucket_minute) AS bucket_hour, gateway, pipeline, region, is_test_load,
       sum(sessions_requested), sum(sessions_started), sum(sessions_no_orchestrator), sum(stream_seconds),
       sumForEach(arrayMap(i -> if(i = toMinute(bucket_minute), concurrent_streams, 0), range(60))),
       any(max_version)
FROM
(
    SELECT *, max(computed_at) OVER (PARTITION BY toStartOfHour(bucket_minute)) AS max_version
    FROM demand_minute
    WHERE (bucket_minute, computed_at) IN (SELECT bucket_minute, max(computed_at) FROM demand_minute GROUP BY bucket_minute)
)
GROUP BY bucket_hour, gateway, pipeline, region, is_test_load;
