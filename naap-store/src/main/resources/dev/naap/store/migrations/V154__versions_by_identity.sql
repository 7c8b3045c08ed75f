-- Scraped metadata versions open on a change of what an orchestrator is, no longer of how busy it
-- is (docs/SCRAPER.md, "Versioning rule"): the scraper rewrites the open version in place when only
-- capacity in use or free memory changed. identity_hash is the hash that decides; a version written
-- before this migration has '' and is compared by its content_hash. On a busy real network capacity
-- in use changes between most scrapes, so versions piled up with time, and the refresh, which reads
-- every version for GPU and region attribution, slowed down with them.
ALTER TABLE orchestrator_versions ADD COLUMN IF NOT EXISTS identity_hash String DEFAULT ''
    AFTER content_hash;
ALTER TABLE registered_orchestrator_versions ADD COLUMN IF NOT EXISTS identity_hash String
    DEFAULT '' AFTER content_hash;
