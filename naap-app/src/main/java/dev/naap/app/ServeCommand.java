package dev.naap.app;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
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
 * {@code naap serve}: the public REST API v1 over a store, with the dashboard at {@code /} when its
 * files are on the class path.
 */
@Command(name = "serve", header = {
    "serve the public REST API (and the dashboard) over the store"}, description = {
    "Serves /v1/... (docs/API.md), /openapi.json, /docs, /health, /ready and the dashboard at /; "
        + "Prometheus /metrics on the management port. Runs until SIGINT/SIGTERM. Security "
        + "defaults and the reverse-proxy setup: docs/SECURITY.md."})
final class ServeCommand implements Main.Runner {

  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--management-host", paramLabel = "HOST",
      description = "address of the Prometheus /metrics endpoint")
  String managementHost = ApiConfig.DEFAULT_HOST;

  @Option(names = "--management-port", paramLabel = "PORT",
      description = "its port; 0 picks a free one")
  @Range(min = 0, max = 65_535)
  int managementPort = 9400;

  @Override
  public int run(PrintStream out, PrintStream err) throws InterruptedException {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    ApiConfig config = api.config(problems);
    problems.check(spec);

    try (Lifecycle life = Lifecycle.start(spec.qualifiedName(), Duration.ofSeconds(30), err)) {
      Store store = life.open(api.storeFor(storeConfig));
      ApiServer server = life.add(api.start(store, config, life.registry()));
      MetricsServer management = life.metrics(managementHost, managementPort);
      life.add(new Probes("serve", store, life.registry(), false));
      out.printf("naap serve: serving %s at %s (API docs at %sdocs; metrics at "
          + "http://%s:%d/metrics)%n", store.description(), server.url(), server.url(),
          managementHost, management.getPort());
      out.flush();
      life.awaitStop();
      return 0;
    }
  }
}
