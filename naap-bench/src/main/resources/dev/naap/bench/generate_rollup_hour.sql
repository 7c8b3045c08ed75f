-- {hours} hours × {gpus} GPUs × 3 gateways of rollup_hour rows, the hours {first_hour} onwards
-- counted back from {end} (epoch seconds, an hour boundary), one version. GPU g belongs to
-- orchestrator g % {orchestrators}, which fixes its GPU model (6), region (8); its pipeline is
-- g % 4. Each row: 2 sessions, 2 segments, 120 FPS samples summarised by 20 values, 2 PTFFs,
-- 2 jitter coefficients; a tenth of rows has a failure.
INSERT INTO rollup_hour (bucket_hour, orchestrator_address, gpu_id, gpu_model, pipeline, region,
    gateway, is_test_load, sessions_requested, sessions_started, sessions_no_orchestrator, segments,
    failed_segments, compliant_segments, violations_failure, violations_ptff, violations_fps,
    violations_jitter, fps_samples, fps_sample_sum, fps_samples_20plus, fps_quantiles_state,
    ptff_ms_state, ptff_ms_sum, ptff_ms_count, jitter_sum, jitter_count, jitter_state, up_kbps_sum,
    down_kbps_sum, bandwidth_count, computed_at)
SELECT toDateTime({end:Int64} - 3600 * (intDiv(n, 3 * {gpus:UInt64}) + 1), 'UTC') AS bucket_hour,
       concat('0x', leftPad(hex(intDiv(n, 3) % {gpus:UInt64} % {orchestrators:UInt64}), 40, '0'))
           AS orchestrator_address,
       concat('GPU-', toString(intDiv(n, 3) % {gpus:UInt64}))                     AS gpu_id,
       ['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 5090', 'NVIDIA A100', 'NVIDIA H100',
        'NVIDIA L40S', 'NVIDIA GeForce RTX 3090']
           [intDiv(n, 3) % {gpus:UInt64} % {orchestrators:UInt64} % 6 + 1]        AS gpu_model,
       ['streamdiffusion', 'streamdiffusion-sdxl', 'comfyui', 'noop']
           [intDiv(n, 3) % {gpus:UInt64} % 4 + 1]                                 AS pipeline,
       ['us-east', 'us-west', 'eu-central', 'eu-west', 'ap-south', 'ap-east', 'sa-east', 'af-south']
           [intDiv(n, 3) % {gpus:UInt64} % {orchestrators:UInt64} % 8 + 1]        AS region,
       ['gw-a', 'gw-b', 'gw-c'][n % 3 + 1]                                         AS gateway,
       false                                                                      AS is_test_load,
       2 AS sessions_requested, 2 AS sessions_started, 0 AS sessions_no_orchestrator, 2 AS segments,
       toUInt64(n % 10 = 0) AS failed_segments, toUInt64(2 - (n % 10 = 0)) AS compliant_segments,
       toUInt64(n % 10 = 0) AS violations_failure, 0 AS violations_ptff, 0 AS violations_fps,
       0 AS violations_jitter,
       120 AS fps_samples,
       arraySum(fps) * 6 AS fps_sample_sum,
       arrayCount(x -> x >= 20, fps) * 6 AS fps_samples_20plus,
       arrayReduce('quantilesTDigestState(0.05, 0.5, 0.95)', fps) AS fps_quantiles_state,
       arrayReduce('quantilesTDigestState(0.5, 0.95, 0.99)',
                   [toInt64(1500 + cityHash64(n, 'p') % 3000),
                    toInt64(1800 + cityHash64(n, 'q') % 2000)]) AS ptff_ms_state,
       3000 AS ptff_ms_sum, 2 AS ptff_ms_count,
       0.2 AS jitter_sum, 2 AS jitter_count,
       arrayReduce('quantileTDigestState(0.95)',
                   [0.08 + (cityHash64(n, 'j') % 100) / 1000, 0.1]) AS jitter_state,
       2000 AS up_kbps_sum, 40 AS down_kbps_sum, 2 AS bandwidth_count,
       now64(6) AS computed_at
FROM (SELECT number AS n, arrayMap(i -> 14 + (cityHash64(n, i) % 1000) / 100, range(20)) AS fps
      FROM numbers({first_hour:UInt64} * 3 * {gpus:UInt64}, {hours:UInt64} * 3 * {gpus:UInt64}))
