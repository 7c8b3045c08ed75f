-- The capability snapshots the GPU attribution of the given sessions' segments can use (V153,
-- segment_gpus): from the snapshot maximum age before the first segment's start to the last
-- segment's end, in epoch ms. A snapshot older than that is stale for every one of them, and
-- node_gpu_first_listed tells it from none; a newer one is after every segment's end. No row when
-- the sessions have no segment with a time (one without resolves no snapshot anyway).
SELECT toUnixTimestamp64Milli(min(segment_start))
           - (SELECT toInt64(argMax(value, updated_at) * 1000) FROM metric_settings
              WHERE name = 'gpu_snapshot_max_age_seconds') AS from_ms,
       toUnixTimestamp64Milli(max(segment_end)) AS to_ms
FROM segments
WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}
HAVING min(segment_start) IS NOT NULL AND max(segment_end) IS NOT NULL
