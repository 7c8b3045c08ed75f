-- The materialized view of the peer path: each message becomes a raw_events row, with the columns
-- NaaP's parser fills, extracted with ClickHouse's JSON functions (no validation, no quarantine:
-- a malformed message is an empty row or stops the consumer). The family views on raw_events then
-- run as they do for NaaP's inserts.
CREATE MATERIALIZED VIEW bench_engine_view TO raw_events AS
WITH toInt64OrZero(trim(BOTH '"' FROM JSONExtractRaw(raw, 'timestamp'))) AS envelope_ms,
     JSONExtractInt(raw, 'data', 'timestamp') AS data_ms
SELECT JSONExtractString(raw, 'id') AS event_id,
       JSONExtractString(raw, 'type') AS event_type,
       JSONExtractString(raw, 'data', 'type') AS event_subtype,
       fromUnixTimestamp64Milli(if(data_ms > 0, data_ms, envelope_ms), 'UTC') AS event_time,
       fromUnixTimestamp64Milli(envelope_ms, 'UTC') AS envelope_time,
       JSONExtractString(raw, 'gateway') AS gateway,
       JSONExtractString(raw, 'data', 'stream_id') AS stream_id,
       JSONExtractString(raw, 'data', 'request_id') AS request_id,
       JSONExtractString(raw, 'data', 'pipeline') AS pipeline,
       lower(JSONExtractString(raw, 'data', 'orchestrator_info', 'address'))
           AS orchestrator_address,
       JSONExtractString(raw, 'data', 'orchestrator_info', 'url') AS orchestrator_url,
       JSONExtractBool(raw, 'data', 'is_test_load') AS is_test_load,
       true AS supported,
       raw AS payload,
       'kafka-engine' AS source,
       _topic AS topic,
       toInt32(_partition) AS partition,
       toInt64(_offset) AS offset,
       now64(3, 'UTC') AS ingested_at
FROM bench_engine_queue
