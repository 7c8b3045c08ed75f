-- The snapshots generate_supply.sql wrote for the same hours, as the per-node slots table holds
-- them (each orchestrator fronts one node here): what demand's supply and capacity read.
INSERT INTO capability_model_slots (event_id, event_time, gateway, local_address, node_url,
    capability, model_id, warm, capacity_idle, capacity_in_use)
SELECT event_id, event_time, gateway, local_address,
       concat('https://', substring(local_address, 33), '.example:8935'), capability, model_id,
       warm, capacity_idle, capacity_in_use
FROM network_capability_models
WHERE event_time >= toDateTime64({end:Int64} - 3600 * ({first_hour:UInt64} + {hours:UInt64}), 3,
                                 'UTC')
  AND event_time < toDateTime64({end:Int64} - 3600 * {first_hour:UInt64}, 3, 'UTC')
