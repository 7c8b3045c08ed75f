-- Every minute the given sessions' time [first event, last event] covers, in any computed version:
-- the minutes of rollup_minute and demand_minute they count in, now or before.
SELECT DISTINCT arrayJoin(range(toInt64(toUnixTimestamp(toStartOfMinute(session_start))),
                                toInt64(toUnixTimestamp(toStartOfMinute(session_end))) + 1, 60))
       AS minute_s
FROM segment_facts_keys
WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}
