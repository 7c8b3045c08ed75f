package dev.naap.api;

import dev.naap.metrics.query.MetricsQueries;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ready when the store answers and has migrations applied, and, when {@code maxLag} is given, the
 * rollups trail the clock by no more than it; the query layer asks the store. The lag is always
 * reported: a server over an imported
 * store that no ingest updates is still ready by default.
 *
 * <p>A check answers within {@link #ANSWER_WITHIN} whatever the store does: the store is asked on
 * a virtual thread, at most one probe at a time (concurrent checks share it), and a probe that has
 * not answered by then makes the server not ready ("not answering"). State changes are logged
 * once, not per check. Thread-safe.
 */
public final class StoreReadiness implements Readiness {

  /** Well under the 2 s a load balancer's readiness probe may allow. */
  static final Duration ANSWER_WITHIN = Duration.ofMillis(1500);

  private final MetricsQueries queries;
  private final Duration maxLag;
  private final InstantSource clock;
  private final StoreHealth health = new StoreHealth("readiness");
  private final AtomicReference<CompletableFuture<Status>> probe = new AtomicReference<>();

  /** {@code maxLag} null: the ingest lag is reported but does not make the server unready. */
  public StoreReadiness(MetricsQueries queries, Duration maxLag, InstantSource clock) {
    this.queries = queries;
    this.maxLag = maxLag;
    this.clock = clock;
  }

  @Override
  public Status check() {
    CompletableFuture<Status> running = probe.get();
    if (running == null || running.isDone()) {
      CompletableFuture<Status> next = new CompletableFuture<>();
      if (probe.compareAndSet(running, next)) {
        Thread.ofVirtual().name("naap-readiness").start(() -> next.complete(probeStore()));
        running = next;
      } else {
        running = probe.get();
      }
    }
    try {
      return running.get(ANSWER_WITHIN.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      health.failed("not answering", "no answer within " + ANSWER_WITHIN.toMillis() + " ms", e);
      return new Status(false, Map.of("store", "not answering"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Status(false, Map.of("store", "not answering"));
    } catch (ExecutionException e) {
      return new Status(false, Map.of("store", "unreachable"));
    }
  }

  private Status probeStore() {
    Map<String, Object> checks = new LinkedHashMap<>();
    try {
      long latest = queries.latestMigration();
      checks.put("store", "reachable");
      checks.put("latest_migration", Long.toString(latest));
      if (latest == 0) {
        checks.put("migrations", "none applied");
        return new Status(false, checks);
      }
      Instant asOf = queries.dataAsOf();
      checks.put("data_as_of", asOf);
      Duration lag = asOf == null ? null : Duration.between(asOf, clock.instant());
      checks.put("ingest_lag_seconds", lag == null ? null : lag.toSeconds());
      boolean fresh = maxLag == null || (lag != null && lag.compareTo(maxLag) <= 0);
      health.answered();
      return new Status(fresh, checks);
    } catch (RuntimeException e) {
      health.failed(e);
      checks.put("store", "unreachable");
      return new Status(false, checks);
    }
  }
}
