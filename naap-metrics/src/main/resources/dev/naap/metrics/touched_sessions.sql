-- The sessions that events ingested in (from, to] touched, in key order: a chunk of neighbouring
-- keys reads neighbouring granules of the tables sorted by session.
-- Base64 keeps any bytes of an id intact through TabSeparated output.
SELECT base64Encode(stream_id) AS stream_id_base64, base64Encode(request_id) AS request_id_base64
FROM session_touches
WHERE ingested_at > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
  AND ingested_at <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
GROUP BY stream_id, request_id
ORDER BY stream_id, request_id
