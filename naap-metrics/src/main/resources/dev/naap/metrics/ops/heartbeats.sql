-- The two latest heartbeats of every process seen in the last {minutes} minutes, one row per
-- sample: component, instance, time (ms), sample name, value.
SELECT component, instance, toUnixTimestamp64Milli(at) AS at_ms, k AS sample, v AS value
FROM
(
    SELECT component, instance, at, samples
    FROM ops_heartbeats
    WHERE at > now64(3) - toIntervalMinute({minutes:UInt32})
    ORDER BY component, instance, at DESC
    LIMIT 2 BY component, instance
)
ARRAY JOIN mapKeys(samples) AS k, mapValues(samples) AS v
ORDER BY component, instance, at DESC
