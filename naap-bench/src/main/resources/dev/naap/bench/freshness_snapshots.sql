-- {count} earlier network_capabilities snapshots for the freshness benchmark, as {gateways}
-- gateways send them: each gateway one every {interval_ms}, snapshot n (0-based from {first}) the
-- n-th back from {now_ms} - 60 s, the gateways 1 s apart. Each lists the 400 orchestrators of
-- freshness_sessions.sql with 1 000 GPUs for streamdiffusion (three each on the first 200, two on
-- the others), one hardware entry per runner as on the real network, so the snapshot tables grow
-- with history as the sessions do.
INSERT INTO raw_events (event_id, event_type, event_subtype, event_time, envelope_time, gateway,
                        stream_id, request_id, pipeline, orchestrator_address, orchestrator_url,
                        is_test_load, supported, payload, source, topic, partition, offset,
                        ingested_at)
WITH intDiv(number, {gateways:UInt64}) + {first:UInt64} AS n,
     number % {gateways:UInt64} AS g,
     toInt64({now_ms:Int64} - 60000 - {interval_ms:Int64} * n - 1000 * g) AS ms,
     concat('gw-', toString(g + 1)) AS gateway,
     concat('caps-', toString(n), '-', toString(g)) AS id,
     arrayStringConcat(arrayMap(o -> concat(
         '{"address":"', concat('0x', leftPad(lower(hex(1000000 + o)), 40, '0')),
         '","local_address":"', concat('0x', leftPad(lower(hex(1000000 + o)), 40, '0')),
         '","orch_uri":"https://orch-', toString(o), '.example:8935","hardware":[',
         arrayStringConcat(arrayMap(j -> concat(
             '{"pipeline":"live-video-to-video","model_id":"streamdiffusion","gpu_info":{"0":',
             '{"id":"GPU-', toString(o), '-', toString(j),
             '","name":"NVIDIA GeForce RTX 4090","major":8,"minor":9,',
             '"memory_total":25757220864,"memory_free":1073741824}}}'),
             range(if(o < 200, 3, 2))), ','),
         ']}'), range(400)), ',') AS data
SELECT id, 'network_capabilities', '', fromUnixTimestamp64Milli(ms, 'UTC'),
       fromUnixTimestamp64Milli(ms, 'UTC'), gateway, '', '', '', '', '', false, true,
       concat('{"id":"', id, '","type":"network_capabilities","timestamp":"', toString(ms),
              '","gateway":"', gateway, '","data":[', data, ']}'),
       'file', id, 0, toInt64(0), now64(3, 'UTC')
FROM numbers({count:UInt64} * {gateways:UInt64})
