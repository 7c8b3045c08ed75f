-- The lease: the claim with the highest (term, holder), and whether it is live by the store's
-- clock.
SELECT term, holder, expires_at > now64(3, 'UTC') AS live
FROM refresh_lease FINAL
WHERE name = {name:String}
ORDER BY term DESC, holder DESC
LIMIT 1
