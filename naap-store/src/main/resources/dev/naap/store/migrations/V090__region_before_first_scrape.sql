-- Region of a segment that started before the scraper first saw its node (docs/METRICS.md,
-- "Region"): the region of that first metadata version. Orchestrators rarely move, and history that
-- predates NaaP's first scrape (a backfill, an import) would otherwise have no region at all.
-- `sessions` (V041) reads this view by name, so it follows without being recreated.
CREATE OR REPLACE VIEW segment_metadata_regions AS
-- The version of the segment's node (else signer) that started last before the segment did (as in
-- V041)...
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address, g.attempt_time AS attempt_time,
       v.region AS region, v.valid_from AS valid_from, v.valid_to AS valid_to
FROM (SELECT stream_id, request_id, orchestrator_address, attempt_time,
             if(node_url != '', node_url, '*') AS lookup_url,
             assumeNotNull(segment_start) AS segment_start
      FROM segments) AS g
ASOF INNER JOIN (SELECT local_address, arrayJoin([replaceRegexpOne(lower(orch_uri), '/+$', ''), '*']) AS lookup_url,
                        region, valid_from, valid_to
                 FROM orchestrator_versions FINAL WHERE region IS NOT NULL AND region != '') AS v
    ON v.local_address = g.orchestrator_address AND v.lookup_url = g.lookup_url
       AND v.valid_from <= g.segment_start
UNION ALL
-- ...else, for a segment before every version of its node (else signer), the first one.
SELECT g.stream_id AS stream_id, g.request_id AS request_id,
       g.orchestrator_address AS orchestrator_address, g.attempt_time AS attempt_time,
       f.first.1 AS region, f.first_from AS valid_from, f.first.2 AS valid_to
FROM (SELECT stream_id, request_id, orchestrator_address, attempt_time,
             if(node_url != '', node_url, '*') AS lookup_url,
             assumeNotNull(segment_start) AS segment_start
      FROM segments) AS g
INNER JOIN (SELECT local_address, lookup_url, min(valid_from) AS first_from,
                   argMin(tuple(assumeNotNull(region), valid_to), valid_from) AS first
            FROM (SELECT local_address, region, valid_from, valid_to,
                         arrayJoin([replaceRegexpOne(lower(orch_uri), '/+$', ''), '*']) AS lookup_url
                  FROM orchestrator_versions FINAL
                  WHERE region IS NOT NULL AND region != '')
            GROUP BY local_address, lookup_url) AS f
    ON f.local_address = g.orchestrator_address AND f.lookup_url = g.lookup_url
WHERE g.segment_start < f.first_from;
