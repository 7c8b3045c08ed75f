-- Two earlier migrations could miss rows of an ingest that ran while they did (UpgradeTest):
-- - V040 created views and then copied what raw_events held; an insert that began before a view
--   existed and committed after the copy read raw_events reached neither (network_capability_
--   node_gpus), or wrote its status rows through the dropped view, without last_restart_time_ms.
-- - V100 rebuilt capability_snapshots from itself; snapshot rows written into the old table
--   during the copy were dropped with it.
-- Every family table is a view of raw_events, so the events ingested in the hour before either
-- migration was recorded are inserted again: the views derive their rows anew, and every table
-- keeps the last insert per key (raw_events the same bytes). The runner applies this only after
-- the inserts running at the time have ended (Migrations.awaitInsertsRunning). On a store that
-- was empty when V040 and V100 ran the windows hold nothing; on a running one, an hour of events.
INSERT INTO raw_events
SELECT *
FROM raw_events FINAL
WHERE arrayExists(w -> ingested_at BETWEEN w - INTERVAL 1 HOUR AND w,
                  (SELECT groupArray(applied_at) FROM schema_migrations WHERE version IN (40, 100)));
