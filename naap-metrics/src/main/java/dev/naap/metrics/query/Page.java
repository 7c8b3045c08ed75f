package dev.naap.metrics.query;

import java.util.List;

/**
 * One page of a report's rows. Each row has one value per column, in column order; a value is a
 * {@link String}, {@link Long}, {@link Double}, {@link java.time.Instant}, {@link Boolean} or
 * {@code null} (no data — never a 0 that looks like a measurement). {@code hasMore} says whether
 * rows follow this page.
 */
public record Page(List<Column> columns, List<List<Object>> rows, boolean hasMore) {

  public Page {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }
}
