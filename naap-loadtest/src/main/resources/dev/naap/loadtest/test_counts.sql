-- Live tests so far per orchestrator pin of one plan and pipeline; aborted and unpinned tests
-- (the gateway chose) are not counted.
SELECT orchestrator, count() AS tests
FROM test_load_results FINAL
WHERE plan = {plan:String} AND pipeline = {pipeline:String} AND kind = 'live'
  AND outcome != 'aborted' AND orchestrator != ''
GROUP BY orchestrator
