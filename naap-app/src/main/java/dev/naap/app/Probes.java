package dev.naap.app;

import dev.naap.metrics.ops.NetworkHealth;
import dev.naap.metrics.ops.StoreProbe;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operational probes of a process on one platform thread (they call the engine): the
 * store probe every {@link StoreProbe#INTERVAL} and, when given, the network health every
 * {@link #HEALTH_INTERVAL}. Closing stops them and waits for a probe in progress.
 */
final class Probes implements AutoCloseable {

  /** The network health covers an hour; once a minute keeps its gauges current enough. */
  static final Duration HEALTH_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(Probes.class);

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("naap-probes").daemon().factory());

  /** @param health null when this process does not export the network's health */
  Probes(StoreProbe store, NetworkHealth health) {
    executor.scheduleWithFixedDelay(store::check, 0, StoreProbe.INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    if (health != null) {
      executor.scheduleWithFixedDelay(() -> {
        try {
          health.update();
        } catch (RuntimeException e) {
          log.warn("network health not read: {}", e.getMessage());
        }
      }, 0, HEALTH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
