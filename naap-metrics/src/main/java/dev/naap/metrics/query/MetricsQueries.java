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

  /**
   * One page of {@code report}.
   *
   * @throws IllegalArgumentException when the grouping, a filter or the sort column is not one the
   *     report offers, or a bucketed report's range exceeds {@link Granularity#maxRange()}
   */
  Page run(Report report, MetricsQuery query);

  /**
   * The time up to which the rollups are complete: events ingested before it are reflected. Null
   * when nothing has been computed yet.
   */
  Instant dataAsOf();

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

  /** The columns of {@link #scoreHistory}: {@code window_start}, then the score report's. */
  static List<Column> scoreHistoryColumns() {
    List<Column> columns = new ArrayList<>();
    columns.add(Catalogue.WINDOW_START);
    columns.addAll(Catalogue.columns(Report.ORCHESTRATOR_SCORES, List.of()));
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
   * A headline number: its value over the range and over the previous period (null = no data),
   * the count it rests on, and its unit.
   */
  record Headline(String name, Double value, Double previous, long count, long previousCount, String unit) {}
}
