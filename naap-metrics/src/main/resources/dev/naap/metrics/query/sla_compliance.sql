-- SLA compliance per group over the whole range (docs/METRICS.md, "SLA compliance"). The targets
-- are those in force now for each row's pipeline (else the defaults); a row that mixes different
-- targets shows NULL for them. Compliance judges startup, FPS, failures and jitter; the PTFF
-- violations are reported beside them for information. Measures are aliased m_<column>; results are
-- read by position.
SELECT ${keys}
       sum(segments)                                                    AS m_eligible_segments,
       sum(compliant_segments)                                          AS m_compliant_segments,
       if(m_eligible_segments > 0, m_compliant_segments / m_eligible_segments, NULL)
                                                                        AS m_compliance_rate,
       if(m_eligible_segments > 0 AND min(t_objective) = max(t_objective) AND max(t_objective) < 1,
          1 - (1 - m_compliance_rate) / (1 - max(t_objective)), NULL)   AS m_error_budget_remaining,
       sum(violations_failure)                                          AS m_violations_failure,
       sum(violations_ptff)                                             AS m_violations_ptff,
       sum(violations_fps)                                              AS m_violations_fps,
       sum(violations_jitter)                                           AS m_violations_jitter,
       if(min(t_ptff_ms) = max(t_ptff_ms), toInt64(max(t_ptff_ms)), NULL) AS m_target_ptff_ms,
       if(min(t_fps) = max(t_fps), max(t_fps), NULL)                      AS m_target_fps,
       if(min(t_jitter) = max(t_jitter), max(t_jitter), NULL)             AS m_target_jitter,
       if(min(t_objective) = max(t_objective), max(t_objective), NULL)    AS m_objective,
       sum(violations_startup)                                          AS m_violations_startup,
       if(min(t_startup_ms) = max(t_startup_ms), toInt64(max(t_startup_ms)), NULL)
                                                                        AS m_target_startup_ms
FROM
(
    SELECT r.orchestrator_address AS orchestrator_address, r.gpu_id AS gpu_id,
           r.gpu_model AS gpu_model, r.pipeline AS pipeline, r.region AS region,
           r.gateway AS gateway, r.segments AS segments, r.compliant_segments AS compliant_segments,
           r.violations_failure AS violations_failure, r.violations_ptff AS violations_ptff,
           r.violations_fps AS violations_fps, r.violations_jitter AS violations_jitter,
           r.violations_startup AS violations_startup,
           if(t.pipeline != '', t.startup_ms, d.startup_ms) AS t_startup_ms,
           if(t.pipeline != '', t.ptff_ms, d.ptff_ms)     AS t_ptff_ms,
           if(t.pipeline != '', t.fps, d.fps)             AS t_fps,
           if(t.pipeline != '', t.jitter, d.jitter)       AS t_jitter,
           if(t.pipeline != '', t.objective, d.objective) AS t_objective
    FROM (${rows}) AS r
    LEFT JOIN (SELECT * FROM sla_targets FINAL WHERE pipeline != '') AS t ON t.pipeline = r.pipeline
    CROSS JOIN (SELECT * FROM sla_targets FINAL WHERE pipeline = '') AS d
    WHERE r.segments > 0
    SETTINGS join_use_nulls = 0
)
GROUP BY ${group_only}
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
