-- Prices per time bucket and group (docs/METRICS.md, "Prices"). For each bucket, the price in force
-- for an orchestrator (signer) and model is the latest one advertised in a network_capabilities
-- snapshot before the bucket's end and at most {price_max_age_s} before it (the lowest of its
-- nodes in that snapshot). Per stream-minute at the pipeline's billing resolution. The network's
-- median is over every orchestrator of the model in the bucket, whatever the filters. Measures
-- are aliased m_<column>.
WITH
resolution AS
(
    SELECT pipeline, argMax(toUInt64(width) * height * fps, updated_at) AS pixels_per_second
    FROM billing_resolutions GROUP BY pipeline
),
series AS
(
    SELECT local_address AS orchestrator_address, model_id AS pipeline, event_time,
           min(toDecimal128(price_per_unit, 18) / pixels_per_unit) AS wei_per_pixel,
           argMin(price_per_unit, toDecimal128(price_per_unit, 18) / pixels_per_unit) AS unit_price,
           argMin(pixels_per_unit, toDecimal128(price_per_unit, 18) / pixels_per_unit)
               AS unit_pixels
    FROM capability_prices
    WHERE event_time >= toDateTime({from:Int64} - {price_max_age_s:Int64}, 'UTC')
      AND event_time < toDateTime({to:Int64}, 'UTC')
      AND price_per_unit IS NOT NULL AND pixels_per_unit IS NOT NULL
      AND model_id != '' AND local_address != ''
    GROUP BY event_id, event_time, orchestrator_address, pipeline
),
grid AS
(
    SELECT toInt64(arrayJoin(range({from:Int64}, {to:Int64}, {width:Int64}))) AS window_start,
           toDateTime64(window_start + {width:Int64}, 3, 'UTC') AS window_end,
           orchestrator_address, pipeline
    FROM (SELECT DISTINCT orchestrator_address, pipeline FROM series)
),
inforce AS
(
    SELECT g.window_start AS window_start, g.orchestrator_address AS orchestrator_address,
           g.pipeline AS pipeline, s.unit_price AS price_per_unit, s.unit_pixels AS pixels_per_unit,
           s.wei_per_pixel AS wei_per_pixel,
           s.wei_per_pixel * 60 * if(r.pixels_per_second > 0, r.pixels_per_second,
                                     d.pixels_per_second) AS wei_per_stream_minute
    FROM grid AS g
    ASOF INNER JOIN series AS s
        ON s.orchestrator_address = g.orchestrator_address AND s.pipeline = g.pipeline
           AND g.window_end > s.event_time
    LEFT JOIN resolution AS r ON r.pipeline = g.pipeline
    CROSS JOIN (SELECT pixels_per_second FROM resolution WHERE pipeline = '') AS d
    WHERE s.event_time >= g.window_end - toIntervalSecond({price_max_age_s:Int64})
    SETTINGS join_use_nulls = 0
),
network AS
(
    SELECT window_start, pipeline, quantileExactLow(0.5)(wei_per_pixel) AS network_median
    FROM inforce GROUP BY window_start, pipeline
)
SELECT window_start, ${keys}
       count()                                                    AS m_orchestrators,
       if(count() = 1, any(price_per_unit), NULL)                 AS m_price_per_unit,
       if(count() = 1, any(pixels_per_unit), NULL)                AS m_pixels_per_unit,
       quantileExactLow(0.5)(wei_per_pixel)                       AS m_wei_per_pixel,
       min(wei_per_pixel)                                         AS m_wei_per_pixel_min,
       quantileExactLow(0.1)(wei_per_pixel)                       AS m_wei_per_pixel_p10,
       quantileExactLow(0.9)(wei_per_pixel)                       AS m_wei_per_pixel_p90,
       max(wei_per_pixel)                                         AS m_wei_per_pixel_max,
       quantileExactLow(0.5)(wei_per_stream_minute)               AS m_wei_per_stream_minute,
       if(uniqExact(pipeline) = 1, any(n.network_median), NULL)   AS m_network_wei_per_pixel_median,
       if(m_network_wei_per_pixel_median > 0,
          toFloat64(m_wei_per_pixel) / toFloat64(m_network_wei_per_pixel_median), NULL)
                                                                  AS m_price_vs_network
FROM inforce AS i
INNER JOIN network AS n USING (window_start, pipeline)
WHERE 1 ${filters}
GROUP BY window_start ${group}
ORDER BY ${order}
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
