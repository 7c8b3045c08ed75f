-- The reliability breakdown per group over the whole range (docs/METRICS.md, "Reliability
-- breakdown"), each rate with the count it rests on. Degraded hours compare each hour's output
-- FPS mean with the group's hour just before (read from {h_from}, an hour before the range).
-- Measures are aliased m_<column>; results are read by position.
WITH
hourly AS
(
    SELECT bucket_hour, ${keys} sum(fps_sample_sum) / sum(fps_samples) AS fps
    FROM (${hour_rows})
    WHERE orchestrator_address != '' AND fps_samples > 0
    GROUP BY bucket_hour${group}
),
degraded AS
(
    SELECT ${keys}
           countIf(follows AND in_range)                         AS compared,
           countIf(follows AND in_range AND fps <= 0.8 * prev_fps) AS degraded
    FROM
    (
        SELECT *, lagInFrame(bucket_hour) OVER w = bucket_hour - INTERVAL 1 HOUR AS follows,
               lagInFrame(fps) OVER w AS prev_fps,
               bucket_hour >= toDateTime({from:Int64}, 'UTC') AS in_range
        FROM hourly
        WINDOW w AS (PARTITION BY ${group_only} ORDER BY bucket_hour
                     ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
    )
    GROUP BY ${group_only}
),
totals AS
(
    SELECT ${keys}
           sum(segments)                                         AS n,
           sum(ingest_segments)                                  AS attempts,
           -- rows computed before V130 have no attempts: their startups count neither way
           sum(least(startup_ms_count, ingest_segments))         AS started,
           sum(swapped_segments)                                 AS swapped,
           sum(lost_after_swap)                                  AS lost,
           sum(failed_segments)                                  AS failed,
           sum(failed_client_gone)                               AS client_gone,
           sum(failed_no_capacity)                               AS no_capacity
    FROM (${rows})
    WHERE orchestrator_address != '' AND segments > 0
    GROUP BY ${group_only}
)
SELECT ${keys}
       n                                                         AS m_segments,
       attempts                                                  AS m_startup_attempts,
       started                                                   AS m_startups_succeeded,
       if(attempts > 0, started / attempts, NULL)                AS m_startup_success_rate,
       swapped                                                   AS m_swapped_segments,
       if(n > 0, swapped / n, NULL)                              AS m_swap_rate,
       lost                                                      AS m_sessions_lost_after_swap,
       if(swapped > 0, lost / swapped, NULL)                     AS m_lost_after_swap_rate,
       failed                                                    AS m_failed_segments,
       failed - client_gone - no_capacity                        AS m_failed_orchestrator,
       client_gone                                               AS m_failed_client_gone,
       no_capacity                                               AS m_failed_no_capacity,
       if(n > 0, m_failed_orchestrator / n, NULL)                AS m_orchestrator_failure_rate,
       if(n > 0, (client_gone + no_capacity) / n, NULL)          AS m_excused_failure_rate,
       coalesce(d.compared, 0)                                   AS m_fps_compared_hours,
       coalesce(d.degraded, 0)                                   AS m_degraded_hours,
       if(m_fps_compared_hours > 0, m_degraded_hours / m_fps_compared_hours, NULL)
                                                                 AS m_degraded_rate
FROM totals
LEFT JOIN degraded AS d USING (${group_only})
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
SETTINGS join_use_nulls = 1
