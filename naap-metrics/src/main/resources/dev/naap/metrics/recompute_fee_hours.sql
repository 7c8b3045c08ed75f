-- Recomputes whole hours of fee_hour (epoch seconds in {hours}) from the latest computation of
-- each of their minutes in fee_minute, as version {version_us} (µs since the epoch).
INSERT INTO fee_hour
SELECT toStartOfHour(bucket_minute) AS bucket_hour,
       orchestrator_address, gateway, pipeline, app, is_test_load,
       sum(payments), sum(unvalued_payments), sum(tickets), sum(expected_fees_wei),
       sum(paid_seconds), sum(signed_tickets), sum(signed_ticket_count), sum(billable_seconds),
       sum(pixels), sum(computed_fees_wei),
       fromUnixTimestamp64Micro({version_us:Int64}, 'UTC')
FROM fee_minute
WHERE toUnixTimestamp(toStartOfHour(bucket_minute)) IN {hours:Array(Int64)}
  AND (bucket_minute, computed_at) IN
      (SELECT bucket_minute, max(computed_at) FROM fee_minute
       WHERE toUnixTimestamp(toStartOfHour(bucket_minute)) IN {hours:Array(Int64)}
       GROUP BY bucket_minute)
GROUP BY bucket_hour, orchestrator_address, gateway, pipeline, app, is_test_load
