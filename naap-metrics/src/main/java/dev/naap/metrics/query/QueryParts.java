package dev.naap.metrics.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The clauses and parameters of one report query, made from a {@link MetricsQuery} and the
 * {@link Catalogue}: group keys, filters, the total order, the page, the aligned time range.
 */
final class QueryParts {

  private final Report report;
  private final MetricsQuery query;
  private final List<Dimension> grouping;
  private final List<Column> columns;

  QueryParts(Report report, MetricsQuery query) {
    this.report = report;
    this.query = query;
    this.grouping = Catalogue.grouping(report, query.groupBy());
    this.columns = Catalogue.columns(report, query.groupBy());
  }

  List<Column> columns() {
    return columns;
  }

  /** The names of {@link #columns()} in the SQL: measures are aliased {@code m_<name>}. */
  List<String> fields() {
    return columns.stream().map(this::alias).toList();
  }

  List<Dimension> grouping() {
    return grouping;
  }

  /** The group key columns, each followed by a comma, for the start of a SELECT list. */
  String keys() {
    return grouping.stream().map(d -> d.column() + ", ").collect(Collectors.joining());
  }

  /** The group key columns, each preceded by a comma, to follow {@code window_start}. */
  String group() {
    return grouping.stream().map(d -> ", " + d.column()).collect(Collectors.joining());
  }

  /** The group key columns alone. */
  String groupOnly() {
    return grouping.stream().map(Dimension::column).collect(Collectors.joining(", "));
  }

  /** {@code AND column IN {f_param:Array(String)}} for every filter on {@code dimensions}. */
  String filters(Set<Dimension> dimensions) {
    StringBuilder b = new StringBuilder();
    for (Dimension d : Dimension.values()) {
      if (dimensions.contains(d) && query.filters().containsKey(d)) {
        b.append(" AND ")
            .append(d.column())
            .append(" IN {f_")
            .append(d.parameter())
            .append(":Array(String)}");
      }
    }
    return b.toString();
  }

  String filters() {
    return filters(Set.of(Dimension.values()));
  }

  /** The filter on {@code dimension}, applied to {@code column}; empty when there is none. */
  String filter(Dimension dimension, String column) {
    return query.filters().containsKey(dimension)
        ? " AND " + column + " IN {f_" + dimension.parameter() + ":Array(String)}"
        : "";
  }

  /**
   * The sort column (measures are aliased {@code m_<name>} in the SQL), nulls last, then every key
   * column: a total order, so offset pagination visits each row once.
   */
  String order() {
    List<String> terms = new ArrayList<>();
    if (query.sort() != null) {
      // MetricsQueries.sort checked the column.
      Column sorted = columns.stream().filter(c -> c.name().equals(query.sort().column()))
          .findFirst().orElseThrow();
      terms.add(alias(sorted) + (query.sort().descending() ? " DESC" : " ASC") + " NULLS LAST");
    }
    if (Catalogue.bucketed(report)) {
      terms.add("window_start");
    }
    grouping.forEach(d -> terms.add(d.column()));
    return String.join(", ", terms);
  }

  /**
   * The group keys that follow {@code window_start} at the head of the order and are also the
   * leading columns of {@code sortKey}, in that order; empty when the order starts with a measure
   * (or a key out of {@code sortKey}'s order). Any leading keys of a bucketed report's order are
   * a prefix of its total order.
   */
  List<Dimension> windowFirstPrefix(List<Dimension> sortKey) {
    Sort sort = query.sort();
    boolean windowFirst = sort == null
        || (sort.column().equals(Catalogue.WINDOW_START.name()) && !sort.descending());
    if (!windowFirst || !Catalogue.bucketed(report)) {
      return List.of();
    }
    int n = 0;
    while (n < grouping.size() && n < sortKey.size() && grouping.get(n) == sortKey.get(n)) {
      n++;
    }
    return grouping.subList(0, n);
  }

  private String alias(Column column) {
    boolean key = column == Catalogue.WINDOW_START
        || grouping.stream().anyMatch(d -> Catalogue.column(d).equals(column));
    return key ? column.name() : "m_" + column.name();
  }

  /** The start of the first bucket of {@code width} that starts at or after {@code start}. */
  static long alignUp(Instant t, Duration width) {
    long w = width.toSeconds();
    long s = t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
    return Math.ceilDiv(s, w) * w;
  }

  /**
   * Parameters: the buckets of {@code width} that start in [start, end) as epoch seconds
   * {@code from}/{@code to}, test-load inclusion, the page (one row more than asked, to know
   * whether more follow) and every filter's values.
   */
  Map<String, Object> params(Duration width) {
    Map<String, Object> params = new HashMap<>();
    params.put("from", alignUp(query.start(), width));
    params.put("to", alignUp(query.end(), width));
    params.put("width", width.toSeconds());
    params.put("include_test_load", query.includeTestLoad());
    params.put("limit", (long) query.limit() + 1);
    params.put("offset", query.offset());
    query.filters().forEach((d, values) -> params.put("f_" + d.parameter(), List.copyOf(values)));
    return params;
  }

  /**
   * The parameters of the whole range as one bucket, read from the rollup buckets of {@code level}:
   * as {@link #params} for those buckets, with {@code width} the aligned range (at least a second).
   */
  Map<String, Object> wholeRange(Duration level) {
    Map<String, Object> params = params(level);
    params.put("width", Math.max(1, (Long) params.get("to") - (Long) params.get("from")));
    return params;
  }

  /** A page from the decoded rows of a query that asked for one row more than the limit. */
  Page page(List<List<Object>> rows) {
    boolean more = rows.size() > query.limit();
    return new Page(columns, more ? rows.subList(0, query.limit()) : rows, more);
  }
}
