package dev.naap.api;

import dev.naap.metrics.query.Column;
import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.MetricsQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code meta} of the envelope: what the rows are about and how fresh they are.
 *
 * @param query the query the rows answer, null for routes that are not about a time range
 * @param generatedAt when this response was computed
 * @param dataAsOf up to when the rollups are complete, null when nothing is computed yet
 * @param columns the columns of {@code data}'s rows
 * @param extra route-specific entries (the SLA targets), written after the common ones
 */
record Meta(MetricsQuery query, Instant generatedAt, Instant dataAsOf, List<Column> columns,
    Map<String, Object> extra) {

  /** The version of the metric definitions (docs/METRICS.md) the numbers follow. */
  static final String DEFINITIONS_VERSION = "2026-11-25";

  Meta {
    columns = List.copyOf(columns);
    extra = Map.copyOf(extra);
  }

  /** The entries of {@code meta}, in the order they are written. */
  Map<String, Object> entries() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", query == null ? null : query.start());
    m.put("end", query == null ? null : query.end());
    m.put("granularity", query == null ? null : query.granularity().label());
    Map<String, List<String>> filters = new LinkedHashMap<>();
    if (query != null) {
      for (Dimension d : Dimension.values()) {
        var values = query.filters().get(d);
        if (values != null) {
          filters.put(d.parameter(), values.stream().sorted().toList());
        }
      }
    }
    m.put("filters", filters);
    if (query != null) {
      m.put("group_by", query.groupBy().stream().map(Dimension::parameter).toList());
      m.put("include_test_load", query.includeTestLoad());
    }
    m.put("generated_at", generatedAt);
    m.put("data_as_of", dataAsOf);
    m.put("definitions_version", DEFINITIONS_VERSION);
    m.put("columns", Columns.describe(columns));
    extra.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }
}
