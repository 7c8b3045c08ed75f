-- Recomputes the given sessions from the events, as version {version_us} (µs since the epoch).
-- Columns go in by position: segment_facts_source's, then client_gone and last_in_session
-- (migration V130; the window sees every segment of a session, as sessions are computed whole),
-- computed_at and is_deleted (V132). The key filter reaches the family tables' primary keys
-- through the session views (V131); the snapshots the GPU attribution reads are limited to the
-- segments' time by the filter on node_gpu_listings (snapshot_window.sql, V153).
INSERT INTO segment_facts
SELECT f.*,
       toBool(coalesce(g.client_gone, false)) AS client_gone,
       toBool(f.segment_index = max(f.segment_index) OVER (PARTITION BY f.stream_id, f.request_id))
           AS last_in_session,
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC') AS computed_at,
       toUInt8(0) AS is_deleted
FROM (SELECT * FROM segment_facts_source
      WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}) AS f
LEFT JOIN (SELECT stream_id, request_id, client_gone FROM session_client_gone
           WHERE (stream_id, request_id) IN {keys:Array(Tuple(String, String))}) AS g
    ON g.stream_id = f.stream_id AND g.request_id = f.request_id
SETTINGS join_use_nulls = 1,
         additional_table_filters = {'node_gpu_listings': '${snapshots}'}
