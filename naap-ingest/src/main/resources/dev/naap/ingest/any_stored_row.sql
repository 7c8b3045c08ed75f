-- One stored event, as its readers see it (FINAL: the copy that writing it again leaves in place),
-- in the columns and the order of the ingest's own insert, so that it can be written again as it
-- is (EventWriter.writeAgain). Found by its key, among the events not refused: a refused insert
-- may have left its row (docs/STORE.md), and writing that again would be refused as well.
SELECT event_id, event_type, event_subtype, event_time, envelope_time, gateway, stream_id,
       request_id, pipeline, orchestrator_address, orchestrator_url, is_test_load, supported,
       payload, source, topic, partition, offset, ingested_at
FROM raw_events FINAL
WHERE event_id = (
    SELECT event_id
    FROM raw_events
    WHERE event_id NOT IN {refused:Array(String)}
      AND event_id NOT IN (SELECT JSONExtractString(payload, 'id') FROM rejected_events
                           WHERE reason = 'store_error')
    LIMIT 1)
