-- Where this refresh ended; the newest row per name wins.
INSERT INTO refresh_state (name, watermark, updated_at)
VALUES ({name:String}, fromUnixTimestamp64Milli({watermark_ms:Int64}, 'UTC'), now64(6))
