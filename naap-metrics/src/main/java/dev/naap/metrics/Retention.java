package dev.naap.metrics;

import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ages old data out by dropping whole time partitions (docs/STORE.md, "Retention and sizing"): a
 * partition goes once its whole period (a month, or a day for {@code rollup_minute}) ended more
 * than its data's retention ago, and nothing was written to it for {@link #QUIET} (so an import
 * of old events is rolled up before its raw events go). Dropping a partition is a metadata
 * operation; nothing is rewritten. Raw events and each rollup have their own retention, so the
 * rollups keep their history after the raw events they came from are gone.
 *
 * <p>{@link #apply()} is idempotent; {@link #run()} applies it every {@link #CHECK_EVERY} until its
 * thread is interrupted (run it on a platform thread: engine calls block). Thread-safe.
 */
public final class Retention implements Runnable {

  /** How often {@link #run()} looks for partitions to drop. */
  public static final Duration CHECK_EVERY = Duration.ofHours(1);
  /** A partition written to more recently than this is left for a later check. */
  static final Duration QUIET = Duration.ofDays(1);

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final String PARTITIONS = Sql.load(Retention.class, "retention_partitions.sql");
  private static final String RAISE_HORIZON =
      Sql.load(Retention.class, "retention_horizon_raise.sql");

  /** What ages out together, its tables, and its retention in days: default and minimum. */
  public enum Data {
    /**
     * The event log, the quarantine, the per-family tables the sessions are computed from, and the
     * computed segments the rollups are recomputed from (only the refresh reads them).
     */
    RAW(90, 7, "raw_events", "rejected_events", "stream_trace_events", "ai_stream_status_events",
        "ai_stream_events", "stream_ingest_metrics_events", "discovery_result_entries",
        "payment_events", "signed_ticket_events", "payment_values", "signed_ticket_values",
        "segment_facts", "segment_facts_keys"),
    /** Gateways' capability snapshots: network supply, and GPU attribution of sessions. */
    CAPABILITIES(400, 7, "network_capability_models", "network_capability_gpus",
        "network_capability_node_gpus", "node_gpu_listings", "capability_snapshots",
        "capability_prices", "capability_model_slots"),
    /** The scraper's probe of each orchestrator on each run (a row per orchestrator and run). */
    REACHABILITY(400, 1, "orchestrator_reachability"),
    /** The scraper's readings of each model's idle and busy containers, on each change. */
    LOAD_READINGS(400, 1, "orchestrator_load_readings"),
    /** The query layer serves 1m over at most a day and 5m over at most 7 days from here. */
    ROLLUP_MINUTE(8, 8, "rollup_minute"),
    ROLLUP_HOUR(400, 1, "rollup_hour"),
    ROLLUP_DAY(0, 1, "rollup_day"),
    DEMAND_MINUTE(400, 1, "demand_minute"),
    DEMAND_HOUR(0, 1, "demand_hour"),
    /** Fees per minute: the query layer serves 1m and 5m fees from here. */
    FEE_MINUTE(400, 8, "fee_minute"),
    FEE_HOUR(0, 1, "fee_hour");

    /** Days kept by default; 0 keeps everything. */
    public final int defaultDays;
    /** The shortest retention accepted (0, keeping everything, is always accepted). */
    public final int minDays;
    final List<String> tables;

    Data(int defaultDays, int minDays, String... tables) {
      this.defaultDays = defaultDays;
      this.minDays = minDays;
      this.tables = List.of(tables);
    }

    /** The name used in configuration: {@code raw}, {@code rollup_hour}, … */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Days kept per {@link Data}; 0 keeps everything. */
  public record Policy(Map<Data, Integer> days) {
    public Policy {
      days = Map.copyOf(days);
    }

    /** The defaults of {@link Data}. */
    public static Policy defaults() {
      return parse(List.of());
    }

    /**
     * The defaults overridden by {@code NAME=DAYS} entries ({@code raw=30}, {@code rollup_hour=0}).
     *
     * @throws IllegalArgumentException naming every bad entry, its value and the limit
     */
    public static Policy parse(List<String> entries) {
      Map<Data, Integer> days = new EnumMap<>(Data.class);
      for (Data d : Data.values()) {
        days.put(d, d.defaultDays);
      }
      List<String> errors = new ArrayList<>();
      String names = Arrays.stream(Data.values()).map(Data::key).collect(Collectors.joining(", "));
      for (String entry : entries) {
        int eq = entry.indexOf('=');
        Data data = eq < 0 ? null : Arrays.stream(Data.values())
            .filter(d -> d.key().equals(entry.substring(0, eq).strip())).findFirst().orElse(null);
        if (data == null) {
          errors.add("'" + entry + "': expected NAME=DAYS with NAME one of " + names);
          continue;
        }
        String value = entry.substring(eq + 1).strip();
        int n;
        try {
          n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          errors.add(data.key() + ": expected a number of days, got '" + value + "'");
          continue;
        }
        if (n != 0 && (n < data.minDays || n > 36_500)) {
          errors.add(data.key() + ": expected 0 (keep everything) or " + data.minDays
              + "..36500 days, got " + n);
          continue;
        }
        days.put(data, n);
      }
      int raw = days.get(Data.RAW);
      int capabilities = days.get(Data.CAPABILITIES);
      if (capabilities != 0 && (raw == 0 || raw > capabilities)) {
        errors.add("capabilities: " + capabilities + " days is shorter than raw ("
            + (raw == 0 ? "kept" : raw + " days") + "): sessions recomputed from raw events need"
            + " the capability snapshots of their time");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("retention: " + String.join("; ", errors));
      }
      return new Policy(days);
    }

    @Override
    public String toString() {
      return Arrays.stream(Data.values()).map(d -> d.key() + "=" + days.get(d) + "d")
          .collect(Collectors.joining(","));
    }
  }

  private final Store store;
  private final Policy policy;
  private final Clock clock;

  public Retention(Store store, Policy policy, Clock clock) {
    this.store = store;
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * Drops every partition past its retention; returns them as {@code table/partition_id}. A table
   * that is not partitioned by month or day is skipped with a warning. Before raw partitions go,
   * the retention horizon is raised to their end, so that the refresh leaves the rollups of that
   * time as they are (a late event there would recompute them from what is left).
   */
  public synchronized List<String> apply() {
    Instant now = clock.instant();
    List<String> dropped = new ArrayList<>();
    for (Data data : Data.values()) {
      int days = policy.days().get(data);
      if (days == 0) {
        continue;
      }
      LocalDate cutoff = now.minus(Duration.ofDays(days)).atZone(ZoneOffset.UTC).toLocalDate();
      List<String> expired = new ArrayList<>();
      LocalDate horizon = null;
      for (Rows.Row r : Rows.query(store, PARTITIONS, Map.of("tables", data.tables),
          List.of("table", "partition_id", "modified_s"))) {
        String table = r.string("table");
        String partition = r.string("partition_id");
        LocalDate end = periodEnd(partition);
        if (end == null) {
          log.warn("retention: {} partition '{}' is not a month or a day; not dropped", table,
              partition);
        } else if (!end.isAfter(cutoff)
            && r.instant("modified_s").isBefore(now.minus(QUIET))) {
          expired.add("ALTER TABLE " + table + " DROP PARTITION ID '" + partition + "'");
          dropped.add(table + "/" + partition);
          horizon = horizon == null || end.isAfter(horizon) ? end : horizon;
        }
      }
      if (data == Data.RAW && horizon != null) {
        long horizonSeconds = horizon.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        store.query(RAISE_HORIZON, Map.of("horizon_s", horizonSeconds), "TabSeparated");
      }
      for (String drop : expired) {
        store.execute(drop + " SETTINGS max_partition_size_to_drop = 0");
      }
    }
    if (!dropped.isEmpty()) {
      log.info("retention ({}): dropped partitions {}", policy, dropped);
    }
    return dropped;
  }

  @Override
  public void run() {
    while (true) {
      try {
        apply();
      } catch (RuntimeException e) {
        log.warn("retention failed, trying again in {}: {}", CHECK_EVERY, e.getMessage());
      }
      try {
        Thread.sleep(CHECK_EVERY);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The day after the period of partition id {@code 202611} (a month) or {@code 20261125}. */
  static LocalDate periodEnd(String partitionId) {
    if (!partitionId.matches("\\d{6}|\\d{8}")) {
      return null;
    }
    try {
      return partitionId.length() == 6
          ? LocalDate.parse(partitionId + "01", DateTimeFormatter.BASIC_ISO_DATE).plusMonths(1)
          : LocalDate.parse(partitionId, DateTimeFormatter.BASIC_ISO_DATE).plusDays(1);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
