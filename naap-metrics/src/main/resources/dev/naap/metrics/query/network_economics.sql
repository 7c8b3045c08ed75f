-- Fees per time bucket and group (docs/METRICS.md, "Fees"), from fee_minute (1m, 5m) or fee_hour
-- (1h, 1d), latest computation of each bucket. Wei and ETH stay Decimal (exact); measures are
-- aliased m_<column>.
SELECT toInt64(toUnixTimestamp(${window})) AS window_start, ${keys}
       sum(payments)                                                      AS m_payments,
       sum(unvalued_payments)                                             AS m_unvalued_payments,
       sum(tickets) + sum(signed_ticket_count)                            AS m_tickets,
       sum(expected_fees_wei)                                             AS m_expected_fees_wei,
       sum(expected_fees_wei) / toDecimal256(1000000000000000000, 0)      AS m_expected_fees_eth,
       sum(paid_seconds) / 60                                             AS m_paid_minutes,
       if(m_paid_minutes > 0, toFloat64(m_expected_fees_wei) / m_paid_minutes, NULL)
           AS m_expected_fee_per_stream_minute_wei,
       sum(signed_tickets)                                                AS m_signed_tickets,
       sum(billable_seconds)                                              AS m_billable_seconds,
       sum(pixels)                                                        AS m_pixels,
       sum(computed_fees_wei)                                             AS m_computed_fees_wei,
       toDecimal256(sum(computed_fees_wei), 18) / toDecimal256(1000000000000000000, 0)
           AS m_computed_fees_eth,
       if(m_billable_seconds > 0, toFloat64(m_computed_fees_wei) * 60 / m_billable_seconds, NULL)
           AS m_fee_per_billable_minute_wei
FROM
(
${rows}
)
GROUP BY window_start ${group}
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
