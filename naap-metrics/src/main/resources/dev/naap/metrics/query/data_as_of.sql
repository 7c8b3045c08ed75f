-- The rollup refresh watermark (epoch ms). No row before the first refresh, nor while the
-- watermark is at the epoch: migrations that recompute the rollups set it there, and "as of
-- 1970" would be read as a date.
SELECT toUnixTimestamp64Milli(watermark) AS watermark_ms
FROM (SELECT watermark FROM refresh_state FINAL WHERE name = 'rollups')
WHERE watermark > toDateTime64(0, 3, 'UTC')
