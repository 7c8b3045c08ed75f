-- The rollup refresh watermark (epoch ms); no row before the first refresh.
SELECT toUnixTimestamp64Milli(watermark) AS watermark_ms
FROM refresh_state FINAL
WHERE name = 'rollups'
