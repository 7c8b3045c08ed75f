package dev.naap.bench;

import dev.naap.metrics.Refresher;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' network: {@code days} of rollups, demand, supply and metadata of {@code gpus}
 * GPUs on {@code orchestrators} orchestrators up to {@code end}, generated in SQL straight into the
 * tables the query layer reads (generate_*.sql), then rolled up into days and demand hours.
 */
final class GeneratedNetwork {

  /**
   * Hours each generating statement writes, and days each roll-up reads: a stopped benchmark waits
   * for the engine's running statement (Bench), so none runs for more than about a second.
   */
  private static final int HOURS_PER_STATEMENT = 24;
  private static final int DAYS_PER_ROLLUP = 7;

  private GeneratedNetwork() {}

  static void generate(Store store, Instant end, int days, int gpus, int orchestrators) {
    Map<String, Object> network = Map.of("end", end.getEpochSecond(), "gpus", (long) gpus,
        "orchestrators", (long) orchestrators);
    long hours = days * 24L;
    for (String table : List.of("rollup_hour", "demand_minute", "supply", "supply_slots")) {
      long start = System.nanoTime();
      // The hours counted back from end, a day's at a time.
      for (long first = 0; first < hours; first += HOURS_PER_STATEMENT) {
        Map<String, Object> params = new HashMap<>(network);
        params.put("first_hour", first);
        params.put("hours", Math.min(HOURS_PER_STATEMENT, hours - first));
        store.query(sql("generate_" + table + ".sql"), params, "TabSeparated");
      }
      System.out.printf("generated %s in %.1f s%n", table, (System.nanoTime() - start) / 1e9);
    }
    long start = System.nanoTime();
    store.query(sql("generate_metadata.sql"), network, "TabSeparated");
    store.query(sql("generate_node_listings.sql"), network, "TabSeparated");
    System.out.printf("generated metadata in %.1f s%n", (System.nanoTime() - start) / 1e9);
    start = System.nanoTime();
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    for (int from = days; from > 0; from -= DAYS_PER_ROLLUP) {
      Instant chunkEnd = end.minus(Duration.ofDays(Math.max(0, from - DAYS_PER_ROLLUP)));
      refresher.recomputeDays(end.minus(Duration.ofDays(from)), chunkEnd);
      refresher.recomputeDemandHours(end.minus(Duration.ofDays(from)), chunkEnd);
    }
    System.out.printf("rolled hours up into days and demand minutes into hours in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
  }

  /** A {@code .sql} resource of this package. */
  static String sql(String name) {
    return Sql.load(GeneratedNetwork.class, name);
  }
}
