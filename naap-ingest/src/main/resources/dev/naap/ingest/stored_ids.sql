-- Which of the given event ids are stored already. Base64 keeps ids with tabs, newlines or any
-- bytes intact through the text output.
SELECT base64Encode(event_id) AS event_id_base64
FROM raw_events
WHERE event_id IN {ids:Array(String)}
