-- Recomputes the given sessions from the events, as version {version_us} (µs since the epoch).
-- The key filter reaches the family tables' primary keys through the session views (V110).
INSERT INTO segment_facts
SELECT *, fromUnixTimestamp64Micro({version_us:Int64}, 'UTC') AS computed_at, toUInt8(0) AS is_deleted
FROM segment_facts_source
WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}
