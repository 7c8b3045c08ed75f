-- Scraped metadata versions open on a change of what an orchestrator is, no longer of how busy it
-- is (docs/SCRAPER.md, "Versioning rule"). When only its models' idle and busy containers changed,
-- the scraper rewrites the open version in place and adds a load reading. identity_hash is the hash
-- that decides; a version written before this migration has '' and is compared by its
-- content_hash. On a busy real network capacity in use changes between most scrapes, so versions
-- piled up with time, and the refresh, which reads every version for GPU and region attribution,
-- slowed down with them.
ALTER TABLE orchestrator_versions ADD COLUMN IF NOT EXISTS identity_hash String DEFAULT ''
    AFTER content_hash;
ALTER TABLE registered_orchestrator_versions ADD COLUMN IF NOT EXISTS identity_hash String
    DEFAULT '' AFTER content_hash;

-- Each model's idle and busy containers, whenever a source's answer for the orchestrator changed
-- (a new version, or one rewritten in place): the load history, which only the time-travel view
-- below reads. Under the `load_readings` retention.
CREATE TABLE IF NOT EXISTS orchestrator_load_readings
(
    source          String,
    orch_uri        String,
    observed_at     DateTime64(3, 'UTC'),
    capability      Int32,
    model_id        String,
    capacity_idle   UInt64,
    capacity_in_use UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (source, orch_uri, capability, model_id, observed_at);

-- As V004's, with each model's containers as last read at or before {at} during the version (the
-- version's own, latest, values for versions written before V154, which have no readings).
CREATE OR REPLACE VIEW orchestrator_models_at AS
SELECT v.source AS source, v.orch_uri AS orch_uri, v.address AS address,
       v.local_address AS local_address, v.valid_from AS valid_from, v.valid_to AS valid_to,
       m.capability AS capability, m.capability_name AS capability_name, m.model_id AS model_id,
       m.warm AS warm,
       if(r.read_at >= v.valid_from, r.idle, m.capacity_idle) AS capacity_idle,
       if(r.read_at >= v.valid_from, r.in_use, m.capacity_in_use) AS capacity_in_use,
       m.runner_version AS runner_version
FROM orchestrator_version_models AS m FINAL
INNER JOIN
(
    SELECT source, orch_uri, address, local_address, valid_from, valid_to
    FROM orchestrator_versions FINAL
    WHERE valid_from <= {at:DateTime64(3, 'UTC')}
      AND (valid_to IS NULL OR valid_to > {at:DateTime64(3, 'UTC')})
    ORDER BY source, orch_uri, valid_from DESC
    LIMIT 1 BY source, orch_uri
) AS v ON m.source = v.source AND m.orch_uri = v.orch_uri AND m.valid_from = v.valid_from
LEFT JOIN
(
    SELECT source, orch_uri, capability, model_id, max(observed_at) AS read_at,
           argMax(capacity_idle, observed_at) AS idle,
           argMax(capacity_in_use, observed_at) AS in_use
    FROM orchestrator_load_readings
    WHERE observed_at <= {at:DateTime64(3, 'UTC')}
    GROUP BY source, orch_uri, capability, model_id
) AS r ON r.source = m.source AND r.orch_uri = m.orch_uri AND r.capability = m.capability
          AND r.model_id = m.model_id;
