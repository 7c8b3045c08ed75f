package dev.naap.metrics.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read side of NaaP: everything the public API shows, computed from the rollups and public
 * views only, never from raw events. Thread-safe.
 */
public interface MetricsQueries {

  /** The columns of {@code report}, in the order rows carry them, for the given grouping. */
  List<Column> columns(Report report, List<Dimension> groupBy);

  /** The dimensions {@code report} can be grouped by; its default grouping comes first. */
  List<Dimension> groupable(Report report);

  /** The grouping {@code report} uses when a query asks for none. */
  default List<Dimension> defaultGroupBy(Report report) {
    return groupable(report);
  }

  /** The dimensions {@code report} can be filtered by; other filters are refused. */
  default List<Dimension> filterable(Report report) {
    return List.of(Dimension.values());
  }

  // The one validation of a query's shape: a query passes these before it runs.

  /**
   * The grouping that {@code names} (dimension parameters, in the caller's order) ask of {@code
   * report}; its {@link #defaultGroupBy} when there are none.
   *
   * @throws InvalidQueryException naming {@code group_by} for an unknown or repeated dimension,
   *     or one the report cannot be grouped by
   */
  default List<Dimension> groupBy(Report report, List<String> names) {
    List<Dimension> allowed = groupable(report);
    List<Dimension> groupBy = new ArrayList<>();
    for (String name : names) {
      String trimmed = name.strip();
      Dimension d = Dimension.byName(trimmed).filter(allowed::contains).orElseThrow(() ->
          new InvalidQueryException(InvalidQueryException.GROUP_BY, "cannot group by '" + trimmed
              + "'; this route groups by " + parameters(allowed)));
      if (groupBy.contains(d)) {
        throw new InvalidQueryException(InvalidQueryException.GROUP_BY,
            "'" + trimmed + "' given twice");
      }
      groupBy.add(d);
    }
    return groupBy.isEmpty() ? defaultGroupBy(report) : List.copyOf(groupBy);
  }

  /**
   * The order {@code text} ({@code column}, or {@code -column} for descending) asks of {@code
   * report} grouped by {@code groupBy}; null when {@code text} is null.
   *
   * @throws InvalidQueryException naming {@code sort} when the report has no such column
   */
  default Sort sort(Report report, List<Dimension> groupBy, String text) {
    if (text == null) {
      return null;
    }
    boolean descending = text.startsWith("-");
    String name = descending ? text.substring(1) : text;
    List<String> columns = columns(report, groupBy).stream().map(Column::name).toList();
    if (!columns.contains(name)) {
      throw new InvalidQueryException(InvalidQueryException.SORT,
          "no column '" + name + "' to sort by; columns: " + columns);
    }
    return new Sort(name, descending);
  }

  /**
   * Checks that {@code report} can be filtered by {@code dimension}.
   *
   * @throws InvalidQueryException naming the dimension's parameter when it cannot
   */
  default void checkFilter(Report report, Dimension dimension) {
    List<Dimension> filterable = filterable(report);
    if (!filterable.contains(dimension)) {
      throw new InvalidQueryException(dimension.parameter(), "this route cannot be filtered by "
          + dimension.parameter() + "; it can by " + parameters(filterable));
    }
  }

  private static List<String> parameters(List<Dimension> dimensions) {
    return dimensions.stream().map(Dimension::parameter).toList();
  }

  /**
   * One page of {@code report}, for a query whose grouping, filters and sort passed {@link
   * #groupBy}, {@link #checkFilter} and {@link #sort}.
   *
   * @throws IllegalArgumentException when a bucketed report's range exceeds {@link
   *     Granularity#maxRange()}
   */
  Page run(Report report, MetricsQuery query);

  /**
   * The time up to which the rollups are complete: events ingested before it are reflected. Null
   * when nothing has been computed yet.
   */
  Instant dataAsOf();

  /**
   * The version of the latest schema migration applied to the store, 0 when none: what readiness
   * asks first, and proof that the store answers.
   */
  long latestMigration();

  /** The SLA targets and objective in force for each pipeline, and the default. */
  List<SlaTargets> slaTargets();

  /** One orchestrator: its metadata, its GPUs and its history over the query's range. */
  Optional<OrchestratorDetail> orchestrator(String address, MetricsQuery query);

  /**
   * The hourly score history of one orchestrator over the query's range (at most {@link
   * Granularity#HOUR}'s range), per hour × pipeline, each hour scored by itself against the
   * cohort of the whole range; {@code window_start} first, then the columns of {@link
   * Report#ORCHESTRATOR_SCORES}. Paged by the query's limit and offset.
   */
  Page scoreHistory(String address, MetricsQuery query);

  /**
   * The columns of {@link #scoreHistory} grouped by {@code groupBy}: {@code window_start}, then the
   * score report's ({@code gpu_model} among them when asked for) but its price.
   */
  static List<Column> scoreHistoryColumns(List<Dimension> groupBy) {
    List<Column> columns = new ArrayList<>();
    columns.add(Catalogue.WINDOW_START);
    columns.addAll(Catalogue.columns(Report.ORCHESTRATOR_SCORES, groupBy));
    // An hour's price is /v1/network/prices' at 1h: the history carries none.
    columns.removeAll(Catalogue.SCORE_PRICE_MEASURES);
    return List.copyOf(columns);
  }

  /**
   * The nodes able to serve {@code query.caps()}, ranked by their signer's score, after the hard
   * filters (docs/API.md, "Discovery"); at most {@code query.limit()} rows.
   */
  Page discover(DiscoveryQuery query);

  /**
   * The sessions in flight at {@code at} (docs/METRICS.md, "Live"), read from the events rather
   * than the rollups, newest request first, with their totals by pipeline and gateway.
   *
   * @param filters by orchestrator, pipeline and gateway only
   */
  Live live(Map<Dimension, Set<String>> filters, boolean includeTestLoad, Instant at);

  /**
   * The live sessions: every row (at most {@link LiveStreams#MAX_ROWS}; {@code truncated} when
   * there were more), and how many per pipeline and per gateway.
   */
  record Live(Instant at, List<List<Object>> rows, boolean truncated, Map<String, Long> byPipeline,
      Map<String, Long> byGateway) {}

  /** The headline numbers over the query's range and over the same length just before it. */
  List<Headline> overview(MetricsQuery query);

  /** SLA targets of one pipeline ({@code pipeline} is {@code "*"} for the default). */
  record SlaTargets(String pipeline, long ptffMs, double fps, double jitter, double objective,
      long startupMs) {}

  /** One orchestrator: its metadata columns and values, its GPUs, its time series. */
  record OrchestratorDetail(Page metadata, Page gpus, Page history) {}

  /**
   * A headline number: its value over the range and over the previous period (null = no data), the
   * count it rests on, and its unit.
   */
  record Headline(
      String name, Double value, Double previous, long count, long previousCount, String unit) {}
}
