-- The latest network_capabilities listing of each node (capability_node_latest, V162): each of
-- {orchestrators} orchestrators fronts two nodes with two GPUs each, listed in the last 10 minutes
-- before {end}. Every one also has scraped metadata, which wins (as with a scraper running).
INSERT INTO capability_node_latest (local_address, node_url, listed_at, event_id, gateway,
    orch_uri, address, version, live_capacity, price_per_unit, pixels_per_unit, gpus)
SELECT concat('0x', leftPad(hex(intDiv(n, 2)), 40, '0')) AS signer,
       concat('https://orch-', toString(intDiv(n, 2)), '-', toString(n % 2), '.example:8935'),
       toDateTime64({end:Int64} - 600 + n % 600, 3, 'UTC'), concat('snap-', toString(n % 3)),
       ['gw-a', 'gw-b', 'gw-c'][n % 3 + 1],
       concat('https://orch-', toString(intDiv(n, 2)), '-', toString(n % 2), '.example:8935'),
       signer, '0.8.8', 3, NULL, NULL,
       [(concat('GPU-', toString(n), '-0'), 'NVIDIA GeForce RTX 4090', toNullable(25757220864)),
        (concat('GPU-', toString(n), '-1'), 'NVIDIA GeForce RTX 4090', toNullable(25757220864))]
FROM (SELECT number AS n FROM numbers(2 * {orchestrators:UInt64}))
