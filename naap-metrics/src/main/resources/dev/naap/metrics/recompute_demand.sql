-- Recomputes whole minutes of demand_minute (epoch seconds in {minutes}) from the current
-- sessions, as version {version_us} (µs since the epoch). Each session counts once, on its first
-- row (segment 1, or 0 when it reached no orchestrator), over its time [first event, last event].
INSERT INTO demand_minute
SELECT toDateTime(minute, 'UTC')                                        AS bucket_minute,
       gateway,
       pipeline,
       ifNull(region, '')                                               AS region,
       is_test_load,
       countIf(request_time IS NOT NULL AND minute = first_minute)      AS sessions_requested,
       countIf(reached_first_frame AND minute = first_minute)           AS sessions_started,
       countIf(no_orchestrator AND minute = first_minute)               AS sessions_no_orchestrator,
       sum((least(end_ms, (minute + 60) * 1000) - greatest(start_ms, minute * 1000)) / 1000)
                                                                        AS stream_seconds,
       count()                                                          AS concurrent_streams,
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')              AS computed_at
FROM
(
    SELECT *,
           toUnixTimestamp64Milli(session_start)                        AS start_ms,
           toUnixTimestamp64Milli(session_end)                          AS end_ms,
           toInt64(toUnixTimestamp(toStartOfMinute(session_start)))     AS first_minute,
           arrayJoin(arrayFilter(m -> has({minutes:Array(Int64)}, m),
               range(first_minute, toInt64(toUnixTimestamp(toStartOfMinute(session_end))) + 1, 60)))
                                                                        AS minute
    FROM segment_facts_current
    WHERE segment_index <= 1
      AND session_end >= toDateTime(arrayMin({minutes:Array(Int64)}), 'UTC')
      AND session_start < toDateTime(arrayMax({minutes:Array(Int64)}) + 60, 'UTC')
)
GROUP BY minute, gateway, pipeline, region, is_test_load
