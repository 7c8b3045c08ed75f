-- Every minute the given sessions' time [first event, last event] covers, in any computed version:
-- the minutes of rollup_minute and demand_minute they count in, now or before. Minutes before the
-- retention horizon stay as they are (see touched_hours.sql).
SELECT DISTINCT minute AS minute_s
FROM segment_facts_keys
ARRAY JOIN range(toInt64(toUnixTimestamp(toStartOfMinute(session_start))),
                 toInt64(toUnixTimestamp(toStartOfMinute(session_end))) + 1, 60) AS minute
WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}
  AND minute >= toInt64(toUnixTimestamp((SELECT max(horizon) FROM retention_horizon)))
