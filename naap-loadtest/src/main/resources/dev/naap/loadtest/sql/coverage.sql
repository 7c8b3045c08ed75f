-- Coverage: tests per orchestrator x pipeline over a range, the last test and the success rate
-- (docs/LOADTEST.md, "Coverage"). Aborted tests are not counted; medians are over the tests
-- that took the measurement, NULL when none did.
SELECT orchestrator, pipeline,
       count() AS tests,
       countIf(outcome = 'success') AS successes,
       successes / tests AS success_rate,
       max(started_at) AS last_tested_at,
       argMax(outcome, started_at) AS last_outcome,
       argMax(error_class, started_at) AS last_error_class,
       if(count(startup_ms) = 0, NULL,
          quantileExactIf(0.5)(toFloat64(assumeNotNull(startup_ms)), startup_ms IS NOT NULL)) AS startup_ms_p50,
       if(count(prompt_change_ms) = 0, NULL,
          quantileExactIf(0.5)(toFloat64(assumeNotNull(prompt_change_ms)), prompt_change_ms IS NOT NULL)) AS prompt_change_ms_p50,
       if(count(output_fps) = 0, NULL, avgIf(assumeNotNull(output_fps), output_fps IS NOT NULL)) AS output_fps_avg
FROM test_load_results FINAL
WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  AND outcome != 'aborted'
GROUP BY orchestrator, pipeline
ORDER BY pipeline, orchestrator
