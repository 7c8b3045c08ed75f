-- Since this release the fee refresh maps a payment's node to its signer through
-- capability_model_slots, keyed by node (recompute_fees.sql). network_capability_models, which it
-- read before, is keyed without the node, so once merged it kept one node of a signer that fronts
-- several, and payments to the others fell back to their recipient. The minutes of payments and
-- signed tickets to such signers' nodes are touched, so the next refresh recomputes them.
INSERT INTO fee_touches (ingested_at, bucket_minute, sender, node_url, session_id)
WITH shared AS
(
    SELECT DISTINCT node_url
    FROM capability_model_slots
    WHERE local_address IN (SELECT local_address FROM capability_model_slots
                            GROUP BY local_address HAVING uniqExact(node_url) > 1)
)
SELECT now64(3), toStartOfMinute(event_time), sender, node_url, session_id
FROM payment_values
WHERE node_url IN (SELECT node_url FROM shared)
UNION ALL
SELECT now64(3), toStartOfMinute(event_time), '', '', ''
FROM signed_ticket_values
WHERE node_url IN (SELECT node_url FROM shared);
