-- The two latest heartbeats of every process seen in the last {minutes} minutes, and its oldest
-- one in them, one row per sample: component, instance, time (ms), sample name, value. (A beat
-- that is both the oldest and one of the latest comes twice; the reader keeps one.)
SELECT component, instance, toUnixTimestamp64Milli(at) AS at_ms, k AS sample, v AS value
FROM
(
    SELECT component, instance, at, samples
    FROM ops_heartbeats
    WHERE at > now64(3) - toIntervalMinute({minutes:UInt32})
    ORDER BY component, instance, at DESC
    LIMIT 2 BY component, instance
    UNION ALL
    SELECT component, instance, at, samples
    FROM ops_heartbeats
    WHERE at > now64(3) - toIntervalMinute({minutes:UInt32})
    ORDER BY component, instance, at
    LIMIT 1 BY component, instance
)
ARRAY JOIN mapKeys(samples) AS k, mapValues(samples) AS v
ORDER BY component, instance, at DESC
