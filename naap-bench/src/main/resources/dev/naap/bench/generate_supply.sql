-- A network_capabilities snapshot from each of 3 gateways every 10 minutes over {hours} hours,
-- the hours {first_hour} onwards counted back from {end}: each of {orchestrators} orchestrators
-- offers 2 or 3 containers of one model.
INSERT INTO network_capability_models (event_id, event_time, gateway, address, local_address,
    orch_uri, version, capability, model_id, warm, capacity_idle, capacity_in_use, runner_version)
SELECT concat('snap-', toString(intDiv(n, {orchestrators:UInt64}))),
       toDateTime64({end:Int64} - 600 * (intDiv(n, 3 * {orchestrators:UInt64}) + 1), 3, 'UTC'),
       ['gw-a', 'gw-b', 'gw-c'][intDiv(n, {orchestrators:UInt64}) % 3 + 1],
       '', concat('0x', leftPad(hex(n % {orchestrators:UInt64}), 40, '0')), '', '0.8.8', 35,
       ['streamdiffusion', 'streamdiffusion-sdxl', 'comfyui', 'noop']
           [n % {orchestrators:UInt64} % 4 + 1],
       true, 2 - cityHash64(n) % 2, 1 + cityHash64(n, 'u') % 2, 'v1'
FROM (SELECT number AS n
      FROM numbers({first_hour:UInt64} * 6 * 3 * {orchestrators:UInt64},
                   {hours:UInt64} * 6 * 3 * {orchestrators:UInt64}))
