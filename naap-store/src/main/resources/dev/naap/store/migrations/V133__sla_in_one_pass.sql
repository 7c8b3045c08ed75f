-- The refresh's fixed cost (issue 15): planning segment_facts_source took longer than reading a
-- few sessions, because it joined `sessions` to segment_sla, which is `sessions` again, so the
-- engine planned the whole session view tree twice. The SLA verdicts are now computed in the same
-- pass as the sessions (same rules as V042, same columns in the same order, NULL where a row is
-- not a segment as the join gave), and segment_sla reads them from here: one definition of the
-- SLA, and one `sessions` per refresh statement.
CREATE OR REPLACE VIEW segment_facts_source AS
SELECT s.*,
       if(s.segment_index >= 1, if(t.t_pipeline = s.pipeline, t.t_ptff_ms, d.d_ptff_ms), NULL) AS target_ptff_ms,
       if(s.segment_index >= 1, if(t.t_pipeline = s.pipeline, t.t_fps, d.d_fps), NULL) AS target_fps,
       if(s.segment_index >= 1, if(t.t_pipeline = s.pipeline, t.t_jitter, d.d_jitter), NULL) AS target_jitter,
       if(s.segment_index >= 1, if(t.t_pipeline = s.pipeline, t.t_objective, d.d_objective), NULL) AS objective,
       -- A null PTFF, startup or FPS cannot show compliance and violates; a null jitter
       -- coefficient (fewer than 3 samples) does not. violates_ptff is not part of compliance.
       if(s.segment_index >= 1, toBool(s.ptff_ms IS NULL OR s.ptff_ms > target_ptff_ms), NULL) AS violates_ptff,
       if(s.segment_index >= 1, toBool(s.fps_mean IS NULL OR s.fps_mean < target_fps), NULL) AS violates_fps,
       if(s.segment_index >= 1,
          toBool(s.jitter_coefficient IS NOT NULL AND s.jitter_coefficient > target_jitter), NULL) AS violates_jitter,
       if(s.segment_index >= 1,
          toBool(NOT (s.failed OR violates_startup OR violates_fps OR violates_jitter)), NULL) AS compliant,
       toStartOfHour(assumeNotNull(coalesce(s.segment_start, s.request_time, s.session_start))) AS bucket_hour,
       if(s.segment_index >= 1, if(t.t_pipeline = s.pipeline, t.t_startup_ms, d.d_startup_ms), NULL)
           AS target_startup_ms,
       if(s.segment_index >= 1,
          toBool(s.orchestrator_startup_ms IS NULL OR s.orchestrator_startup_ms > target_startup_ms), NULL)
           AS violates_startup
FROM sessions AS s
-- Target columns renamed: a name both sides have would come out of s.* qualified.
LEFT JOIN (SELECT pipeline AS t_pipeline, ptff_ms AS t_ptff_ms, startup_ms AS t_startup_ms, fps AS t_fps,
                  jitter AS t_jitter, objective AS t_objective
           FROM sla_targets FINAL) AS t ON t.t_pipeline = s.pipeline
CROSS JOIN (SELECT ptff_ms AS d_ptff_ms, startup_ms AS d_startup_ms, fps AS d_fps, jitter AS d_jitter,
                   objective AS d_objective
            FROM sla_targets FINAL WHERE pipeline = '') AS d
SETTINGS join_use_nulls = 0;

-- One row per segment (segment_index >= 1) with the targets that apply to it and each violation,
-- as in V042, now read from the verdicts above.
CREATE OR REPLACE VIEW segment_sla AS
SELECT stream_id, request_id, segment_index, orchestrator_address, pipeline, region, gateway, gpu_id,
       gpu_model, segment_start, is_test_load, ptff_ms, orchestrator_startup_ms, fps_mean,
       jitter_coefficient,
       assumeNotNull(target_ptff_ms) AS target_ptff_ms,
       assumeNotNull(target_startup_ms) AS target_startup_ms,
       assumeNotNull(target_fps) AS target_fps,
       assumeNotNull(target_jitter) AS target_jitter,
       assumeNotNull(objective) AS objective,
       failed AS violates_failure,
       assumeNotNull(violates_ptff) AS violates_ptff,
       assumeNotNull(violates_startup) AS violates_startup,
       assumeNotNull(violates_fps) AS violates_fps,
       assumeNotNull(violates_jitter) AS violates_jitter,
       assumeNotNull(compliant) AS compliant
FROM segment_facts_source
WHERE segment_index >= 1;
