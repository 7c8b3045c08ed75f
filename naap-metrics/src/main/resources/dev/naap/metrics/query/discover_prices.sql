-- The latest price each node (signer × service URL) advertised for each model of {models} in the
-- capabilities snapshots of [{seen_from}, {to_ms}) (epoch ms), in wei per pixel (pricePerUnit /
-- pixelsPerUnit): discovery's `price` and `max_price` (docs/API.md, "Discovery"). Kept to this one
-- statement so that it can be shared with the network's price list.
SELECT local_address AS signer, orch_uri AS address, model_id AS model,
       argMax(price_per_unit / pixels_per_unit, event_time) AS price
FROM network_capability_models
WHERE event_time >= fromUnixTimestamp64Milli({seen_from:Int64}, 'UTC')
  AND event_time < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
  AND local_address IN {signers:Array(String)} AND model_id IN {models:Array(String)}
  AND price_per_unit IS NOT NULL AND pixels_per_unit > 0
GROUP BY local_address, orch_uri, model_id
