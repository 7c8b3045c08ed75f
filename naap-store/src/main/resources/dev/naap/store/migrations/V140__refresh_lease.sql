-- The refresh lease (docs/OPERATIONS.md, "Roles"): the rollup refresh runs in one process at a
-- time, whichever of the ingests and refreshers sharing this store holds it. Each claim is a row
-- (term, holder); a holder renews its row with a later expiry under a higher version, and a clean
-- stop writes it with an expiry of 0. The claim with the highest (term, holder) is the lease;
-- RefreshLease explains why that is sound although ClickHouse has no compare-and-set.
CREATE TABLE IF NOT EXISTS refresh_lease
(
    name        LowCardinality(String),
    term        UInt64,
    holder      String,
    expires_at  DateTime64(3, 'UTC'),
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (name, term, holder);
