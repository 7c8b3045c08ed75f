-- One row per network_capabilities snapshot (docs/METRICS.md, "Network demand"): the query layer
-- finds the snapshot in force for each bucket here instead of scanning every orchestrator and
-- model row of network_capability_models. Filled by a view on that table (one row per snapshot
-- and insert block; repeats collapse on the key), and once from what it already holds.
CREATE TABLE IF NOT EXISTS capability_snapshots
(
    event_id    String,
    event_time  DateTime64(3, 'UTC'),
    gateway     LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (event_time, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS capability_snapshots_mv TO capability_snapshots AS
SELECT event_id, any(event_time) AS event_time, any(gateway) AS gateway
FROM network_capability_models
GROUP BY event_id;

INSERT INTO capability_snapshots
SELECT event_id, any(event_time), any(gateway)
FROM network_capability_models
GROUP BY event_id;
