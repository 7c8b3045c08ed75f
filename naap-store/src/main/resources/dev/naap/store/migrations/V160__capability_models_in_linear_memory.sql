-- network_capability_models_mv (V003) looked each model's price up with arrayFirst over its
-- orchestrator's whole price list, a list the engine copies onto every model row: memory grew
-- with models × prices. One valid 1 MB snapshot (an orchestrator with 7 000 models and 7 000
-- prices) needed more than the engine's 4 GiB per statement, so the insert of its whole batch
-- failed, and the Kafka ingest retried that batch for ever.
--
-- The lookup is now a sort: the orchestrator's prices and models in one array ordered by
-- (capability, model), prices before models and, among prices of one key, the first listed
-- last; arrayFill carries each price forward onto the models after it, so a model meets the
-- first price listed for its key, as arrayFirst found. No lambda captures a list (a captured
-- column is copied once per element), so memory follows the snapshot's size. Same columns and
-- the same rows (checked on the real getNetworkCapabilities answers). MODIFY QUERY swaps the
-- query in place: no insert runs without the view.
ALTER TABLE network_capability_models_mv MODIFY QUERY
WITH arrayJoin(JSONExtractArrayRaw(payload, 'data')) AS orch,
     JSONExtractArrayRaw(orch, 'capabilities_prices') AS prices,
     -- (capability, model id, model JSON), every model of every capability
     arrayFlatten(arrayMap(cap -> arrayMap((c, m) -> (c, m.1, m.2),
                                           arrayWithConstant(
                                               length(JSONExtractKeysAndValuesRaw(cap.2, 'models')),
                                               toUInt32OrZero(cap.1)),
                                           JSONExtractKeysAndValuesRaw(cap.2, 'models')),
                           JSONExtractKeysAndValuesRaw(orch, 'capabilities', 'constraints',
                                                       'PerCapability'))) AS models,
     -- (capability, model id, 0 = price / 1 = model, order, JSON)
     arraySort(arrayConcat(
         arrayMap((p, i) -> (JSONExtract(p, 'capability', 'UInt32'),
                             JSONExtractString(p, 'constraint'), 0, -toInt64(i), p),
                  prices, arrayEnumerate(prices)),
         arrayMap((m, i) -> (m.1, m.2, 1, toInt64(i), m.3), models, arrayEnumerate(models))))
         AS listed,
     arrayJoin(arrayFilter(x -> x.1.3 = 1, arrayZip(listed, arrayFill(x -> x.3 = 0, listed))))
         AS row,
     row.1 AS model,
     if(row.2.3 = 0 AND row.2.1 = model.1 AND row.2.2 = model.2, row.2.5, '') AS price
SELECT event_id, event_time, gateway,
       lower(JSONExtractString(orch, 'address')) AS address,
       lower(JSONExtractString(orch, 'local_address')) AS local_address,
       JSONExtractString(orch, 'orch_uri') AS orch_uri,
       JSONExtractString(orch, 'capabilities', 'version') AS version,
       model.1 AS capability,
       model.2 AS model_id,
       JSONExtractBool(model.5, 'warm') AS warm,
       JSONExtract(model.5, 'capacity', 'UInt32') AS capacity_idle,
       JSONExtract(model.5, 'capacityInUse', 'UInt32') AS capacity_in_use,
       JSONExtractString(model.5, 'runnerVersion') AS runner_version,
       if(price = '', NULL, JSONExtract(price, 'pricePerUnit', 'Float64')) AS price_per_unit,
       if(price = '', NULL, JSONExtract(price, 'pixelsPerUnit', 'Float64')) AS pixels_per_unit
FROM (SELECT event_id, event_time, gateway, payload FROM raw_events
      WHERE event_type = 'network_capabilities');
