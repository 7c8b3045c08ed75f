-- The current scraped metadata of every orchestrator, with its region.
INSERT INTO orchestrator_versions (source, orch_uri, address, local_address, version, capacities,
    price_per_unit, pixels_per_unit, region, region_source, valid_from, written_at)
SELECT 'gw-a', concat('https://orch-', toString(n), ':8935'),
       concat('0x', leftPad(hex(n), 40, '0')), concat('0x', leftPad(hex(n), 40, '0')),
       '0.8.8', map(35, 3), 1200, 1,
       ['us-east', 'us-west', 'eu-central', 'eu-west', 'ap-south', 'ap-east', 'sa-east', 'af-south']
           [n % 8 + 1],
       'mapping', toDateTime64({end:Int64} - 86400 * 40, 3, 'UTC'), now64(3)
FROM (SELECT number AS n FROM numbers({orchestrators:UInt64}))
