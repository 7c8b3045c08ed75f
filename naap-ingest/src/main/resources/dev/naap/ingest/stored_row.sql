-- The stored event {id} as its readers see it (FINAL: the copy that writing it again leaves in
-- place), in the columns and the order of the ingest's own insert, so that it can be written again
-- as it is (EventWriter.writeAgain). Found by its key: no scan.
SELECT event_id, event_type, event_subtype, event_time, envelope_time, gateway, stream_id,
       request_id, pipeline, orchestrator_address, orchestrator_url, is_test_load, supported,
       payload, source, topic, partition, offset, ingested_at
FROM raw_events FINAL
WHERE event_id = {id:String}
