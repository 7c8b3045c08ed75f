-- {count} earlier sessions for the freshness benchmark, generated in the engine in one statement
-- (the family views and session_touches fill as for any insert). Session n (0-based from {first})
-- is the one FreshnessBenchmark writes through the ingest writer, four events: request, first
-- segment, first frame and one status sample at 20 fps, on orchestrator 1 000 000 + n % 400,
-- ending {spacing_ms} × n + 60 s before {now_ms}: a constant rate, so history grows with {count}.
-- Its number is zero-padded, so the first refresh's statements of neighbouring keys each cover
-- under an hour of history (and of capability snapshots); real stream ids are random, and a
-- refresh of a whole imported month reads, per statement, the snapshots of the month
-- (docs/KNOWN_GAPS.md).
INSERT INTO raw_events (event_id, event_type, event_subtype, event_time, envelope_time, gateway,
                        stream_id, request_id, pipeline, orchestrator_address, orchestrator_url,
                        is_test_load, supported, payload, source, topic, partition, offset,
                        ingested_at)
WITH intDiv(number, 4) + {first:UInt64} AS n,
     number % 4 + 1 AS k,
     concat('earlier-', leftPad(toString(n), 10, '0')) AS stream,
     concat('r-', stream) AS request,
     concat('0x', leftPad(lower(hex(1000000 + n % 400)), 40, '0')) AS orch,
     toInt64({now_ms:Int64} - 60000 - {spacing_ms:Int64} * n) AS end_ms,
     end_ms - [3000, 2500, 1000, 0][k] AS ms,
     ['stream_trace', 'stream_trace', 'stream_trace', 'ai_stream_status'][k] AS type,
     ['gateway_receive_stream_request', 'gateway_send_first_ingest_segment',
      'gateway_receive_first_processed_segment', 'status'][k] AS subtype,
     if(k = 1, '', orch) AS address,
     if(k = 4,
        concat('{"type":"status","pipeline":"streamdiffusion","state":"ONLINE","timestamp":',
               toString(ms),
               ',"inference_status":{"fps":20,"restart_count":0,"last_error":null},"stream_id":"',
               stream, '","request_id":"', request,
               '","pipeline_id":"","orchestrator_info":{"address":"', address,
               '","url":""}}'),
        concat('{"type":"', subtype, '","timestamp":', toString(ms), ',"stream_id":"', stream,
               '","request_id":"', request,
               '","pipeline_id":"","orchestrator_info":{"address":"', address,
               '","url":""}}')) AS data
SELECT concat(stream, '-', toString(k)), type, subtype, fromUnixTimestamp64Milli(ms, 'UTC'),
       fromUnixTimestamp64Milli(ms, 'UTC'), 'gw-1', stream, request,
       if(k = 4, 'streamdiffusion', ''), address, '', false, true,
       concat('{"id":"', stream, '-', toString(k), '","type":"', type, '","timestamp":"',
              toString(ms), '","gateway":"gw-1","data":', data, '}'),
       'file', stream, 0, toInt64(k - 1), now64(3, 'UTC')
FROM numbers({count:UInt64} * 4)
