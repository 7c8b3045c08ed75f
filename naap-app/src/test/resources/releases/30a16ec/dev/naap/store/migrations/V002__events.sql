-- The raw event log and the quarantine for what failed validation, written by naap-ingest.
--
-- Both are written in RowBinary (DateTime64(3) there is an Int64 of milliseconds), so payloads go
-- in as the original bytes with no escaping on either side.
--
-- Delivery from Kafka is at-least-once, so every table that holds events is a ReplacingMergeTree
-- keyed by the envelope id: a redelivered event collapses into the first at merge time, and every
-- reader that needs exact counts reads with FINAL (or through the *_final views below).

CREATE TABLE IF NOT EXISTS raw_events
(
    event_id             String,
    event_type           LowCardinality(String),
    event_subtype        LowCardinality(String),
    event_time           DateTime64(3, 'UTC'),
    envelope_time        DateTime64(3, 'UTC'),
    gateway              LowCardinality(String),
    stream_id            String,
    request_id           String,
    pipeline             LowCardinality(String),
    orchestrator_address LowCardinality(String),
    orchestrator_url     LowCardinality(String),
    is_test_load         Bool,
    supported            Bool,
    payload              String CODEC(LZ4), -- ZSTD costs ingest throughput; see docs/benchmarks.md
    source               LowCardinality(String),
    topic                LowCardinality(String),
    partition            Int32,
    offset               Int64,
    ingested_at          DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(envelope_time)
ORDER BY event_id;

-- One row per message that failed validation: the original bytes, the reason and where it came
-- from. Keyed by its coordinates, so a redelivered bad message is kept once.
CREATE TABLE IF NOT EXISTS rejected_events
(
    source         LowCardinality(String),
    topic          String,
    partition      Int32,
    offset         Int64,
    reason         LowCardinality(String),
    detail         String,
    payload_size   UInt64,
    payload        String CODEC(ZSTD(3)),
    rejected_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(rejected_at)
ORDER BY (source, topic, partition, offset);

CREATE VIEW IF NOT EXISTS raw_events_final AS SELECT * FROM raw_events FINAL;

CREATE VIEW IF NOT EXISTS rejected_events_final AS SELECT * FROM rejected_events FINAL;
