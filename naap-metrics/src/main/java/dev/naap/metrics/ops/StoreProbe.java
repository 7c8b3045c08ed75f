package dev.naap.metrics.ops;

import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the store, every {@link #INTERVAL}, for the space of its default disk (which is also
 * proof that it answers) and the parts it set aside as damaged, and exports {@code naap_store_up}:
 * 1 while the last successful answer is younger than {@link #STALE_AFTER}, so that a store that
 * hangs counts as down as surely as one that refuses. {@link #check()} calls the engine: run it on a platform thread. Thread-safe.
 */
public final class StoreProbe {

  /** How often {@link #check()} should run. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);
  /** Without a successful answer for this long, the store is down. */
  public static final Duration STALE_AFTER = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(StoreProbe.class);

  private final Store store;
  private final String diskSql = Sql.load(StoreProbe.class, "store_disk.sql");
  private final InstantSource clock;
  private final Counter failures;
  private final AtomicReference<Instant> lastAnswer = new AtomicReference<>(Instant.MIN);
  private volatile double freeBytes = Double.NaN;
  private volatile double totalBytes = Double.NaN;
  private volatile double damagedParts = Double.NaN;
  private volatile boolean failing;

  public StoreProbe(Store store, InstantSource clock, PrometheusRegistry registry) {
    this.store = store;
    this.clock = clock;
    GaugeWithCallback.builder().name("naap_store_up")
        .help("1 when the store answered a probe in the last " + STALE_AFTER.toSeconds() + " s")
        .callback(cb -> cb.call(up() ? 1 : 0)).register(registry);
    GaugeWithCallback.builder().name("naap_store_disk_free_bytes")
        .help("Free space on the store's data disk, as the store reports it")
        .callback(cb -> cb.call(freeBytes)).register(registry);
    GaugeWithCallback.builder().name("naap_store_disk_total_bytes")
        .help("Size of the store's data disk, as the store reports it")
        .callback(cb -> cb.call(totalBytes)).register(registry);
    GaugeWithCallback.builder().name("naap_store_damaged_parts")
        .help("Parts of the store's tables set aside as damaged (truncated or corrupted files),"
            + " whose rows no read sees")
        .callback(cb -> cb.call(damagedParts)).register(registry);
    GaugeWithCallback.builder()
        .name("naap_store_last_answer_timestamp_seconds")
        .help("When the store last answered a probe (Unix time)")
        .callback(
            cb ->
                cb.call(
                    lastAnswer.get() == Instant.MIN ? 0 : lastAnswer.get().toEpochMilli() / 1e3))
        .register(registry);
    failures = Counter.builder().name("naap_store_probe_failures_total")
        .help("Store probes that failed (store unreachable or erroring)").register(registry);
  }

  /** Whether the store answered within {@link #STALE_AFTER}. */
  public boolean up() {
    return lastAnswer.get().isAfter(clock.instant().minus(STALE_AFTER));
  }

  /** Probes the store once; never throws. */
  public void check() {
    try {
      Rows disk = Rows.query(store, diskSql, Map.of(),
          List.of("free_space", "total_space", "damaged_parts"));
      if (disk.size() == 1) {
        freeBytes = disk.single().decimal("free_space");
        totalBytes = disk.single().decimal("total_space");
        damagedParts = disk.single().decimal("damaged_parts");
      }
      lastAnswer.set(clock.instant());
      if (failing) {
        log.info("the store answers again");
        failing = false;
      }
    } catch (RuntimeException e) {
      failures.inc();
      if (!failing) {
        log.warn("store probe failed: {}", e.getMessage());
        failing = true;
      }
    }
  }
}
