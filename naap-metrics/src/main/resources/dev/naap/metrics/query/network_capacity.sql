-- Capacity per group over the range (docs/METRICS.md, "Capacity"), from the network_capabilities
-- snapshots whose time is in [from, to): the latest snapshot's warm orchestrators, nodes, GPUs and
-- slots, and the available slots of every snapshot for their mean, extremes and stability. A
-- node's slots for a model count under its GPU model when all its GPUs for that model are one
-- model ('' when it lists none, 'mixed' when several). Measures are aliased m_<column>.
WITH
snapshots AS
(
    SELECT event_id, event_time FROM capability_snapshots
    WHERE event_time >= toDateTime({from:Int64}, 'UTC')
      AND event_time < toDateTime({to:Int64}, 'UTC')
    LIMIT 1 BY event_id
),
latest AS
(
    SELECT argMax(event_id, event_time) AS event_id FROM snapshots
),
gpus AS
(
    SELECT event_id, node_url, model_id,
           if(uniqExact(gpu_name) > 1, 'mixed', any(gpu_name)) AS gpu_model,
           groupUniqArray(gpu_id) AS gpu_ids,
           sum(ifNull(memory_total_bytes, 0)) AS memory_bytes
    FROM
    (
        SELECT event_id, node_url, model_id, gpu_id, gpu_name, memory_total_bytes
        FROM network_capability_node_gpus
        WHERE event_id IN (SELECT event_id FROM snapshots) AND gpu_id != ''
        LIMIT 1 BY event_id, node_url, model_id, gpu_id
    )
    GROUP BY event_id, node_url, model_id
),
slots AS
(
    SELECT s.event_id AS event_id, s.local_address AS local_address, s.node_url AS node_url,
           s.model_id AS pipeline, ifNull(g.gpu_model, '') AS gpu_model, s.warm AS warm,
           s.capacity_idle AS idle, s.capacity_in_use AS in_use,
           ifNull(g.gpu_ids, []) AS gpu_ids, ifNull(g.memory_bytes, 0) AS memory_bytes
    FROM
    (
        SELECT event_id, local_address, node_url, model_id, warm, capacity_idle, capacity_in_use
        FROM capability_model_slots
        WHERE event_id IN (SELECT event_id FROM snapshots)
        LIMIT 1 BY event_id, local_address, node_url, capability, model_id
    ) AS s
    LEFT JOIN gpus AS g
        ON g.event_id = s.event_id AND g.node_url = s.node_url AND g.model_id = s.model_id
    WHERE 1 ${filters}
    SETTINGS join_use_nulls = 1
),
per_snapshot AS
(
    SELECT event_id, ${keys} sum(idle) AS available FROM slots GROUP BY event_id ${group}
),
stability AS
(
    SELECT ${keys} count() AS snapshot_count, avg(available) AS mean_available,
           min(available) AS min_available, max(available) AS max_available,
           stddevPop(available) AS sd_available
    FROM per_snapshot GROUP BY ${group_only}
),
current AS
(
    SELECT ${keys}
           uniqExactIf(local_address, warm) AS warm_orchestrators,
           uniqExact(node_url) AS nodes,
           length(arrayDistinct(arrayFlatten(groupArray(gpu_ids)))) AS gpu_count,
           sum(memory_bytes) AS memory,
           sum(idle) + sum(in_use) AS slot_count,
           sum(in_use) AS used,
           sum(idle) AS available_now,
           (SELECT max(event_time) FROM snapshots) AS latest_at
    FROM slots
    WHERE event_id IN (SELECT event_id FROM latest)
    GROUP BY ${group_only}
)
SELECT ${keys}
       snapshot_count                                                AS m_snapshots,
       toInt64(toUnixTimestamp(latest_at))                           AS m_latest_snapshot_at,
       ifNull(warm_orchestrators, 0)                                 AS m_warm_orchestrators,
       ifNull(nodes, 0)                                              AS m_nodes,
       ifNull(gpu_count, 0)                                          AS m_gpus,
       ifNull(memory, 0)                                             AS m_gpu_memory_bytes,
       ifNull(slot_count, 0)                                         AS m_slots,
       ifNull(used, 0)                                               AS m_slots_in_use,
       ifNull(available_now, 0)                                      AS m_available_slots,
       mean_available                                                AS m_available_slots_mean,
       min_available                                                 AS m_available_slots_min,
       max_available                                                 AS m_available_slots_max,
       if(mean_available > 0, greatest(0, 1 - sd_available / mean_available), NULL)
                                                                     AS m_available_slots_stability
FROM stability
LEFT JOIN current USING (${group_only})
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
SETTINGS join_use_nulls = 1
