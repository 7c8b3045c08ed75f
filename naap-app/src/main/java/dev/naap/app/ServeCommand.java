package dev.naap.app;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.store.Store;
import dev.naap.store.Stores;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code naap serve}: the public REST API v1 over a store, with the dashboard at {@code /} when its
 * files are on the class path.
 */
final class ServeCommand implements Main.Command {

  private static final Set<String> OPTIONS = Set.of("host", "port", "quota", "api-key", "dashboard-quota",
      "secret", "query-timeout", "cache-entries", "ready-max-lag");
  private static final Set<String> FLAGS = Set.of("trust-forwarded-for");

  @Override
  public String summary() {
    return "serve the public REST API (and the dashboard) over the store";
  }

  @Override
  public String usage() {
    return """
        usage: naap serve [OPTIONS]

        Serves /v1/... (docs/API.md), /openapi.json, /docs, /health, /ready, /metrics and the
        dashboard at /. Runs until SIGINT/SIGTERM.

        options:
          --host HOST                address to listen on (default 127.0.0.1)
          --port PORT                (default 8080; 0 picks a free port)
          --quota N                  requests per hour of a client without an API key (default 100)
          --api-key KEY=N            an API key (header X-API-Key) with its quota per hour; repeatable
          --dashboard-quota N        requests per hour of a dashboard visitor (default 3600)
          --secret S                 key for cursors and dashboard tokens, shared by instances behind
                                     one load balancer (default $NAAP_API_SECRET, else random)
          --query-timeout DURATION   longest wait for the store per request (default 10s)
          --cache-entries N          responses kept in the server cache (default 10000)
          --ready-max-lag DURATION   /ready fails when the rollups trail the clock by more (default: never)
          --trust-forwarded-for      take the client address from X-Forwarded-For (behind your proxy)
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(StoreOptions.NAMES);
    Args args = Args.parse(argv, known, FLAGS);
    var storeConfig = StoreOptions.from(args);
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    ApiConfig defaults = ApiConfig.defaults();
    int port = args.integer("port", ApiConfig.DEFAULT_PORT, 0, 65_535);
    int quota = args.integer("quota", ApiConfig.DEFAULT_REQUESTS_PER_WINDOW, 1, Integer.MAX_VALUE);
    int dashboardQuota = args.integer("dashboard-quota", ApiConfig.DEFAULT_DASHBOARD_REQUESTS_PER_WINDOW, 1,
        Integer.MAX_VALUE);
    int cacheEntries = args.integer("cache-entries", defaults.cacheEntries(), 0, 10_000_000);
    Duration queryTimeout = args.duration("query-timeout", defaults.queryTimeout());
    Duration readyMaxLag = args.duration("ready-max-lag", null);
    Map<String, Integer> keys = new HashMap<>();
    for (String spec : args.all("api-key")) {
      int eq = spec.lastIndexOf('=');
      if (eq <= 0 || !spec.substring(eq + 1).matches("[0-9]{1,9}") || Integer.parseInt(spec.substring(eq + 1)) < 1) {
        args.error("--api-key: expected KEY=REQUESTS_PER_HOUR, got '" + spec + "'");
      } else {
        keys.put(spec.substring(0, eq), Integer.parseInt(spec.substring(eq + 1)));
      }
    }
    String secret = args.get("secret", System.getenv().getOrDefault("NAAP_API_SECRET", defaults.secret()));
    if (secret.length() < 16) {
      args.error("--secret: at least 16 characters");
    }
    args.check();
    ApiConfig config = new ApiConfig(args.get("host", ApiConfig.DEFAULT_HOST), port, quota, defaults.quotaWindow(),
        keys, dashboardQuota, defaults.maxRange(), queryTimeout, defaults.maxConcurrentQueries(), cacheEntries,
        secret, args.flag("trust-forwarded-for"));

    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    CountDownLatch stop = new CountDownLatch(1);
    var finished = Main.onShutdown(stop::countDown, Duration.ofSeconds(30));
    try (Store store = Stores.open(storeConfig);
        ApiServer server = PublicApi.start(store, config, registry, readyMaxLag);
        Probes probes = new Probes("serve", store, registry, false)) {
      out.printf("naap serve: serving %s at %s (API docs at %sdocs)%n", store.description(), server.url(),
          server.url());
      out.flush();
      stop.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      finished.countDown();
    }
  }
}
