-- The nodes (signer × service URL) that gateways saw advertise capabilities in [{seen_from}, {to})
-- (epoch ms), with every pipeline/model they advertised, their GPU models, the last time they were
-- seen, its largest GPU memory, and the region of the signer's current scraped metadata
-- (docs/API.md, "Discovery"), and its key in capability_prices (`node`: the URL in lower case
-- without a trailing slash).
-- Only nodes that advertise every one of {caps} and pass the query's filters.
WITH
nodes AS
(
    SELECT local_address, orch_uri,
           arraySort(groupUniqArray(concat(pipeline, '/', model_id)))      AS caps,
           arraySort(groupUniqArrayIf(gpu_name, gpu_name != ''))           AS gpu_models,
           max(event_time)                                                AS last_seen,
           max(coalesce(memory_total_bytes, 0))                           AS vram_bytes
    FROM network_capability_node_gpus
    WHERE event_time >= fromUnixTimestamp64Milli({seen_from:Int64}, 'UTC')
      AND event_time < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
      AND orch_uri != '' AND local_address != ''
      AND local_address NOT IN {exclude:Array(String)}
      AND lower(trimRight(orch_uri, '/')) NOT IN {exclude:Array(String)}
    GROUP BY local_address, orch_uri
    HAVING hasAll(caps, {caps:Array(String)})
       AND (empty({gpu_models:Array(String)}) OR hasAny(gpu_models, {gpu_models:Array(String)}))
       AND vram_bytes >= {min_vram_bytes:Int64}
),
regions AS
(
    SELECT local_address, argMax(region, valid_from) AS region
    FROM orchestrator_versions FINAL
    WHERE valid_to IS NULL AND local_address IN (SELECT local_address FROM nodes)
    GROUP BY local_address
)
SELECT n.local_address AS signer, n.orch_uri AS address,
       arrayStringConcat(n.caps, ',') AS capabilities,
       arrayStringConcat(n.gpu_models, ',') AS gpu_models,
       toUnixTimestamp64Milli(n.last_seen) AS last_seen_ms,
       coalesce(r.region, '') AS region, n.vram_bytes AS vram_bytes,
       replaceRegexpOne(lower(n.orch_uri), '/+$', '') AS node
FROM nodes AS n
LEFT JOIN regions AS r USING (local_address)
WHERE empty({regions:Array(String)}) OR coalesce(r.region, '') IN {regions:Array(String)}
ORDER BY n.local_address, n.orch_uri
SETTINGS join_use_nulls = 1
