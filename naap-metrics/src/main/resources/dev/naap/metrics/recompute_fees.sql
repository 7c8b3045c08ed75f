-- Recomputes whole minutes of fee_minute (epoch seconds in {minutes}) from the payments and
-- signed tickets, as version {version_us} (µs since the epoch); docs/METRICS.md, "Fees".
-- A payment's orchestrator is the signer address of the node it paid (its URL in the latest
-- capabilities), else of its recipient, else the recipient; its pipeline is the model named by
-- the first payment of its payment session (sender, node, sessionID), which is the only one whose
-- manifestID carries it; its gateway is the envelope's, else the sender's address. Its paid
-- seconds are the time since the previous payment of its session within {lookback_s}. Nodes are
-- read from capability_model_slots, keyed by node: one signer's several nodes each keep their URL.
-- Test load, as for sessions (docs/METRICS.md, "Test load"): the event's flag, the operator's
-- gateway rules on the envelope's gateway, and, for a payment, the stream-id rules and the load
-- tester's registry on the stream of its requestID (a session's request id).
INSERT INTO fee_minute
WITH
(SELECT (groupArrayIf(like_pattern, kind = 'stream_id'), groupArrayIf(like_pattern, kind = 'gateway'))
 FROM current_test_load_rules) AS rules,
rules.1 AS stream_rules,
rules.2 AS gateway_rules,
nodes AS
(
    SELECT node_url, argMax(local_address, event_time) AS signer
    FROM capability_model_slots
    WHERE event_time >= toDateTime(arrayMin({minutes:Array(Int64)}), 'UTC') - INTERVAL 30 DAY
    GROUP BY node_url
),
recipients AS
(
    SELECT address, argMax(local_address, event_time) AS signer
    FROM network_capability_models
    WHERE event_time >= toDateTime(arrayMin({minutes:Array(Int64)}), 'UTC') - INTERVAL 30 DAY
    GROUP BY address
),
payments AS
(
    SELECT *
    FROM
    (
        SELECT event_time, gateway, is_test_load, sender, recipient, request_id,
               node_url, num_tickets, expected_value_wei,
               anyIf(model_id, model_id != '') OVER session AS session_model,
               lagInFrame(event_time, 1, event_time) OVER session AS previous_time
        FROM payment_values FINAL
        WHERE event_time >= toDateTime(arrayMin({minutes:Array(Int64)}) - {lookback_s:Int64}, 'UTC')
          AND event_time < toDateTime(arrayMax({minutes:Array(Int64)}) + 60, 'UTC')
        WINDOW session AS (PARTITION BY sender, node_url, session_id ORDER BY event_time, event_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )
    WHERE has({minutes:Array(Int64)}, toInt64(toUnixTimestamp(toStartOfMinute(event_time))))
),
-- The stream of each payment's request: its traces, from a day before the payments on. The
-- request ids are read from payment_values itself: payments above is a CTE, inlined at each use,
-- and its window over the sessions need not run twice.
streams AS
(
    SELECT request_id, any(stream_id) AS stream_id
    FROM stream_trace_events
    WHERE event_time >= toDateTime(arrayMin({minutes:Array(Int64)}), 'UTC') - INTERVAL 1 DAY
      AND event_time < toDateTime(arrayMax({minutes:Array(Int64)}) + 60, 'UTC')
      AND request_id != ''
      AND request_id IN
          (SELECT request_id FROM payment_values
           WHERE event_time >= toDateTime(arrayMin({minutes:Array(Int64)}), 'UTC')
             AND event_time < toDateTime(arrayMax({minutes:Array(Int64)}) + 60, 'UTC'))
    GROUP BY request_id
),
fees AS
(
    SELECT toStartOfMinute(p.event_time) AS bucket_minute,
           coalesce(nullIf(n.signer, ''), nullIf(r.signer, ''), p.recipient)
               AS orchestrator_address,
           if(p.gateway != '', p.gateway, p.sender) AS gateway,
           ifNull(p.session_model, '') AS pipeline,
           '' AS app,
           p.is_test_load OR arrayExists(g -> p.gateway LIKE g, gateway_rules)
               OR ifNull(s.stream_id IN (SELECT stream_id FROM test_load_streams)
                         OR arrayExists(r -> s.stream_id LIKE r, stream_rules), false)
               AS is_test_load,
           1 AS payments,
           p.expected_value_wei IS NULL AS unvalued,
           p.num_tickets AS tickets,
           ifNull(p.expected_value_wei, toDecimal256(0, 18)) AS expected_wei,
           toFloat64(p.event_time - p.previous_time) AS paid_seconds,
           0 AS signed,
           0 AS signed_tickets,
           0. AS billable_seconds,
           toUInt64(0) AS pixels,
           toUInt256(0) AS computed_wei
    FROM payments AS p
    LEFT JOIN nodes AS n ON n.node_url = p.node_url
    LEFT JOIN recipients AS r ON r.address = p.recipient
    LEFT JOIN streams AS s ON s.request_id = p.request_id
    UNION ALL
    SELECT toStartOfMinute(t.event_time),
           coalesce(nullIf(t.orch_address, ''), nullIf(n.signer, ''), ''),
           t.gateway,
           if(t.model_id != '', t.model_id, t.pipeline),
           t.app,
           t.is_test_load OR arrayExists(g -> t.gateway LIKE g, gateway_rules),
           0, 0, 0, toDecimal256(0, 18), 0.,
           1,
           t.num_tickets,
           ifNull(t.billable_seconds, 0.),
           ifNull(t.pixels, 0),
           ifNull(t.computed_fee_wei, toUInt256(0))
    FROM signed_ticket_values AS t FINAL
    LEFT JOIN nodes AS n ON n.node_url = t.node_url
    WHERE t.event_time >= toDateTime(arrayMin({minutes:Array(Int64)}), 'UTC')
      AND t.event_time < toDateTime(arrayMax({minutes:Array(Int64)}) + 60, 'UTC')
      AND has({minutes:Array(Int64)}, toInt64(toUnixTimestamp(toStartOfMinute(t.event_time))))
)
SELECT bucket_minute, orchestrator_address, gateway, pipeline, app, is_test_load,
       sum(payments), sum(unvalued), sum(tickets), sum(expected_wei), sum(paid_seconds),
       sum(signed), sum(signed_tickets), sum(billable_seconds), sum(pixels), sum(computed_wei),
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')
FROM fees
GROUP BY bucket_minute, orchestrator_address, gateway, pipeline, app, is_test_load
SETTINGS join_use_nulls = 1
