-- The price columns of orchestrator_scores.sql's rows (its CTE price, joined to each row).
,      p_price_per_unit                             AS m_price_per_unit,
       p_pixels_per_unit                            AS m_pixels_per_unit,
       p_wei_per_pixel                              AS m_wei_per_pixel,
       p_wei_per_stream_minute                      AS m_wei_per_stream_minute,
       p_network_median                             AS m_network_wei_per_pixel_median,
       if(p_network_median > 0, toFloat64(p_wei_per_pixel) / toFloat64(p_network_median), NULL)
                                                    AS m_price_vs_network
