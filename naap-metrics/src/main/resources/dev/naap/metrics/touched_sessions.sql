-- The sessions that events ingested in (from, to] touched, in key order: a chunk of neighbouring
-- keys reads neighbouring granules of the tables sorted by session.
-- Besides them, the sessions whose GPU a capability snapshot ingested then may resolve anew: the
-- segments whose GPU no status reported that started after the snapshot, within the maximum age
-- (it may now be the latest one before them), or were running at it (it may be the first within
-- them, which comes before the scraped metadata). Running sessions are touched by their own events
-- anyway, so a snapshot that arrives on time adds little. Read from segment_facts by hour; without
-- such a snapshot the hour range is empty.
-- And the sessions whose region or GPU a scraped metadata version opened then may resolve anew
-- (version_touches): the segments of its node that started since it opened (computed before it
-- was written, on a gateway's clock ahead of the scraper's), and, when it is the node's first
-- version with a region, the node's earlier segments without one (that first version's region is
-- theirs, docs/METRICS.md "Region"), back to the retention horizon.
-- And, when the test-load rules saved then differ from those in force before, the sessions whose
-- stream id or gateway a rule added or removed matches, back to the retention horizon.
-- And, when SLA targets were saved then (docs/METRICS.md, "SLA compliance"), the sessions of the
-- pipelines they cover (every pipeline for the defaults' row ''), back to the retention horizon:
-- a segment's verdict is stored with it, and the reports judge by the targets in force now.
-- Keys of earlier versions only add sessions to recompute, never drop one.
-- Base64 keeps any bytes of an id intact through TabSeparated output.
WITH (SELECT (min(event_time), max(event_time))
      FROM snapshot_touches
      WHERE ingested_at > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
        AND ingested_at <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')) AS snapshots,
     (SELECT toInt64(argMax(value, updated_at)) FROM metric_settings
      WHERE name = 'gpu_snapshot_max_age_seconds') AS max_age_s,
     snapshots.1 AS first_snapshot,
     addSeconds(snapshots.2, max_age_s) AS reach,
     (SELECT (min(opened_at), groupUniqArray(local_address),
              groupUniqArrayIf(local_address, has_region))
      FROM version_touches
      WHERE opened_at > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
        AND opened_at <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')) AS versions,
     versions.1 AS first_opened,
     versions.2 AS opened_nodes,
     -- of the nodes that opened a version with a region then, those for which it is the first
     (SELECT groupArray(local_address)
      FROM (SELECT local_address
            FROM orchestrator_versions
            WHERE notEmpty(versions.3) AND has(versions.3, local_address)
              AND ifNull(region, '') != ''
            GROUP BY local_address
            HAVING min(valid_from) > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC'))) AS regioned,
     (SELECT (maxIf(version, version <= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')),
              maxIf(version, version <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')))
      FROM test_load_rules) AS rule_versions,
     rule_versions.1 AS rules_before,
     rule_versions.2 AS rules_after,
     (SELECT (groupArrayIf((kind, like_pattern), version = rules_before AND kind != ''),
              groupArrayIf((kind, like_pattern), version = rules_after AND kind != ''))
      FROM test_load_rules WHERE version IN (rules_before, rules_after)) AS rule_sets,
     rule_sets.1 AS patterns_before,
     rule_sets.2 AS patterns_after,
     arrayConcat(arrayFilter(p -> NOT has(patterns_after, p), patterns_before),
                 arrayFilter(p -> NOT has(patterns_before, p), patterns_after)) AS patterns_changed,
     (SELECT groupUniqArray(toString(pipeline))
      FROM sla_targets
      WHERE updated_at > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
        AND updated_at <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')) AS targets_changed
SELECT base64Encode(stream_id) AS stream_id_base64, base64Encode(request_id) AS request_id_base64
FROM
(
    SELECT stream_id, request_id
    FROM session_touches
    WHERE ingested_at > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
      AND ingested_at <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
    UNION ALL
    SELECT stream_id, request_id
    FROM segment_facts
    WHERE first_snapshot > toDateTime64(0, 3, 'UTC')
      AND bucket_hour >= toStartOfHour(first_snapshot) AND bucket_hour <= reach
      AND gpu_resolution != 'reported'
      AND segment_end >= first_snapshot AND segment_start <= reach
    UNION ALL
    SELECT stream_id, request_id
    FROM segment_facts
    WHERE first_opened > toDateTime64(0, 3, 'UTC')
      AND bucket_hour >= toStartOfHour(first_opened) AND segment_start >= first_opened
      AND has(opened_nodes, orchestrator_address)
    UNION ALL
    SELECT stream_id, request_id
    FROM segment_facts
    WHERE notEmpty(regioned)
      AND bucket_hour >= (SELECT max(horizon) FROM retention_horizon)
      AND region IS NULL AND has(regioned, orchestrator_address)
    UNION ALL
    SELECT stream_id, request_id
    FROM segment_facts
    WHERE rules_after > rules_before AND notEmpty(patterns_changed)
      AND bucket_hour >= (SELECT max(horizon) FROM retention_horizon)
      AND arrayExists(p -> (p.1 = 'stream_id' AND stream_id LIKE p.2)
                           OR (p.1 = 'gateway' AND (gateway LIKE p.2
                                                    OR (gateway = 'unknown' AND '' LIKE p.2))),
                      patterns_changed)
    UNION ALL
    SELECT stream_id, request_id
    FROM segment_facts
    WHERE notEmpty(targets_changed)
      AND bucket_hour >= (SELECT max(horizon) FROM retention_horizon)
      AND (has(targets_changed, '') OR has(targets_changed, toString(pipeline)))
)
GROUP BY stream_id, request_id
ORDER BY stream_id, request_id
