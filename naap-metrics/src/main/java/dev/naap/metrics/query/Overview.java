package dev.naap.metrics.query;

import dev.naap.metrics.query.MetricsQueries.Headline;
import dev.naap.store.Rows;
import dev.naap.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The headline numbers of {@link MetricsQueries#overview}: each over the query's range and over
 * the period of equal length just before it, with the count it rests on (docs/METRICS.md).
 */
final class Overview {

  /** Active streams: the most streams overlapping one minute of a period's last minutes. */
  static final int ACTIVE_MINUTES = 5;

  private static final List<String> ROLLUP_FIELDS = List.of("n_sessions", "n_orchestrators",
      "n_gpus", "n_fps", "fps_avg", "n_ptff", "ptff_p95", "n_segments", "n_failed", "n_compliant",
      "n_startup", "startup_p95", "n_selection_wait", "selection_wait_p95", "n_gpu_attributed");
  private static final List<String> DEMAND_FIELDS = List.of(
      "is_current", "stream_minutes", "n_requested", "active_streams", "active_minutes_seen");

  private final Store store;
  private final RollupRows rows;
  private final SqlTemplate rollupsSql = SqlTemplate.load("overview_rollups.sql");
  private final SqlTemplate demandSql = SqlTemplate.load("overview_demand.sql");

  Overview(Store store, RollupRows rows) {
    this.store = store;
    this.rows = rows;
  }

  List<Headline> headlines(MetricsQuery query) {
    Duration length = Duration.between(query.start(), query.end());
    Instant previousStart = query.start().minus(length);
    // The statements run at once: the previous period's rollups and both periods' demand on
    // threads that only wait for the store, whose own executor runs the statements on its
    // platform threads under its connection limit, like every call.
    FutureTask<Rows.Row> previousRollups =
        new FutureTask<>(() -> rollups(query, previousStart, query.start()));
    FutureTask<Demand[]> demands = new FutureTask<>(() -> demand(query, previousStart));
    Thread.ofVirtual().name("overview-previous").start(previousRollups);
    Thread.ofVirtual().name("overview-demand").start(demands);
    Totals now;
    Totals before;
    try {
      Rows.Row current = rollups(query, query.start(), query.end());
      Demand[] demand = join(demands);
      now = totals(current, demand[1]);
      before = totals(join(previousRollups), demand[0]);
    } finally {
      // A caller that gave up (timeout) takes the other calls back too.
      previousRollups.cancel(true);
      demands.cancel(true);
    }
    return List.of(
        now.activeStreams.against(before.activeStreams, "active_streams", "streams"),
        now.sessions.against(before.sessions, "sessions", ""),
        now.streamMinutes.against(before.streamMinutes, "stream_minutes", "min"),
        now.orchestrators.against(before.orchestrators, "orchestrators", ""),
        now.gpus.against(before.gpus, "gpus", ""),
        now.fpsMean.against(before.fpsMean, "output_fps_mean", "frames/s"),
        now.ptffP95.against(before.ptffP95, "ptff_ms_p95", "ms"),
        now.failureRate.against(before.failureRate, "failure_rate", ""),
        now.slaCompliance.against(before.slaCompliance, "sla_compliance_rate", ""),
        now.startupP95.against(before.startupP95, "orchestrator_startup_ms_p95", "ms"),
        now.selectionWaitP95.against(before.selectionWaitP95, "selection_wait_ms_p95", "ms"),
        now.gpuAttribution.against(before.gpuAttribution, "gpu_attribution_rate", ""));
  }

  /** A value (null = no data) and the count it rests on. */
  private record Measured(Double value, long count) {
    static final Measured NONE = new Measured(null, 0);

    static Measured count(long n) {
      return new Measured((double) n, n);
    }

    static Measured ratio(long part, long whole) {
      return new Measured(whole > 0 ? (double) part / whole : null, whole);
    }

    Headline against(Measured previous, String name, String unit) {
      return new Headline(name, value, previous.value, count, previous.count, unit);
    }
  }

  private record Totals(Measured activeStreams, Measured sessions, Measured streamMinutes,
      Measured orchestrators, Measured gpus, Measured fpsMean, Measured ptffP95,
      Measured failureRate, Measured slaCompliance, Measured startupP95, Measured selectionWaitP95,
      Measured gpuAttribution) {}

  /** A period's demand headlines; {@link #NONE} when a filter leaves demand unknown. */
  private record Demand(Measured streamMinutes, Measured activeStreams) {
    static final Demand NONE = new Demand(Measured.NONE, Measured.NONE);
  }

  private Rows.Row rollups(MetricsQuery query, Instant start, Instant end) {
    QueryParts hourly = new QueryParts(Report.GPU_METRICS, period(query, start, end));
    return Rows.query(store, rollupsSql.fill(Map.of("rows", rows.range(hourly.filters()))),
        RollupRows.withDays(hourly.params(Duration.ofHours(1))), ROLLUP_FIELDS).single();
  }

  /** The demand of the previous period (index 0) and the query's own (index 1), in one pass. */
  private Demand[] demand(MetricsQuery query, Instant previousStart) {
    Demand[] demand = {Demand.NONE, Demand.NONE};
    // Demand has no orchestrator or GPU: with such a filter its numbers are unknown, not zero.
    if (!Catalogue.filterable(Report.NETWORK_DEMAND).containsAll(query.filters().keySet())) {
      return demand;
    }
    QueryParts minutes =
        new QueryParts(Report.NETWORK_DEMAND, period(query, previousStart, query.end()));
    Map<String, Object> params = minutes.params(Duration.ofMinutes(1));
    params.put("start", QueryParts.alignUp(query.start(), Duration.ofMinutes(1)));
    params.put("active_minutes", (long) ACTIVE_MINUTES);
    for (Rows.Row d : Rows.query(store, demandSql.fill(Map.of("filters", minutes.filters())),
        params, DEMAND_FIELDS)) {
      // A period with demand rows has stream-minutes, also of sessions that started before it;
      // the count beside them is the sessions started in it.
      demand[d.bool("is_current") ? 1 : 0] = new Demand(
          new Measured(d.decimal("stream_minutes"), d.count("n_requested")),
          d.count("active_minutes_seen") > 0
              ? Measured.count(d.count("active_streams")) : Measured.NONE);
    }
    return demand;
  }

  private static MetricsQuery period(MetricsQuery query, Instant start, Instant end) {
    return new MetricsQuery(start, end, query.granularity(), query.filters(), List.of(), null, 1,
        0, query.includeTestLoad());
  }

  private static Totals totals(Rows.Row r, Demand demand) {
    long segments = r.count("n_segments");
    return new Totals(demand.activeStreams(), Measured.count(r.count("n_sessions")),
        demand.streamMinutes(),
        Measured.count(r.count("n_orchestrators")), Measured.count(r.count("n_gpus")),
        new Measured(r.decimal("fps_avg"), r.count("n_fps")),
        new Measured(r.decimal("ptff_p95"), r.count("n_ptff")),
        Measured.ratio(r.count("n_failed"), segments),
        Measured.ratio(r.count("n_compliant"), segments),
        new Measured(r.decimal("startup_p95"), r.count("n_startup")),
        new Measured(r.decimal("selection_wait_p95"), r.count("n_selection_wait")),
        Measured.ratio(r.count("n_gpu_attributed"), segments));
  }

  private static <T> T join(FutureTask<T> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing the overview", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }
}
