-- After recompute_segments: a deletion row, as version {version_us}, for every key (hour,
-- session, segment) that the given sessions had in an earlier version and no longer have, so
-- segment_facts FINAL leaves it out (V132). Read by session from segment_facts_keys.
INSERT INTO segment_facts (bucket_hour, stream_id, request_id, segment_index, session_start,
                           session_end, computed_at, is_deleted)
SELECT bucket_hour, stream_id, request_id, segment_index, any(session_start), any(session_end),
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC'), 1
FROM segment_facts_keys
WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}
GROUP BY bucket_hour, stream_id, request_id, segment_index
HAVING max(computed_at) < fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')
   AND argMax(is_deleted, computed_at) = 0
