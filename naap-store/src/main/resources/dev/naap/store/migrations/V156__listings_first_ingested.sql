-- When each node (its URL) and each on-chain address was first listed in a capability snapshot, by
-- the time the snapshot was ingested, so that the refresh also recomputes the fee minutes of
-- payments computed before their node was listed (docs/METRICS.md, "Fees": a payment's
-- orchestrator is its node's signer in the capabilities, else its recipient's, else the
-- recipient). One row per node and address once merged: a small table, read whole.
CREATE TABLE IF NOT EXISTS listings_first_ingested
(
    kind           LowCardinality(String),   -- node (normalized URL) or address (on-chain)
    listed         String,
    first_ingested SimpleAggregateFunction(min, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (kind, listed);

CREATE MATERIALIZED VIEW IF NOT EXISTS listings_first_ingested_mv TO listings_first_ingested AS
SELECT kind, listed, min(ingested_at) AS first_ingested
FROM
(
    SELECT ingested_at, arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch
    FROM raw_events
    WHERE event_type = 'network_capabilities'
)
ARRAY JOIN ['node', 'address'] AS kind,
           [replaceRegexpOne(lower(JSONExtractString(orch, 'orch_uri')), '/+$', ''),
            lower(JSONExtractString(orch, 'address'))] AS listed
WHERE listed != ''
GROUP BY kind, listed;

-- The listings already stored, by the time they were listed: before the refresh's watermark, so
-- none of them counts as new.
INSERT INTO listings_first_ingested
SELECT kind, listed, min(event_time) AS first_ingested
FROM network_capability_models
ARRAY JOIN ['node', 'address'] AS kind,
           [replaceRegexpOne(lower(orch_uri), '/+$', ''), address] AS listed
WHERE listed != ''
GROUP BY kind, listed;
