-- Messages quarantined in the last hour, by reason, most first.
SELECT reason, count() AS rejects
FROM rejected_events FINAL
WHERE rejected_at > now64(3) - INTERVAL 1 HOUR
GROUP BY reason
ORDER BY count() DESC, reason
LIMIT 50
