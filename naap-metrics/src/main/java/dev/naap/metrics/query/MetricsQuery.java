package dev.naap.metrics.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a caller asks of a report: rows for the buckets of {@code granularity} that start in [{@code
 * start}, {@code end}) ({@link Granularity#ALL}: one bucket for the whole range), restricted to
 * {@code filters} (a dimension's values are alternatives; dimensions are combined), grouped by
 * {@code groupBy} (besides the time bucket; empty = the report's default), ordered by {@code sort}
 * (null = the report's default), one page of at most {@code limit} rows after skipping {@code
 * offset}. Test load is excluded unless {@code includeTestLoad}. Values are validated by the caller
 * and are always bound as query parameters.
 */
public record MetricsQuery(
    Instant start,
    Instant end,
    Granularity granularity,
    Map<Dimension, Set<String>> filters,
    List<Dimension> groupBy,
    Sort sort,
    int limit,
    long offset,
    boolean includeTestLoad) {

  public MetricsQuery {
    filters = Map.copyOf(filters);
    groupBy = List.copyOf(groupBy);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("start must be before end");
    }
    if (limit < 1 || offset < 0) {
      throw new IllegalArgumentException("limit must be positive and offset not negative");
    }
  }
}
