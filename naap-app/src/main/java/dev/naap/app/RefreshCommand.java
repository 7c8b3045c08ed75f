package dev.naap.app;

import dev.naap.metrics.RefreshLease;
import dev.naap.metrics.Retention;
import dev.naap.store.Store;
import dev.naap.store.Stores;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code naap refresh}: the refresher role alone, for stores fed by ingests started with {@code
 * --no-refresh}. Any number may run; one at a time refreshes (the lease), the others stand by and
 * take over within the lease's ttl when it dies.
 */
final class RefreshCommand implements Main.Command {

  private static final Set<String> OPTIONS = Set.of("refresh-interval-ms", "lease-ttl-ms",
      "retention", "metrics-host", "metrics-port");

  @Override
  public String summary() {
    return "keep the rollups up to date and apply retention (one refresher at a time per store)";
  }

  @Override
  public String usage() {
    return """
        usage: naap refresh [OPTIONS]

        Brings the rollups up to date with what ingests write, and drops data past its retention,
        until SIGINT/SIGTERM. Of all the refreshers and ingests (without --no-refresh) on one
        store, the one holding the store's refresh lease refreshes; the others stand by and take
        over when it stops, or when it dies and its lease expires. docs/OPERATIONS.md, "Roles".

        options:
          --metrics-host HOST        Prometheus /metrics address (default 127.0.0.1)
          --metrics-port PORT        (default 9404; 0 picks a free port, -1 turns it off)
        """ + RefreshRole.HELP + """
          --retention NAME=DAYS      days of data kept (0: all), checked hourly; repeatable
                                     (docs/STORE.md; names as in naap ingest --help)
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(StoreOptions.NAMES);
    Args args = Args.parse(argv, known, Set.of());
    var storeConfig = StoreOptions.from(args);
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    int refreshMs = args.integer("refresh-interval-ms", 5000, 100, 3_600_000);
    int leaseTtlMs = args.integer("lease-ttl-ms", (int) RefreshLease.DEFAULT_TTL.toMillis(), 3000,
        3_600_000);
    int metricsPort = args.integer("metrics-port", 9404, -1, 65535);
    Retention.Policy retention = null;
    try {
      retention = Retention.Policy.parse(args.all("retention"));
    } catch (IllegalArgumentException e) {
      args.error(e.getMessage());
    }
    args.check();

    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    var stop = new CountDownLatch(1);
    var finished = Main.onShutdown(stop::countDown, Duration.ofSeconds(30));
    try (Store store = Stores.open(storeConfig);
        HTTPServer metricsServer = metricsPort < 0 ? null : HTTPServer.builder()
            .hostname(args.get("metrics-host", "127.0.0.1")).port(metricsPort).registry(registry)
            .buildAndStart();
        Probes probes = new Probes("refresh", store, registry, true);
        RefreshRole role = new RefreshRole(store, Duration.ofMillis(refreshMs),
            Duration.ofMillis(leaseTtlMs), retention, registry)) {
      err.printf("naap refresh: %s as %s every %d ms, lease ttl %d ms%s; retention %s%n",
          store.description(), role.holder(), refreshMs, leaseTtlMs,
          metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort(), retention);
      stop.await();
      err.println("naap refresh: stopping");
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the metrics server", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      finished.countDown();
    }
  }
}
