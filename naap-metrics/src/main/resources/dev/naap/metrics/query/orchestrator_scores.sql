-- The orchestrator score per orchestrator × pipeline over the range (docs/METRICS.md, "Orchestrator
-- score"): reliability and quality from the range's rollup rows, each shrunk toward the same
-- pipeline's network cohort by {prior:Float64} pseudo-segments; the cohort is the pipeline over the
-- cohort range ({c_from} .. {c_to}: the 7 days ending at the range's end, or the range when
-- longer). The score history (window = bucket_hour) scores each hour by itself against the same
-- cohort; over a range, the window is a constant and the window key is left out. The GPU key is
-- "gpu_model, " when scores are asked per GPU model (the cohort stays the pipeline's whole
-- network), else empty. Measures are aliased m_<column>; results are read by name.
-- With {with_price:Bool} (and the price columns, score_price_columns.sql), each row also carries
-- the orchestrator's price for the pipeline's model in force at {to} (docs/METRICS.md, "Prices"),
-- as /v1/network/prices gives it over the same range (network_prices.sql): its latest snapshot
-- before {to} and at most {price_max_age_s} older, the lowest of its nodes in that snapshot (ties
-- in time: the lowest); the network's median is over every orchestrator with a price in force,
-- whatever the filters. Without it (the history, discovery) the price rows are empty, unread.
WITH
own AS
(
    SELECT ${window} AS window_start, orchestrator_address, pipeline, ${gpu_key}
           sum(segments)            AS n,
           sum(failed_segments)     AS failed,
           sum(compliant_segments)  AS compliant,
           sum(fps_samples)         AS fps_n,
           sum(fps_sample_sum)      AS fps_sum,
           sum(startup_ms_count)    AS st_n,
           sum(startup_ms_sum)      AS st_sum
    FROM (${rows})
    WHERE orchestrator_address != '' AND segments > 0
    GROUP BY window_start, orchestrator_address, ${gpu_key} pipeline
),
cohort AS
(
    SELECT pipeline,
           1 - sum(failed_segments) / sum(segments)                           AS c_reliability,
           if(sum(fps_samples) > 0, sum(fps_sample_sum) / sum(fps_samples), NULL) AS c_fps,
           if(sum(startup_ms_count) > 0, sum(startup_ms_sum) / sum(startup_ms_count), NULL)
                                                                              AS c_startup
    FROM (${cohort_rows})
    WHERE orchestrator_address != '' AND segments > 0
    GROUP BY pipeline
),
resolution AS
(
    SELECT pipeline, argMax(toUInt64(width) * height * fps, updated_at) AS pixels_per_second
    FROM billing_resolutions GROUP BY pipeline
),
inforce AS
(
    -- One pass: the latest time's price, at that time the lowest (exact), as one tuple.
    SELECT orchestrator_address, pipeline, unit.1 AS unit_price, unit.2 AS unit_pixels,
           toDecimal128(unit_price, 18) / unit_pixels AS wei_per_pixel
    FROM
    (
        SELECT local_address AS orchestrator_address, model_id AS pipeline,
               argMax((assumeNotNull(price_per_unit), assumeNotNull(pixels_per_unit)),
                      (event_time, -toDecimal128(assumeNotNull(price_per_unit), 18)
                                   / assumeNotNull(pixels_per_unit))) AS unit
        FROM capability_prices
        WHERE {with_price:Bool}
          AND event_time >= toDateTime({to:Int64} - {price_max_age_s:Int64}, 'UTC')
          AND event_time < toDateTime({to:Int64}, 'UTC')
          AND price_per_unit IS NOT NULL AND pixels_per_unit IS NOT NULL
          AND model_id != '' AND local_address != ''
        GROUP BY orchestrator_address, pipeline
    )
),
price AS
(
    -- Nullable, so that a row without a price joins as null.
    SELECT i.orchestrator_address AS orchestrator_address, i.pipeline AS pipeline,
           toNullable(i.unit_price) AS p_price_per_unit,
           toNullable(i.unit_pixels) AS p_pixels_per_unit,
           toNullable(i.wei_per_pixel) AS p_wei_per_pixel,
           toNullable(i.wei_per_pixel * 60 * if(r.pixels_per_second > 0, r.pixels_per_second,
                                                d.pixels_per_second)) AS p_wei_per_stream_minute,
           toNullable(quantileExactLow(0.5)(i.wei_per_pixel) OVER (PARTITION BY i.pipeline))
               AS p_network_median
    FROM inforce AS i
    LEFT JOIN resolution AS r ON r.pipeline = i.pipeline
    CROSS JOIN (SELECT pixels_per_second FROM resolution WHERE pipeline = '') AS d
    SETTINGS join_use_nulls = 0
),
shrunk AS
(
    SELECT own.*, c_reliability, c_fps, c_startup,
           if(fps_n > 0, fps_sum / fps_n, NULL)                                     AS fps_mean,
           if(st_n > 0, st_sum / st_n, NULL)                                        AS st_mean,
           (n - failed + {prior:Float64} * c_reliability) / (n + {prior:Float64})   AS reliability,
           -- FPS is weighed by the segments that had output,
           -- startup by its samples (one per segment).
           if(fps_n > 0, (n * fps_mean + {prior:Float64} * c_fps) / (n + {prior:Float64}), c_fps)
                                                                                    AS fps_shrunk,
           (st_n * coalesce(st_mean, 0) + {prior:Float64} * c_startup) / (st_n + {prior:Float64})
                                                                                    AS st_shrunk,
           if(c_fps > 0, fps_shrunk / (fps_shrunk + c_fps), NULL)                   AS q_fps,
           if(c_startup > 0, c_startup / (c_startup + st_shrunk), NULL)             AS q_startup,
           multiIf(q_fps IS NULL, q_startup, q_startup IS NULL, q_fps, (q_fps + q_startup) / 2)
                                                                                    AS quality,
           -- The sd of Beta(a, b), a and b the successes and failures with the prior's
           -- pseudo-segments and half a segment each (Jeffreys), so that a cohort without
           -- failures still leaves the band open: a + b = n + prior + 1.
           sqrt((n - failed + {prior:Float64} * c_reliability + 0.5)
                * (failed + {prior:Float64} * (1 - c_reliability) + 0.5)
                / (pow(n + {prior:Float64} + 1, 2) * (n + {prior:Float64} + 2))) AS reliability_sd
    FROM own
    INNER JOIN cohort USING (pipeline)
)
SELECT ${window_key}orchestrator_address, pipeline, ${gpu_key}
       if(quality IS NULL, NULL,
          100 * ({w_reliability:Float64} * reliability + {w_quality:Float64} * quality))
                                                    AS m_score,
       if(quality IS NULL, NULL,
          100 * ({w_reliability:Float64} * greatest(0, reliability - 1.96 * reliability_sd)
                 + {w_quality:Float64} * quality))  AS m_score_low,
       if(quality IS NULL, NULL,
          100 * ({w_reliability:Float64} * least(1, reliability + 1.96 * reliability_sd)
                 + {w_quality:Float64} * quality))  AS m_score_high,
       if(quality IS NULL, 'no_cohort_quality', NULL) AS m_score_null_reason,
       n                                            AS m_segments,
       failed                                       AS m_failed_segments,
       if(n > 0, compliant / n, NULL)               AS m_sla_compliance_rate,
       reliability                                  AS m_reliability,
       c_reliability                                AS m_network_reliability,
       fps_mean                                     AS m_output_fps_mean,
       fps_n                                        AS m_fps_samples,
       c_fps                                        AS m_network_fps_mean,
       q_fps                                        AS m_fps_quality,
       st_mean                                      AS m_orchestrator_startup_ms_mean,
       st_n                                         AS m_startup_samples,
       c_startup                                    AS m_network_startup_ms_mean,
       q_startup                                    AS m_startup_quality,
       quality                                      AS m_quality
       ${price_columns}
FROM shrunk
LEFT JOIN price USING (orchestrator_address, pipeline)
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
