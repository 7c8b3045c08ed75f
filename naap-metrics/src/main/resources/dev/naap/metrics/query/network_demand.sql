-- Network demand and supply per time bucket and group (docs/METRICS.md, "Network demand").
-- Demand: demand_minute (1m, 5m) or demand_hour (1h, 1d), latest version of each bucket; peak
-- concurrency is the largest per-minute sum over the group's rows. Supply: for each bucket, the
-- latest network_capabilities snapshot before the bucket's end and at most {supply_lookback_s}
-- before the range — per gateway when grouped by gateway, else the latest of any gateway — summed
-- per model (= pipeline) and region of the orchestrator's latest scraped metadata, of the
-- live-video-to-video capability (35) only: demand is live video, and other capabilities count
-- their capacity in units of their own (an LLM runner's can be tens of thousands). Measures are
-- aliased m_<column>.
WITH
demand AS
(
${demand}
),
snapshots AS
(
    -- One row per snapshot (no FINAL: a repeat has the same id and time, and either will do).
    SELECT event_id, event_time, snapshot_gateway AS gateway, ${supply_key} AS k
    FROM
    (
        SELECT event_id, event_time, if(gateway = '', 'unknown', gateway) AS snapshot_gateway
        FROM capability_snapshots
        WHERE event_time >= toDateTime({from:Int64} - {supply_lookback_s:Int64}, 'UTC')
          AND event_time < toDateTime({to:Int64}, 'UTC')
    )
    WHERE 1 ${gateway_filter}
),
asof_chosen AS
(
    SELECT g.window_start AS window_start, s.event_id AS event_id
    FROM
    (
        SELECT toInt64(arrayJoin(range({from:Int64}, {to:Int64}, {width:Int64}))) AS window_start,
               toDateTime64(window_start + {width:Int64}, 3, 'UTC') AS window_end, k
        FROM (SELECT DISTINCT k FROM snapshots)
    ) AS g
    ASOF INNER JOIN snapshots AS s ON s.k = g.k AND g.window_end > s.event_time
),
-- The choice made once, as a constant (a bucket and its snapshot per element): a CTE is inlined
-- at every use, and the choice is used twice below.
(SELECT groupArray((window_start, event_id)) FROM asof_chosen) AS chosen_list,
chosen AS
(
    SELECT c.1 AS window_start, c.2 AS event_id FROM (SELECT arrayJoin(chosen_list) AS c)
),
snapshot_totals AS
(
    -- The chosen snapshots' rows, one per node (a signer may front several), read by primary key;
    -- LIMIT 1 BY drops unmerged repeats.
    SELECT c.event_id AS event_id, any(if(c.gateway = '', 'unknown', c.gateway)) AS gateway,
           c.model_id AS pipeline, ifNull(r.metadata_region, '') AS region,
           sum(c.capacity_idle) AS idle, sum(c.capacity_in_use) AS in_use
    FROM
    (
        SELECT event_id, gateway, local_address, model_id, capacity_idle, capacity_in_use
        FROM capability_model_slots
        WHERE event_id IN (SELECT event_id FROM chosen) AND capability = 35
        LIMIT 1 BY event_id, local_address, node_url, capability, model_id
    ) AS c
    LEFT JOIN (SELECT local_address, argMax(region, valid_from) AS metadata_region
               FROM orchestrator_versions FINAL
               WHERE region IS NOT NULL AND region != '' GROUP BY local_address) AS r
        ON r.local_address = c.local_address
    GROUP BY event_id, pipeline, region
),
supply AS
(
    SELECT window_start, ${keys} sum(idle) AS s_idle, sum(in_use) AS s_in_use
    FROM chosen AS w
    INNER JOIN snapshot_totals AS t ON t.event_id = w.event_id
    WHERE 1 ${filters}
    GROUP BY window_start ${group}
)
SELECT window_start, ${keys}
       coalesce(d_requested, 0)                                  AS m_sessions_requested,
       coalesce(d_started, 0)                                    AS m_sessions_started,
       coalesce(d_unmet, 0)                                      AS m_sessions_no_orchestrator,
       coalesce(d_seconds, 0) / 60                               AS m_stream_minutes,
       coalesce(d_peak, 0)                                       AS m_peak_concurrent_streams,
       s_idle                                                    AS m_capacity_idle,
       s_in_use                                                  AS m_capacity_in_use,
       if(s_idle + s_in_use > 0, s_in_use / (s_idle + s_in_use), NULL) AS m_utilisation
FROM demand
FULL OUTER JOIN supply USING (window_start ${group})
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
SETTINGS join_use_nulls = 1
