package dev.naap.api;

import dev.naap.metrics.query.MetricsQueries;
import dev.naap.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready when the store answers and has migrations applied, and, when {@code maxLag} is given, the
 * rollups trail the clock by no more than it. The lag is always reported: a server over an imported
 * store that no ingest updates is still ready by default. Thread-safe.
 */
public final class StoreReadiness implements Readiness {

  private static final Logger log = LoggerFactory.getLogger(StoreReadiness.class);

  private final Store store;
  private final MetricsQueries queries;
  private final Duration maxLag;
  private final InstantSource clock;

  /** {@code maxLag} null: the ingest lag is reported but does not make the server unready. */
  public StoreReadiness(Store store, MetricsQueries queries, Duration maxLag, InstantSource clock) {
    this.store = store;
    this.queries = queries;
    this.maxLag = maxLag;
    this.clock = clock;
  }

  @Override
  public Status check() {
    Map<String, Object> checks = new LinkedHashMap<>();
    try {
      String latest = store.queryText("SELECT max(version) FROM schema_migrations", Map.of()).strip();
      checks.put("store", "reachable");
      checks.put("latest_migration", latest);
      if (latest.isEmpty() || latest.equals("0")) {
        checks.put("migrations", "none applied");
        return new Status(false, checks);
      }
      Instant asOf = queries.dataAsOf();
      checks.put("data_as_of", asOf);
      Duration lag = asOf == null ? null : Duration.between(asOf, clock.instant());
      checks.put("ingest_lag_seconds", lag == null ? null : lag.toSeconds());
      boolean fresh = maxLag == null || (lag != null && lag.compareTo(maxLag) <= 0);
      return new Status(fresh, checks);
    } catch (RuntimeException e) {
      log.warn("readiness check failed", e);
      checks.put("store", "unreachable");
      return new Status(false, checks);
    }
  }
}
