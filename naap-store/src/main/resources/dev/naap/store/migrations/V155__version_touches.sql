-- The metadata versions each scrape opened, by when it opened them, so that the refresh also
-- recomputes the segments that a version arriving after them resolves (docs/METRICS.md, "Rollups",
-- step 2): a node's first version with a region gives its earlier segments that region, and a
-- version gives the segments that started since it opened their region and metadata GPU.
--
-- A version opens at the instant it is written: the scraper stamps valid_from and written_at with
-- the same instant (VersionedWriter). Rewriting it in place (a change of load, V154) or closing it
-- writes it again with its earlier valid_from, and changes no segment's attribution, so only
-- openings are recorded. Kept 7 days, as session_touches.
CREATE TABLE IF NOT EXISTS version_touches
(
    opened_at     DateTime64(3, 'UTC'),
    local_address String,
    has_region    Bool
)
ENGINE = MergeTree
ORDER BY opened_at
TTL toDateTime(opened_at) + INTERVAL 7 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS version_touches_mv TO version_touches AS
SELECT valid_from AS opened_at, local_address, ifNull(region, '') != '' AS has_region
FROM orchestrator_versions
WHERE valid_from = written_at AND valid_to IS NULL AND local_address != '';
