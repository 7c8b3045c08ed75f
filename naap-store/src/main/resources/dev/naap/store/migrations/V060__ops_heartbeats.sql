-- Operational heartbeats (docs/OPERATIONS.md, "The Operations view"): every NaaP process writes,
-- every 15 s, a snapshot of its own naap_* Prometheus samples, so that the API can show operators
-- the health of processes it does not share memory with (ingest rate and lag, refresh, scraper,
-- load tester). Keys are Prometheus sample names with their labels, e.g.
-- naap_ingest_rejected_total{reason="bad_json"}. Kept 2 days; the view reads the last minutes.
CREATE TABLE IF NOT EXISTS ops_heartbeats
(
    component   LowCardinality(String),
    instance    String,
    at          DateTime64(3, 'UTC'),
    samples     Map(String, Float64)
)
ENGINE = MergeTree
ORDER BY (component, instance, at)
TTL toDateTime(at) + INTERVAL 2 DAY;
