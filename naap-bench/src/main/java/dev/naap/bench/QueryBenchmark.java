package dev.naap.bench;

import dev.naap.app.Main;
import dev.naap.app.Range;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.Granularity;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.MetricsQuery;
import dev.naap.metrics.query.Report;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Latency of the API's main queries ({@link ClickHouseMetricsQueries}) over a generated network.
 *
 * <p>Workload: {@code --days} days of a network of {@code --gpus} GPUs on {@code
 * --orchestrators} orchestrators ({@link NetworkOptions}), 6 GPU models, 4 pipelines, 8 regions and
 * 3 gateways, written straight into the rollup tables with {@code INSERT … SELECT} from {@code
 * numbers()} (SQL in this package's resources): {@code rollup_hour} one row per hour × GPU ×
 * gateway (720 000 × 3 rows for 30 days), {@code demand_minute} one row per minute × gateway ×
 * pipeline × region (96 per minute), a capabilities snapshot per gateway every 10 minutes, and the
 * scraped metadata of every orchestrator; then the {@code Refresher} rolls the hours up into {@code
 * rollup_day} and the demand minutes into {@code demand_hour} as a refresh would. Values are
 * deterministic (hashes of the row number). Each query runs {@code --warmups} times, then {@code
 * --runs} times one after another on one thread; the p50 and p95 of those runs are printed. Pages
 * are 100 rows.
 *
 * <p>Run: {@code ./naap bench query [--days D] [--gpus G] [--orchestrators O] [--runs R]}.
 */
@Command(name = "query", description = "latency of the API's main queries over a generated network")
public final class QueryBenchmark implements Main.Runner {

  @Mixin NetworkOptions network;

  @Option(names = "--runs", paramLabel = "R", description = "timed runs of each query")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int runs = 30;

  @Option(names = "--warmups", paramLabel = "W", description = "untimed runs before them")
  @Range(min = 0, max = Integer.MAX_VALUE)
  int warmups = 3;

  QueryBenchmark() {}

  @Override
  public int run(PrintStream out, PrintStream err) throws Exception {
    int days = network.days;
    WorkDir work = WorkDir.temporary("naap-bench-query-");
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    System.out.printf(
        "query benchmark: %d days, %d GPUs, %d orchestrators, %d runs after %d warm-ups, "
            + "%d cores, work dir %s%n",
        days, network.gpus, network.orchestrators, runs, warmups,
        Runtime.getRuntime().availableProcessors(), work);

    try (work; Store store = Stores.open(new StoreConfig.Embedded(work.resolve("store"), 4))) {
      GeneratedNetwork.generate(store, end, days, network.gpus, network.orchestrators);
      System.out.printf(
          "rows: rollup_hour %s, rollup_day %s, demand_minute %s, demand_hour %s, "
              + "network_capability_models %s%n",
          count(store, "rollup_hour"),
          count(store, "rollup_day"),
          count(store, "demand_minute"),
          count(store, "demand_hour"),
          count(store, "network_capability_models"));

      MetricsQueries queries = new ClickHouseMetricsQueries(store);
      Map<String, Supplier<?>> cases = new LinkedHashMap<>();
      cases.put(
          "gpu metrics 24h / 1h",
          () -> queries.run(Report.GPU_METRICS, range(end, 1, Granularity.HOUR, List.of())));
      cases.put("gpu metrics 7d / 1h by orchestrator", () -> queries.run(Report.GPU_METRICS,
          range(end, 7, Granularity.HOUR, List.of(Dimension.ORCHESTRATOR))));
      cases.put(
          "gpu metrics 7d / 1d",
          () -> queries.run(Report.GPU_METRICS, range(end, 7, Granularity.DAY, List.of())));
      cases.put(
          "gpu metrics 30d / 1d",
          () -> queries.run(Report.GPU_METRICS, range(end, days, Granularity.DAY, List.of())));
      cases.put(
          "network demand 24h / 1h",
          () -> queries.run(Report.NETWORK_DEMAND, range(end, 1, Granularity.HOUR, List.of())));
      cases.put("network demand 24h / 5m by pipeline", () -> queries.run(Report.NETWORK_DEMAND,
          range(end, 1, Granularity.FIVE_MINUTES, List.of(Dimension.PIPELINE))));
      cases.put(
          "sla compliance 7d",
          () -> queries.run(Report.SLA_COMPLIANCE, range(end, 7, Granularity.HOUR, List.of())));
      cases.put(
          "orchestrators 24h",
          () -> queries.run(Report.ORCHESTRATORS, range(end, 1, Granularity.HOUR, List.of())));
      cases.put(
          "overview 24h (and the 24h before)",
          () -> queries.overview(range(end, 1, Granularity.HOUR, List.of())));
      cases.put("orchestrator detail 24h", () -> queries.orchestrator(
          "0x" + "0".repeat(38) + "2a", range(end, 1, Granularity.HOUR, List.of())));

      System.out.printf("%-40s %9s %9s %9s%n", "query", "p50 ms", "p95 ms", "max ms");
      for (Map.Entry<String, Supplier<?>> c : cases.entrySet()) {
        List<Double> ms = time(c.getValue(), warmups, runs);
        System.out.printf("%-40s %9.1f %9.1f %9.1f%n", c.getKey(), percentile(ms, 0.50),
            percentile(ms, 0.95), ms.getLast());
      }
    }
    return 0;
  }

  private static MetricsQuery range(Instant end, int days, Granularity g, List<Dimension> groupBy) {
    return new MetricsQuery(
        end.minus(Duration.ofDays(days)), end, g, Map.of(), groupBy, null, 100, 0, false);
  }

  private static List<Double> time(Supplier<?> query, int warmups, int runs) {
    for (int i = 0; i < warmups; i++) {
      query.get();
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      query.get();
      ms.add((System.nanoTime() - start) / 1e6);
    }
    ms.sort(Double::compare);
    return ms;
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static String count(Store store, String table) {
    return store.queryText("SELECT count() FROM " + table, Map.of()).strip();
  }

}
