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
 * @param scope the range and filters the rows answer, null for routes that are not about a time
 *     range
 * @param generatedAt when this response was computed
 * @param dataAsOf up to when the rollups are complete, null when nothing is computed yet or the
 *     rows do not come from the rollups
 * @param columns the columns of {@code data}'s rows
 * @param extra route-specific entries (the SLA targets), written after the common ones
 */
record Meta(
    Scope scope,
    Instant generatedAt,
    Instant dataAsOf,
    List<Column> columns,
    Map<String, Object> extra) {

  /** The version of the metric definitions (docs/METRICS.md) the numbers follow. */
  static final String DEFINITIONS_VERSION = "2026-12-07";

  Meta {
    columns = List.copyOf(columns);
    extra = Map.copyOf(extra);
  }

  /**
   * What a page of rows is about.
   *
   * @param granularity the bucket width's label, null when the rows are not bucketed
   * @param filters the filter values per parameter, sorted, in the order they are written
   * @param groupBy the dimensions the rows are grouped by, null when the route has no grouping
   * @param includeTestLoad whether test load is counted, null when the route has no such choice
   */
  record Scope(Instant start, Instant end, String granularity, Map<String, List<String>> filters,
      List<String> groupBy, Boolean includeTestLoad) {

    /** The scope of a metric query. */
    static Scope of(MetricsQuery query) {
      Map<String, List<String>> filters = new LinkedHashMap<>();
      for (Dimension d : Dimension.values()) {
        var values = query.filters().get(d);
        if (values != null) {
          filters.put(d.parameter(), values.stream().sorted().toList());
        }
      }
      return new Scope(query.start(), query.end(), query.granularity().label(), filters,
          query.groupBy().stream().map(Dimension::parameter).toList(), query.includeTestLoad());
    }

    /** This scope with the width of the buckets its rows have (null: none). */
    Scope withGranularity(String label) {
      return new Scope(start, end, label, filters, groupBy, includeTestLoad);
    }
  }

  /** The entries of {@code meta}, in the order they are written. */
  Map<String, Object> entries() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", scope == null ? null : scope.start());
    m.put("end", scope == null ? null : scope.end());
    m.put("granularity", scope == null ? null : scope.granularity());
    m.put("filters", scope == null ? Map.of() : scope.filters());
    if (scope != null && scope.groupBy() != null) {
      m.put("group_by", scope.groupBy());
    }
    if (scope != null && scope.includeTestLoad() != null) {
      m.put("include_test_load", scope.includeTestLoad());
    }
    m.put("generated_at", generatedAt);
    m.put("data_as_of", dataAsOf);
    m.put("definitions_version", DEFINITIONS_VERSION);
    m.put("columns", Columns.describe(columns));
    extra.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }
}
