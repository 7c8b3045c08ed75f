-- Where retention has cut the data the refresh recomputes from (issue 15): once raw events and
-- segments of a month are dropped, a late or imported event of that month would recompute its
-- hours and minutes from what is left and overwrite their complete rollups. The refresh therefore
-- leaves every bucket before the horizon as it is. Retention raises the horizon before it drops
-- (a refresh running meanwhile already sees it); the newest horizon per name wins.
CREATE TABLE IF NOT EXISTS retention_horizon
(
    name    LowCardinality(String),
    horizon DateTime('UTC')
)
ENGINE = ReplacingMergeTree(horizon)
ORDER BY name;
