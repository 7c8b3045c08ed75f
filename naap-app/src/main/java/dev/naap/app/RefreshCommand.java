package dev.naap.app;

import dev.naap.metrics.Retention;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code naap refresh}: the refresher role alone, for stores fed by ingests started with {@code
 * --no-refresh}. Any number may run; one at a time refreshes (the lease), the others stand by and
 * take over within the lease's ttl when it dies.
 */
@Command(name = "refresh",
    header = "keep the rollups up to date and apply retention (one refresher at a time per store)",
    description = {"Brings the rollups up to date with what ingests write, and drops data past its "
        + "retention, until SIGINT/SIGTERM. Of all the refreshers and ingests (without "
        + "--no-refresh) on one store, the one holding the store's refresh lease refreshes; the "
        + "others stand by and take over when it stops, or when it dies and its lease expires. "
        + "docs/OPERATIONS.md, \"Roles\"."})
final class RefreshCommand implements Main.Runner {

  @Spec CommandSpec spec;

  @Option(names = "--metrics-host", paramLabel = "HOST",
      description = "Prometheus /metrics address")
  String metricsHost = "127.0.0.1";

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "its port; 0 picks a free one, -1 turns it off")
  @Range(min = -1, max = 65_535)
  int metricsPort = 9404;

  @Mixin RefreshOptions refresh;
  @Mixin StoreOptions storeOptions;

  @Override
  public int run(PrintStream out, PrintStream err) throws InterruptedException {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    Retention.Policy retention = refresh.policy(problems);
    problems.check(spec);

    try (Lifecycle life = Lifecycle.start(spec.qualifiedName(), Duration.ofSeconds(30), err)) {
      Store store = life.open(storeConfig);
      MetricsServer metricsServer = life.metrics(metricsHost, metricsPort);
      life.add(new Probes("refresh", store, life.registry(), true));
      RefreshRole role = life.add(refresh.start(store, storeConfig, retention, life.registry()));
      err.printf("naap refresh: %s as %s every %d ms, lease ttl %d ms%s; retention %s%n",
          store.description(), role.holder(), refresh.intervalMs, refresh.leaseTtlMs,
          metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort(), retention);
      life.awaitStop();
      err.println("naap refresh: stopping");
      return 0;
    }
  }
}
