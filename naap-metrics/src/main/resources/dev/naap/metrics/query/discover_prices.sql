-- The latest price each node advertised for each model of {models} in the capabilities snapshots of
-- [{seen_from}, {to_ms}) (epoch ms), in wei per pixel (pricePerUnit / pixelsPerUnit): discovery's
-- `price` and `max_price` (docs/API.md, "Discovery"). Read from capability_prices, as the network's
-- price list is, keyed by node (signer × service URL in lower case without a trailing slash): two
-- nodes of one signer keep their own prices.
SELECT local_address AS signer, node_url AS node, model_id AS model,
       argMax(assumeNotNull(price_per_unit) / assumeNotNull(pixels_per_unit), event_time) AS price
FROM capability_prices
WHERE event_time >= fromUnixTimestamp64Milli({seen_from:Int64}, 'UTC')
  AND event_time < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
  AND local_address IN {signers:Array(String)} AND model_id IN {models:Array(String)}
  AND price_per_unit IS NOT NULL AND pixels_per_unit IS NOT NULL
GROUP BY local_address, node_url, model_id
