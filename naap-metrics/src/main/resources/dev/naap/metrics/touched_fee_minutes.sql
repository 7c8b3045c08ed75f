-- The minutes to recompute after fee events ingested in (from, to] (epoch seconds): theirs, and
-- those of every payment of the same payment sessions within {lookback_s} of them; and, for a node
-- or on-chain address that a capability snapshot ingested then listed for the first time, the
-- minutes of its payments and signed tickets (computed before, they fell back to the recipient);
-- and, when the test-load rules saved then differ from those in force before, every minute with
-- a payment or signed ticket (their test-load mark follows the rules, recompute_fees.sql);
-- none before the retention horizon (see touched_hours.sql).
WITH touched AS
(
    SELECT bucket_minute, sender, node_url, session_id
    FROM fee_touches
    WHERE ingested_at > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
      AND ingested_at <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
),
(SELECT (groupArrayIf(listed, kind = 'node'), groupArrayIf(listed, kind = 'address'))
 FROM (SELECT kind, listed
       FROM listings_first_ingested
       GROUP BY kind, listed
       HAVING min(first_ingested) > fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
          AND min(first_ingested) <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC'))) AS new_listings,
new_listings.1 AS new_nodes,
new_listings.2 AS new_addresses,
(SELECT (maxIf(version, version <= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')),
         maxIf(version, version <= fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')))
 FROM test_load_rules) AS rule_versions,
(SELECT (groupArrayIf((kind, like_pattern), version = rule_versions.1 AND kind != ''),
         groupArrayIf((kind, like_pattern), version = rule_versions.2 AND kind != ''))
 FROM test_load_rules WHERE version IN (rule_versions.1, rule_versions.2)) AS rule_sets,
rule_versions.2 > rule_versions.1
    AND (arrayExists(r -> NOT has(rule_sets.2, r), rule_sets.1)
         OR arrayExists(r -> NOT has(rule_sets.1, r), rule_sets.2)) AS rules_changed
SELECT DISTINCT toInt64(toUnixTimestamp(bucket_minute)) AS minute_s
FROM
(
    SELECT bucket_minute FROM touched
    UNION ALL
    SELECT toStartOfMinute(event_time)
    FROM payment_values
    WHERE event_time >= (SELECT min(bucket_minute) FROM touched)
                        - toIntervalSecond({lookback_s:Int64})
      AND event_time < (SELECT max(bucket_minute) FROM touched)
                       + toIntervalSecond({lookback_s:Int64} + 60)
      AND (sender, node_url, session_id) IN
          (SELECT sender, node_url, session_id FROM touched WHERE session_id != '')
    UNION ALL
    SELECT toStartOfMinute(event_time)
    FROM payment_values
    WHERE (notEmpty(new_nodes) OR notEmpty(new_addresses))
      AND (has(new_nodes, node_url) OR has(new_addresses, recipient))
    UNION ALL
    SELECT toStartOfMinute(event_time)
    FROM signed_ticket_values
    WHERE notEmpty(new_nodes) AND has(new_nodes, node_url)
    UNION ALL
    SELECT toStartOfMinute(event_time) FROM payment_values WHERE rules_changed
    UNION ALL
    SELECT toStartOfMinute(event_time) FROM signed_ticket_values WHERE rules_changed
)
WHERE bucket_minute >= (SELECT max(horizon) FROM retention_horizon)
