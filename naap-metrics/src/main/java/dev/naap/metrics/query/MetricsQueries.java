package dev.naap.metrics.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
   * The nodes able to serve {@code query.caps()}, ranked by their signer's score, after the hard
   * filters (docs/API.md, "Discovery"); at most {@code query.limit()} rows.
   */
  Page discover(DiscoveryQuery query);

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
