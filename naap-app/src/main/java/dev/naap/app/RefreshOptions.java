package dev.naap.app;

import dev.naap.metrics.RefreshLease;
import dev.naap.metrics.RefreshLoop;
import dev.naap.metrics.Retention;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Option;

/** The refresher role's options: {@code naap ingest}, {@code naap refresh} and the demo. */
final class RefreshOptions {

  @Option(names = "--refresh-interval-ms", paramLabel = "MS",
      description = "how often rollups are brought up to date")
  @Range(min = 100, max = 3_600_000)
  int intervalMs = (int) RefreshLoop.DEFAULT_INTERVAL.toMillis();

  @Option(names = "--lease-ttl-ms", paramLabel = "MS", description = {"how long the refresh "
      + "lease lasts unrenewed: how long the refresh pauses when the process holding it dies"})
  @Range(min = 3000, max = 3_600_000)
  long leaseTtlMs = RefreshLease.DEFAULT_TTL.toMillis();

  @Option(names = "--retention", paramLabel = "NAME=DAYS",
      completionCandidates = RetentionDefaults.class, description = {
          "days of data kept (0: all), checked hourly; repeatable (docs/STORE.md). NAME "
              + "(default DAYS): ${COMPLETION-CANDIDATES}"})
  List<String> retention = List.of();

  /** The retention policy: the defaults of {@link Retention.Data}, overridden by the options. */
  Retention.Policy policy(Problems problems) {
    return problems.attempt(() -> Retention.Policy.parse(retention));
  }

  /** Starts the refresher role on {@code store}, opened from {@code config} (closing stops it). */
  RefreshRole start(Store store, StoreConfig config, Retention.Policy policy,
      PrometheusRegistry registry) {
    return new RefreshRole(store, config, Duration.ofMillis(intervalMs),
        Duration.ofMillis(leaseTtlMs), policy, registry);
  }

  /** The retention names with their default days, for the help. */
  static final class RetentionDefaults implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Retention.Data.values()).map(d -> d.key() + " (" + d.defaultDays + ")")
          .iterator();
    }
  }
}
