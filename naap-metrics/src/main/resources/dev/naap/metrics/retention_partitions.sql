-- Each partition of the tables, with when it was last written (a merge counts too: it only delays
-- a drop).
SELECT table, partition_id, toUnixTimestamp(max(modification_time)) AS modified_s
FROM system.parts
WHERE database = currentDatabase() AND active AND table IN {tables:Array(String)}
GROUP BY table, partition_id
ORDER BY table, partition_id
