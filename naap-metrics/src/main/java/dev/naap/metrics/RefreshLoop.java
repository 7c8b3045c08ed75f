package dev.naap.metrics;

import dev.naap.store.StoreException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Refresher#refresh()} every {@code interval} until its thread is interrupted; a failed
 * refresh is logged and tried again next time (it is idempotent). With a {@link RefreshLease}, it
 * refreshes only while it holds the lease, stands by otherwise, and releases it when stopped.
 * Exports how long refreshes take, how many sessions they recompute, and how far the rollups trail
 * the clock ({@code naap_rollup_lag_seconds}: now minus the refresh watermark), which is the
 * freshness of everything the rollups serve.
 */
public final class RefreshLoop implements Runnable {

  /**
   * The default pause between refreshes. An event shows once a refresh starts after its ingest plus
   * {@link Refresher#SETTLE}: with 2 s, within about 5 s at p95 (docs/benchmarks.md, "Freshness"),
   * while a steady refresh takes a few hundred milliseconds, so the loop is idle most of the time.
   */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(RefreshLoop.class);

  private final Refresher refresher;
  private final RefreshLease lease;
  private final Duration interval;
  private final Clock clock;
  private final Histogram duration;
  private final Counter sessions;
  private final Counter failures;
  private final Gauge lag;
  private final Gauge held;

  /** A loop that is the only refresher of its store: a single process, a benchmark. */
  public RefreshLoop(
      Refresher refresher, Duration interval, Clock clock, PrometheusRegistry registry) {
    this(refresher, null, interval, clock, registry);
  }

  /**
   * A loop that refreshes while it holds {@code lease}; {@code refresher} should check the same
   * lease before it writes (null: no lease, the only refresher).
   */
  public RefreshLoop(Refresher refresher, RefreshLease lease, Duration interval, Clock clock,
      PrometheusRegistry registry) {
    this.refresher = refresher;
    this.lease = lease;
    this.interval = interval;
    this.clock = clock;
    duration = Histogram.builder().name("naap_rollup_refresh_duration_seconds")
        .help("Time one rollup refresh takes").unit(Unit.SECONDS).classicOnly()
        .classicExponentialUpperBounds(0.01, 2, 14).register(registry);
    sessions = Counter.builder().name("naap_rollup_refreshed_sessions_total")
        .help("Sessions recomputed by rollup refreshes").register(registry);
    failures = Counter.builder().name("naap_rollup_refresh_failures_total")
        .help("Rollup refreshes that failed and are tried again").register(registry);
    lag =
        Gauge.builder()
            .name("naap_rollup_lag_seconds")
            .help("How far the rollups trail the clock: now minus the refresh watermark")
            .register(registry);
    held = Gauge.builder().name("naap_refresh_lease_held")
        .help("1 while this process holds the refresh lease and refreshes, 0 on standby")
        .register(registry);
  }

  @Override
  public void run() {
    try {
      loop();
    } finally {
      release();
    }
  }

  private void loop() {
    boolean failing = false;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(interval);
        if (!holdsLease()) {
          // On standby the freshness is still this process's to report: the holder may be dead.
          lag.set(Duration.between(refresher.watermark(), clock.instant()).toMillis() / 1e3);
          continue;
        }
        long start = System.nanoTime();
        Refresher.Result r = refresher.refresh();
        duration.observe((System.nanoTime() - start) / 1e9);
        sessions.inc(r.sessions());
        lag.set(Duration.between(r.watermark(), clock.instant()).toMillis() / 1e3);
        if (failing) {
          log.info("rollup refresh works again");
          failing = false;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RefreshLease.LostException e) {
        log.warn("rollup refresh stopped before writing: {}", e.getMessage());
        held.set(0);
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          return; // stopping: the store call was given up, not failed
        }
        failures.inc();
        // Once per failure spell, without the SQL (debug has it); the counter counts each one.
        String why = e instanceof StoreException s ? s.serverMessage() : e.toString();
        if (!failing) {
          log.warn("rollup refresh failed, trying again every {} until it works: {}", interval,
              why.lines().findFirst().orElse(""));
          failing = true;
        }
        log.debug("rollup refresh failed", e);
      }
    }
  }

  /** Whether to refresh now: no lease, or it is held (claimed or renewed). */
  private boolean holdsLease() throws InterruptedException {
    if (lease == null) {
      held.set(1);
      return true;
    }
    boolean before = lease.held();
    boolean now = lease.acquire();
    if (now != before) {
      log.info(now ? "holding the refresh lease (term {}) as {}: refreshing"
          : "refresh lease lost (term {}) by {}: standing by", lease.term(), lease.holder());
    }
    held.set(now ? 1 : 0);
    return now;
  }

  /** Lets another process take the lease at once; the interrupt that stopped the loop is kept. */
  private void release() {
    held.set(0);
    if (lease == null) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      lease.release();
    } catch (RuntimeException e) {
      log.warn("refresh lease not released (it expires by itself): {}", e.getMessage());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
