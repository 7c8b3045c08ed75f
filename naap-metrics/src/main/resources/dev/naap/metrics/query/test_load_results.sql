-- One page of test results, newest first (docs/LOADTEST.md, "Results"). Each filter lists
-- alternatives; an empty one keeps every test. Fetches one row more than the page to know whether
-- more follow.
SELECT run_id, plan, test_id, kind, orchestrator, served_by, pipeline, model, dataset, prompt_id,
       prompt, started_at, ended_at, outcome, error_class, error_message, startup_ms,
       prompt_change_ms, prompt_applied_ms, prompt_changes_sent, prompt_changes_seen, output_fps,
       fps_jitter, status_samples, latency_ms
FROM test_load_results FINAL
WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  AND (empty({orchestrators:Array(String)}) OR has({orchestrators:Array(String)}, orchestrator))
  AND (empty({pipelines:Array(String)}) OR has({pipelines:Array(String)}, pipeline))
  AND (empty({outcomes:Array(String)}) OR has({outcomes:Array(String)}, outcome))
ORDER BY started_at DESC, test_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
