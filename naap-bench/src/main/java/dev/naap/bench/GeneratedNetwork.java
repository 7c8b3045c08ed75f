package dev.naap.bench;

import dev.naap.metrics.Refresher;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' network: {@code days} of rollups, demand, supply and metadata of {@code gpus}
 * GPUs on {@code orchestrators} orchestrators up to {@code end}, generated in SQL straight into the
 * tables the query layer reads (generate_*.sql), then rolled up into days and demand hours.
 */
final class GeneratedNetwork {

  private GeneratedNetwork() {}

  static void generate(Store store, Instant end, int days, int gpus, int orchestrators) {
    Map<String, Object> params = Map.of("end", end.getEpochSecond(), "hours", days * 24L,
        "gpus", (long) gpus, "orchestrators", (long) orchestrators);
    for (String table : List.of("rollup_hour", "demand_minute", "supply", "metadata")) {
      long start = System.nanoTime();
      store.query(sql("generate_" + table + ".sql"), params, "TabSeparated");
      System.out.printf("generated %s in %.1f s%n", table, (System.nanoTime() - start) / 1e9);
    }
    long start = System.nanoTime();
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    refresher.recomputeDays(end.minus(Duration.ofDays(days)), end);
    refresher.recomputeDemandHours(end.minus(Duration.ofDays(days)), end);
    System.out.printf("rolled hours up into days and demand minutes into hours in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
  }

  /** A {@code .sql} resource of this package. */
  static String sql(String name) {
    return Sql.load(GeneratedNetwork.class, name);
  }
}
