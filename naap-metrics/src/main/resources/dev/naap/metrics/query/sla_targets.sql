-- The SLA targets in force per pipeline ('' = the defaults), newest row per pipeline.
SELECT pipeline, ptff_ms, fps, jitter, objective, startup_ms FROM sla_targets FINAL
ORDER BY pipeline
