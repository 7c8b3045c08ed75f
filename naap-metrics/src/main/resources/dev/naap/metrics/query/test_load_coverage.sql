-- Coverage: tests per orchestrator x pipeline over a range, the last test and the success rate
-- (docs/LOADTEST.md, "Coverage"). Aborted tests are not counted; quantiles (exact) are over the
-- tests that took the measurement, NULL when none did. The orchestrator and pipeline filters list
-- alternatives; an empty one keeps every test. Columns in TestLoadResults.COVERAGE_COLUMNS order.
SELECT orchestrator, pipeline, tests, successes, successes / tests AS success_rate,
       last_tested_at, last_outcome, last_error_class,
       startup_q[1] AS startup_ms_p50, startup_q[2] AS startup_ms_p95,
       prompt_change_q[1] AS prompt_change_ms_p50, prompt_change_q[2] AS prompt_change_ms_p95,
       output_fps_avg, fps_q[1] AS output_fps_p50, fps_q[2] AS output_fps_p05
FROM
(
    SELECT orchestrator, pipeline,
           count() AS tests,
           countIf(outcome = 'success') AS successes,
           max(started_at) AS last_tested_at,
           argMax(outcome, started_at) AS last_outcome,
           argMax(error_class, started_at) AS last_error_class,
           if(count(startup_ms) = 0, NULL,
              quantilesExactIf(0.5, 0.95)(toFloat64(assumeNotNull(startup_ms)),
                                          startup_ms IS NOT NULL)) AS startup_q,
           if(count(prompt_change_ms) = 0, NULL,
              quantilesExactIf(0.5, 0.95)(toFloat64(assumeNotNull(prompt_change_ms)),
                                          prompt_change_ms IS NOT NULL)) AS prompt_change_q,
           if(count(output_fps) = 0, NULL,
              avgIf(assumeNotNull(output_fps), output_fps IS NOT NULL)) AS output_fps_avg,
           if(count(output_fps) = 0, NULL,
              quantilesExactIf(0.5, 0.05)(assumeNotNull(output_fps),
                                          output_fps IS NOT NULL)) AS fps_q
    FROM test_load_results FINAL
    WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
      AND outcome != 'aborted'
      AND (empty({orchestrators:Array(String)}) OR has({orchestrators:Array(String)}, orchestrator))
      AND (empty({pipelines:Array(String)}) OR has({pipelines:Array(String)}, pipeline))
    GROUP BY orchestrator, pipeline
)
ORDER BY pipeline, orchestrator
