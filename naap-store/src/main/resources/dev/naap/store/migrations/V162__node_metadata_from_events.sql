-- Orchestrator metadata without the scraper (docs/METRICS.md, "Orchestrator metadata"): the latest
-- network_capabilities listing of each node (signer × service URI), what /v1/orchestrators falls
-- back on for a signer with no current scraped version. A row per node ever listed, so the API
-- reads a few rows, never the snapshots' history: the version column keeps the latest listing,
-- whatever order the snapshots arrive in.
--
-- What an entry tells, as the scraper reads it from /getNetworkCapabilities (the same shape):
-- orch_uri, address, version, capabilities.capacities["35"] (live-video slots), the default
-- price_info (NULL when absent; a member it omits is 0, protobuf's omitted zero, as the event
-- parser reads it), and the hardware's GPUs (id, name, memory; the id, not the key, tells them
-- apart).
-- Nothing tells a region. node_url is orch_uri lower-cased without trailing slashes, as
-- capability_prices and segments match nodes.
CREATE TABLE IF NOT EXISTS capability_node_latest
(
    local_address   String,
    node_url        String,
    listed_at       DateTime64(3, 'UTC'),
    event_id        String,
    gateway         LowCardinality(String),
    orch_uri        String,
    address         String,
    version         String,
    live_capacity   Nullable(UInt64),
    price_per_unit  Nullable(Int64),
    pixels_per_unit Nullable(Int64),
    gpus            Array(Tuple(id String, name String, memory_total_bytes Nullable(Int64)))
)
ENGINE = ReplacingMergeTree(listed_at)
ORDER BY (local_address, node_url);

CREATE MATERIALIZED VIEW IF NOT EXISTS capability_node_latest_mv TO capability_node_latest AS
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     lower(JSONExtractString(orch, 'local_address')) AS signer,
     replaceRegexpOne(lower(JSONExtractString(orch, 'orch_uri')), '/+$', '') AS node
SELECT signer AS local_address, node AS node_url, event_time AS listed_at, event_id, gateway,
       JSONExtractString(orch, 'orch_uri') AS orch_uri,
       lower(JSONExtractString(orch, 'address')) AS address,
       JSONExtractString(orch, 'capabilities', 'version') AS version,
       JSONExtract(orch, 'capabilities', 'capacities', '35', 'Nullable(UInt64)') AS live_capacity,
       if(JSONType(orch, 'price_info') = 'Object',
          JSONExtract(orch, 'price_info', 'pricePerUnit', 'Int64'), NULL) AS price_per_unit,
       if(JSONType(orch, 'price_info') = 'Object',
          JSONExtract(orch, 'price_info', 'pixelsPerUnit', 'Int64'), NULL) AS pixels_per_unit,
       arrayDistinct(arrayFilter(g -> g.1 != '', arrayFlatten(arrayMap(
           hw -> arrayMap(g -> (JSONExtractString(g.2, 'id'), JSONExtractString(g.2, 'name'),
                                JSONExtract(g.2, 'memory_total', 'Nullable(Int64)')),
                          JSONExtractKeysAndValuesRaw(hw, 'gpu_info')),
           JSONExtractArrayRaw(orch, 'hardware'))))) AS gpus
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events
      WHERE event_type = 'network_capabilities')
WHERE signer != '' AND node != '';

-- The snapshots already stored, after the view so that none is missed: one listed twice (here
-- and by the view, or delivered twice) collapses on the key.
INSERT INTO capability_node_latest
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     lower(JSONExtractString(orch, 'local_address')) AS signer,
     replaceRegexpOne(lower(JSONExtractString(orch, 'orch_uri')), '/+$', '') AS node
SELECT signer AS local_address, node AS node_url, event_time AS listed_at, event_id, gateway,
       JSONExtractString(orch, 'orch_uri') AS orch_uri,
       lower(JSONExtractString(orch, 'address')) AS address,
       JSONExtractString(orch, 'capabilities', 'version') AS version,
       JSONExtract(orch, 'capabilities', 'capacities', '35', 'Nullable(UInt64)') AS live_capacity,
       if(JSONType(orch, 'price_info') = 'Object',
          JSONExtract(orch, 'price_info', 'pricePerUnit', 'Int64'), NULL) AS price_per_unit,
       if(JSONType(orch, 'price_info') = 'Object',
          JSONExtract(orch, 'price_info', 'pixelsPerUnit', 'Int64'), NULL) AS pixels_per_unit,
       arrayDistinct(arrayFilter(g -> g.1 != '', arrayFlatten(arrayMap(
           hw -> arrayMap(g -> (JSONExtractString(g.2, 'id'), JSONExtractString(g.2, 'name'),
                                JSONExtract(g.2, 'memory_total', 'Nullable(Int64)')),
                          JSONExtractKeysAndValuesRaw(hw, 'gpu_info')),
           JSONExtractArrayRaw(orch, 'hardware'))))) AS gpus
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events
      WHERE event_type = 'network_capabilities')
WHERE signer != '' AND node != '';
