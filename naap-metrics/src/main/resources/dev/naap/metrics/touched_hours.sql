-- Every hour the given sessions count in, in any computed version: a session whose hour moved
-- must leave its old hour too. Hours before the retention horizon stay as they are: their raw
-- events and segments are gone, so a late event there cannot recompute them whole.
SELECT DISTINCT toUnixTimestamp(bucket_hour) AS hour_s
FROM segment_facts_keys
WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}
  AND bucket_hour >= (SELECT max(horizon) FROM retention_horizon)
