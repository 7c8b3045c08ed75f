-- Every hour the given sessions count in, in any computed version: a session whose hour moved
-- must leave its old hour too.
SELECT DISTINCT toUnixTimestamp(bucket_hour) AS hour_s
FROM segment_facts_keys
WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}
