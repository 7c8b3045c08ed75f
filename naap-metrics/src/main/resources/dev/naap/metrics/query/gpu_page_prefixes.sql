-- The first {prefix_limit} (offset + limit) distinct leading keys of the GPU metrics order: the
-- window, then the group keys that lead the rollup tables' sort key after the bucket. The first
-- offset + limit groups in that order can only have leading keys among these, so restricting the
-- rows to them leaves the page exact; read in the table's order, the scan stops early, and the
-- restricted read then uses the primary key (docs/METRICS.md, "Query layer").
SELECT DISTINCT ${window} ${prefix}
FROM (${rows})
WHERE segments > 0 -- as gpu_metrics.sql: rows that reached no orchestrator are no group
ORDER BY ${window} ${prefix}
LIMIT {prefix_limit:UInt64}
