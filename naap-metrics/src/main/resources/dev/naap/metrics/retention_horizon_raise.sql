-- The rollups' buckets before the horizon are final: their raw events and segments are being
-- dropped. The larger horizon per name wins (ReplacingMergeTree(horizon)): raising is idempotent.
INSERT INTO retention_horizon (name, horizon)
SELECT 'raw', toDateTime({horizon_s:Int64}, 'UTC')
