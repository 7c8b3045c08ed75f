-- The rollup refresh watermark (epoch ms); no row before the first refresh.
SELECT toUnixTimestamp64Milli(watermark) FROM refresh_state FINAL WHERE name = 'rollups'
