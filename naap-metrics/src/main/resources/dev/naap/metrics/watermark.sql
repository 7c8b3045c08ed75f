-- Where the last refresh ended (none yet: no row).
SELECT toUnixTimestamp64Milli(watermark) AS watermark_ms
FROM refresh_state FINAL
WHERE name = {name:String}
