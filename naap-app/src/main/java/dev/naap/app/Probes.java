package dev.naap.app;

import dev.naap.metrics.ops.Heartbeat;
import dev.naap.metrics.ops.NetworkHealth;
import dev.naap.metrics.ops.StoreProbe;
import dev.naap.store.Store;
import dev.naap.store.StoreException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operational probes of a process on one platform thread (they call the engine): the
 * store probe every {@link StoreProbe#INTERVAL}, the heartbeat every {@link Heartbeat#INTERVAL}
 * and, when given, the network health every {@link #HEALTH_INTERVAL}. Closing stops them, waits
 * for a probe in progress and writes a last heartbeat that says the process stopped on purpose,
 * so the operations view does not list it as down.
 */
final class Probes implements AutoCloseable {

  /** The network health covers an hour; once a minute keeps its gauges current enough. */
  static final Duration HEALTH_INTERVAL = Duration.ofMinutes(1);
  /** How long closing waits for the probe in progress and the last beat before interrupting. */
  private static final Duration LAST_BEAT_WAIT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(Probes.class);

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("naap-probes").daemon().factory());
  private final Heartbeat heartbeat;
  /** False once the store refused a heartbeat as read-only. */
  private final AtomicBoolean writes = new AtomicBoolean(true);

  /**
   * Starts the probes of a process running {@code component} (ingest, serve, …) on {@code store}.
   *
   * @param withHealth whether this process exports the network's health (the one that refreshes)
   */
  Probes(String component, Store store, PrometheusRegistry registry, boolean withHealth) {
    StoreProbe probe = new StoreProbe(store, Clock.systemUTC(), registry);
    executor.scheduleWithFixedDelay(
        probe::check, 0, StoreProbe.INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    if (withHealth) {
      NetworkHealth health = new NetworkHealth(store, Clock.systemUTC(), registry);
      every(HEALTH_INTERVAL, health::update, "network health not read");
    }
    heartbeat = new Heartbeat(store, component, registry, Clock.systemUTC());
    every(Heartbeat.INTERVAL, () -> beat(component), "heartbeat not written");
  }

  /**
   * One heartbeat. A process reading the store as a read-only user (an API instance on the read-
   * only ClickHouse endpoint) cannot write one: it says so once and stops trying.
   */
  private void beat(String component) {
    try {
      heartbeat.beat();
    } catch (StoreException e) {
      if (e.code() != StoreException.READONLY) {
        throw e;
      }
      writes.set(false);
      log.info("{} reads a read-only store: it writes no heartbeat, so the operations view"
          + " does not list it", component);
      throw new CancellationException();
    }
  }

  /** Runs {@code task} now and every {@code interval}; a failure is logged once per streak. */
  private void every(Duration interval, Runnable task, String failure) {
    var failing = new AtomicBoolean();
    executor.scheduleWithFixedDelay(() -> {
      try {
        task.run();
        failing.set(false);
      } catch (CancellationException e) {
        throw e; // ends this task's schedule
      } catch (RuntimeException e) {
        if (!failing.getAndSet(true)) {
          log.warn("{}: {}", failure, e.getMessage());
        }
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    // Periodic probes end at shutdown; the last beat, queued before it, still runs after the
    // probe in progress (on the probes' platform thread, as every engine call here).
    executor.execute(this::lastBeat);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(LAST_BEAT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void lastBeat() {
    if (!writes.get()) {
      return;
    }
    try {
      heartbeat.stopped();
    } catch (RuntimeException e) {
      log.warn("last heartbeat not written (the operations view will list this process as down"
          + " until it ages out): {}", e.getMessage());
    }
  }
}
