-- Where the last refresh ended (none yet: no row).
SELECT toUnixTimestamp64Milli(watermark)
FROM refresh_state FINAL
WHERE name = {name:String}
