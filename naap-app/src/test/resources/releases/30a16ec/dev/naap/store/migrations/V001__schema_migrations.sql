-- The migration ledger. The runner executes this file before it reads the table, so it must stay
-- the first migration and must stay idempotent. One row per applied migration; two processes that
-- start at once may both record a version, and readers group by version.
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY version;
