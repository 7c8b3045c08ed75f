-- A claim or a renewal (expiry ttl_ms from the store's clock), or a release (ttl_ms = 0: expired).
INSERT INTO refresh_lease (name, term, holder, expires_at, version)
SELECT {name:String}, {term:UInt64}, {holder:String},
    if({ttl_ms:UInt64} = 0, toDateTime64(0, 3, 'UTC'),
        now64(3, 'UTC') + toIntervalMillisecond({ttl_ms:UInt64})),
    {version:UInt64}
