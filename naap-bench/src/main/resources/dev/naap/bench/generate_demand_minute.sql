-- {hours} hours of demand_minute rows, the hours {first_hour} onwards counted back from {end}:
-- every minute × 3 gateways × 4 pipelines × 8 regions, with about {gpus} / 96 concurrent streams
-- per row (the 1 000-GPU network busy).
INSERT INTO demand_minute (bucket_minute, gateway, pipeline, region, is_test_load,
    sessions_requested, sessions_started, sessions_no_orchestrator, stream_seconds,
    concurrent_streams, computed_at)
SELECT toDateTime({end:Int64} - 60 * (intDiv(n, 96) + 1), 'UTC'),
       ['gw-a', 'gw-b', 'gw-c'][n % 3 + 1],
       ['streamdiffusion', 'streamdiffusion-sdxl', 'comfyui', 'noop'][intDiv(n, 3) % 4 + 1],
       ['us-east', 'us-west', 'eu-central', 'eu-west', 'ap-south', 'ap-east', 'sa-east', 'af-south']
           [intDiv(n, 12) % 8 + 1],
       false,
       1 + cityHash64(n) % 2, 1 + cityHash64(n) % 2, cityHash64(n, 'u') % 10 = 0,
       60 * intDiv({gpus:UInt64}, 96) - cityHash64(n, 's') % 60,
       intDiv({gpus:UInt64}, 96) + cityHash64(n, 'c') % 3,
       now64(6)
FROM (SELECT number AS n FROM numbers({first_hour:UInt64} * 60 * 96, {hours:UInt64} * 60 * 96))
