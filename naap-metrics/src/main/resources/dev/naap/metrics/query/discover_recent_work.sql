-- The segments each signer served of each pipeline in the hours [{from}, {to}) (epoch seconds; the
-- hour before discovery's end): its `recent_work` (docs/API.md, "Discovery").
SELECT orchestrator_address AS signer, pipeline AS model, sum(segments) AS recent_segments
FROM (${rows})
WHERE orchestrator_address IN {signers:Array(String)} AND pipeline IN {models:Array(String)}
GROUP BY orchestrator_address, pipeline
