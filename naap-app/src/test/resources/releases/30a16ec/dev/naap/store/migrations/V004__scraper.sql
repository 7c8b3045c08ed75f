-- Orchestrator metadata scraper (naap-scraper, docs/SCRAPER.md).
--
-- Snapshots are time-versioned per (source, orchestrator): a version is valid from valid_from
-- (inclusive) to valid_to (exclusive; NULL while current). A new version is written only when the
-- content hash changes; closing a version re-inserts its row with valid_to set and a later
-- written_at, so every versioned table is read with FINAL (or through the views below).

CREATE TABLE IF NOT EXISTS scrape_runs
(
    run_id          String,
    started_at      DateTime64(3, 'UTC'),
    finished_at     Nullable(DateTime64(3, 'UTC')),
    status          LowCardinality(String),   -- running, ok, partial, failed
    error           String,
    sources         UInt32,
    sources_failed  UInt32,
    orchestrators   UInt32,
    versions_written UInt32,
    written_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(written_at)
ORDER BY run_id;

CREATE TABLE IF NOT EXISTS scrape_sources
(
    run_id          String,
    source          String,
    endpoint        LowCardinality(String),   -- getNetworkCapabilities, registeredOrchestrators
    started_at      DateTime64(3, 'UTC'),
    finished_at     DateTime64(3, 'UTC'),
    status          LowCardinality(String),   -- ok, failed, backoff, unavailable
    error_kind      LowCardinality(String),   -- '' when ok; timeout, connect, tls, http_status, ...
    error           String,
    http_status     Nullable(UInt16),
    attempts        UInt32,
    bytes           UInt64,
    orchestrators   UInt32,
    gpus            UInt32,
    versions_written UInt32,
    versions_closed UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (run_id, source, endpoint);

CREATE TABLE IF NOT EXISTS orchestrator_versions
(
    source          String,                   -- the gateway URL that reported it
    orch_uri        String,
    address         String,                   -- on-chain (ticket recipient), lower-case
    local_address   String,                   -- signer, lower-case: what events carry
    version         String,
    min_version     String,
    capacities      Map(Int32, UInt64),       -- capability id -> capacity
    price_per_unit  Nullable(Int64),          -- default price_info
    pixels_per_unit Nullable(Int64),
    region          Nullable(String),
    region_source   LowCardinality(String),   -- mapping, geoip, ''
    content_hash    String,
    valid_from      DateTime64(3, 'UTC'),
    valid_to        Nullable(DateTime64(3, 'UTC')),
    run_id          String,
    written_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(written_at)
ORDER BY (source, orch_uri, valid_from);

CREATE TABLE IF NOT EXISTS orchestrator_version_models
(
    source          String,
    orch_uri        String,
    valid_from      DateTime64(3, 'UTC'),
    capability      Int32,
    capability_name LowCardinality(String),
    model_id        String,
    warm            Bool,
    capacity_idle   UInt64,
    capacity_in_use UInt64,
    runner_version  LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (source, orch_uri, valid_from, capability, model_id);

CREATE TABLE IF NOT EXISTS orchestrator_version_prices
(
    source          String,
    orch_uri        String,
    valid_from      DateTime64(3, 'UTC'),
    capability      Int32,
    capability_name LowCardinality(String),
    model_constraint String,                  -- model id; '' for any
    price_per_unit  Int64,                    -- wei
    pixels_per_unit Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (source, orch_uri, valid_from, capability, model_constraint);

CREATE TABLE IF NOT EXISTS orchestrator_version_gpus
(
    source          String,
    orch_uri        String,
    valid_from      DateTime64(3, 'UTC'),
    pipeline        LowCardinality(String),
    model_id        String,
    gpu_slot        String,
    gpu_id          String,
    gpu_name        LowCardinality(String),
    gpu_major       UInt32,
    gpu_minor       UInt32,
    memory_total_bytes Int64,
    memory_free_bytes  Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (source, orch_uri, valid_from, pipeline, model_id, gpu_slot, gpu_id);

CREATE TABLE IF NOT EXISTS registered_orchestrator_versions
(
    source          String,
    address         String,                   -- lower-case
    service_uri     String,
    last_reward_round String,                 -- big numbers kept as decimal strings
    reward_cut      String,
    fee_share       String,
    delegated_stake String,
    activation_round String,
    deactivation_round String,
    last_active_stake_update_round String,
    active          Bool,
    status          LowCardinality(String),
    price_per_pixel String,                   -- big.Rat as "num/den"
    content_hash    String,
    valid_from      DateTime64(3, 'UTC'),
    valid_to        Nullable(DateTime64(3, 'UTC')),
    run_id          String,
    written_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(written_at)
ORDER BY (source, address, valid_from);

CREATE TABLE IF NOT EXISTS orchestrator_reachability
(
    observed_at     DateTime64(3, 'UTC'),
    observed_from   LowCardinality(String),
    run_id          String,
    orch_uri        String,
    host            String,
    port            UInt16,
    ok              Bool,
    tcp_connect_ms  Nullable(Float64),
    tls_handshake_ms Nullable(Float64),
    error_kind      LowCardinality(String),
    error           String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (orch_uri, observed_at);

-- The current version of every orchestrator, per source.
CREATE VIEW IF NOT EXISTS orchestrators_current AS
SELECT * FROM orchestrator_versions FINAL
WHERE valid_to IS NULL
ORDER BY source, orch_uri, valid_from DESC
LIMIT 1 BY source, orch_uri;

-- What was true at time T: SELECT * FROM orchestrators_at(at = '2026-01-08 12:00:00.000')
CREATE VIEW IF NOT EXISTS orchestrators_at AS
SELECT * FROM orchestrator_versions FINAL
WHERE valid_from <= {at:DateTime64(3, 'UTC')}
  AND (valid_to IS NULL OR valid_to > {at:DateTime64(3, 'UTC')})
ORDER BY source, orch_uri, valid_from DESC
LIMIT 1 BY source, orch_uri;

CREATE VIEW IF NOT EXISTS orchestrator_gpus_at AS
SELECT v.source AS source, v.orch_uri AS orch_uri, v.address AS address,
       v.local_address AS local_address, v.region AS region, v.valid_from AS valid_from,
       v.valid_to AS valid_to, g.pipeline AS pipeline, g.model_id AS model_id,
       g.gpu_slot AS gpu_slot, g.gpu_id AS gpu_id, g.gpu_name AS gpu_name,
       g.memory_total_bytes AS memory_total_bytes
FROM orchestrator_version_gpus AS g FINAL
INNER JOIN
(
    SELECT source, orch_uri, address, local_address, region, valid_from, valid_to
    FROM orchestrator_versions FINAL
    WHERE valid_from <= {at:DateTime64(3, 'UTC')}
      AND (valid_to IS NULL OR valid_to > {at:DateTime64(3, 'UTC')})
    ORDER BY source, orch_uri, valid_from DESC
    LIMIT 1 BY source, orch_uri
) AS v ON g.source = v.source AND g.orch_uri = v.orch_uri AND g.valid_from = v.valid_from;

CREATE VIEW IF NOT EXISTS orchestrator_models_at AS
SELECT v.source AS source, v.orch_uri AS orch_uri, v.address AS address,
       v.local_address AS local_address, v.valid_from AS valid_from, v.valid_to AS valid_to,
       m.capability AS capability, m.capability_name AS capability_name, m.model_id AS model_id,
       m.warm AS warm, m.capacity_idle AS capacity_idle, m.capacity_in_use AS capacity_in_use,
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
) AS v ON m.source = v.source AND m.orch_uri = v.orch_uri AND m.valid_from = v.valid_from;

CREATE VIEW IF NOT EXISTS orchestrator_prices_at AS
SELECT v.source AS source, v.orch_uri AS orch_uri, v.address AS address,
       v.local_address AS local_address, v.valid_from AS valid_from, v.valid_to AS valid_to,
       p.capability AS capability, p.capability_name AS capability_name,
       p.model_constraint AS model_constraint, p.price_per_unit AS price_per_unit,
       p.pixels_per_unit AS pixels_per_unit
FROM orchestrator_version_prices AS p FINAL
INNER JOIN
(
    SELECT source, orch_uri, address, local_address, valid_from, valid_to
    FROM orchestrator_versions FINAL
    WHERE valid_from <= {at:DateTime64(3, 'UTC')}
      AND (valid_to IS NULL OR valid_to > {at:DateTime64(3, 'UTC')})
    ORDER BY source, orch_uri, valid_from DESC
    LIMIT 1 BY source, orch_uri
) AS v ON p.source = v.source AND p.orch_uri = v.orch_uri AND p.valid_from = v.valid_from;

CREATE VIEW IF NOT EXISTS registered_orchestrators_at AS
SELECT * FROM registered_orchestrator_versions FINAL
WHERE valid_from <= {at:DateTime64(3, 'UTC')}
  AND (valid_to IS NULL OR valid_to > {at:DateTime64(3, 'UTC')})
ORDER BY source, address, valid_from DESC
LIMIT 1 BY source, address;
