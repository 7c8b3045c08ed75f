-- SLA compliance per group over the whole range (docs/METRICS.md, "SLA compliance"). The targets
-- are those in force now for each row's pipeline (else the defaults); a row that mixes different
-- targets shows NULL for them. Compliance judges startup, FPS, failures and jitter; the PTFF
-- violations are reported beside them for information. Measures are aliased m_<column>; results are
-- read by position. The rows are summed per group and pipeline first, and each sum takes its
-- pipeline's targets from the few rows of sla_targets, read once as a constant: no join per row.
WITH (SELECT groupArray((pipeline, startup_ms, ptff_ms, fps, jitter, objective))
      FROM sla_targets FINAL) AS targets
SELECT ${keys}
       sum(s_segments)                                                  AS m_eligible_segments,
       sum(s_compliant_segments)                                        AS m_compliant_segments,
       if(m_eligible_segments > 0, m_compliant_segments / m_eligible_segments, NULL)
                                                                        AS m_compliance_rate,
       if(m_eligible_segments > 0 AND min(t_objective) = max(t_objective) AND max(t_objective) < 1,
          1 - (1 - m_compliance_rate) / (1 - max(t_objective)), NULL)   AS m_error_budget_remaining,
       sum(s_violations_failure)                                        AS m_violations_failure,
       sum(s_violations_ptff)                                           AS m_violations_ptff,
       sum(s_violations_fps)                                            AS m_violations_fps,
       sum(s_violations_jitter)                                         AS m_violations_jitter,
       if(min(t_ptff_ms) = max(t_ptff_ms), toInt64(max(t_ptff_ms)), NULL) AS m_target_ptff_ms,
       if(min(t_fps) = max(t_fps), max(t_fps), NULL)                      AS m_target_fps,
       if(min(t_jitter) = max(t_jitter), max(t_jitter), NULL)             AS m_target_jitter,
       if(min(t_objective) = max(t_objective), max(t_objective), NULL)    AS m_objective,
       sum(s_violations_startup)                                        AS m_violations_startup,
       if(min(t_startup_ms) = max(t_startup_ms), toInt64(max(t_startup_ms)), NULL)
                                                                        AS m_target_startup_ms
FROM
(
    SELECT ${keys} pipeline AS target_pipeline,
           sum(segments) AS s_segments, sum(compliant_segments) AS s_compliant_segments,
           sum(violations_failure) AS s_violations_failure,
           sum(violations_ptff) AS s_violations_ptff, sum(violations_fps) AS s_violations_fps,
           sum(violations_jitter) AS s_violations_jitter,
           sum(violations_startup) AS s_violations_startup,
           -- The pipeline's own targets, else the defaults (pipeline '', seeded by V006).
           targets[if(has(targets.1, target_pipeline), indexOf(targets.1, target_pipeline),
                      indexOf(targets.1, ''))] AS target,
           target.2 AS t_startup_ms, target.3 AS t_ptff_ms, target.4 AS t_fps,
           target.5 AS t_jitter, target.6 AS t_objective
    FROM (${rows})
    WHERE segments > 0
    GROUP BY ${keys} target_pipeline
)
GROUP BY ${group_only}
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
