package dev.naap.app;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
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
      "secret", "query-timeout", "cache-mb", "ready-max-lag", "trusted-proxy", "management-port",
      "management-host", "discovery-fallback", "redis-url");
  private static final Set<String> FLAGS = Set.of();

  @Override
  public String summary() {
    return "serve the public REST API (and the dashboard) over the store";
  }

  @Override
  public String usage() {
    return """
        usage: naap serve [OPTIONS]

        Serves /v1/... (docs/API.md), /openapi.json, /docs, /health, /ready and the dashboard at
        /; Prometheus /metrics on the management port. Runs until SIGINT/SIGTERM. Security
        defaults and the reverse-proxy setup: docs/SECURITY.md.

        options:
          --host HOST                address to listen on (default 127.0.0.1)
          --port PORT                (default 8080; 0 picks a free port)
          --quota N                  requests per hour of a client without an API key (default 100)
          --api-key KEY=N            an API key (header X-API-Key) with its quota per hour; repeatable
          --dashboard-quota N        requests per hour of a dashboard visitor that the shared
                                     response cache could not answer (default 300)
          --secret S                 key for cursors and dashboard tokens, shared by instances behind
                                     one load balancer (default $NAAP_API_SECRET, else random)
          --query-timeout DURATION   longest wait for the store per request (default 10s)
          --cache-mb N               bytes of responses kept in the server cache, in MiB (default 64)
          --ready-max-lag DURATION   /ready fails when the rollups trail the clock by more (default: never)
          --trusted-proxy CIDR[,CIDR] your reverse proxies (addresses or CIDRs): from them, the client
                                     is the rightmost X-Forwarded-For hop that is not one (default
                                     none: the peer address); repeatable
          --management-port PORT     Prometheus /metrics (default 9400; 0 = any)
          --management-host HOST     (default 127.0.0.1)
          --redis-url URL            count quotas in this Redis, shared by every instance that
                                     uses it: redis://[user:password@]host:port[/db], rediss://
                                     for TLS (default $NAAP_REDIS_URL, else each instance counts
                                     alone); while it fails, each counts alone and /ready says so
          --discovery-fallback URL[,URL] service URLs /v1/discover/orchestrators answers when the
                                     store fails and it has no earlier answer to repeat (default
                                     none: a 503); repeatable
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(StoreOptions.NAMES);
    Args args = Args.parse(argv, known, FLAGS);
    StoreConfig storeConfig = StoreOptions.from(args);
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    ApiConfig defaults = ApiConfig.defaults();
    int port = args.integer("port", ApiConfig.DEFAULT_PORT, 0, 65_535);
    int quota = args.integer("quota", ApiConfig.DEFAULT_REQUESTS_PER_WINDOW, 1, Integer.MAX_VALUE);
    int dashboardQuota = args.integer("dashboard-quota", ApiConfig.DEFAULT_DASHBOARD_REQUESTS_PER_WINDOW, 1,
        Integer.MAX_VALUE);
    long cacheBytes = args.integer("cache-mb", (int) (ApiConfig.DEFAULT_CACHE_BYTES >> 20), 0, 65_536) * (1L << 20);
    List<String> proxies = args.all("trusted-proxy").stream()
        .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::strip).filter(v -> !v.isEmpty()).toList();
    List<String> fallback = args.all("discovery-fallback").stream()
        .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::strip).filter(v -> !v.isEmpty()).toList();
    for (String url : fallback) {
      java.net.URI uri;
      try {
        uri = new java.net.URI(url);
      } catch (java.net.URISyntaxException e) {
        uri = null;
      }
      if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
        args.error("--discovery-fallback: expected absolute URLs such as https://host:8935, got '" + url + "'");
      }
    }
    int managementPort = args.integer("management-port", 9400, 0, 65_535);
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
    String redis = args.get("redis-url", System.getenv("NAAP_REDIS_URL"));
    java.net.URI redisUrl = null;
    if (redis != null) {
      try {
        redisUrl = new java.net.URI(redis);
      } catch (java.net.URISyntaxException e) {
        redisUrl = null;
      }
      if (redisUrl == null || !List.of("redis", "rediss").contains(redisUrl.getScheme())
          || redisUrl.getHost() == null) {
        args.error("--redis-url: expected redis://host:port or rediss://host:port, got '"
            + redis.replaceAll("//[^@/]*@", "//…@") + "'");
      }
    }
    args.check();
    ApiConfig config = new ApiConfig(args.get("host", ApiConfig.DEFAULT_HOST), port, quota, defaults.quotaWindow(),
        keys, dashboardQuota, defaults.maxRange(), queryTimeout, defaults.maxConcurrentQueries(), cacheBytes,
        secret, proxies);

    if (storeConfig instanceof StoreConfig.Server server) {
      // A server request must end (and free its slot) before the API gives up on it.
      Duration shorter = queryTimeout.minusSeconds(1);
      storeConfig = server.withRequestTimeout(
          shorter.compareTo(Duration.ofSeconds(1)) < 0 ? queryTimeout : shorter);
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    CountDownLatch stop = new CountDownLatch(1);
    var finished = Main.onShutdown(stop::countDown, Duration.ofSeconds(30));
    try (Store store = Stores.open(storeConfig);
        ApiServer server = PublicApi.start(store, config, registry, readyMaxLag, fallback,
            redisUrl);
        HTTPServer management = HTTPServer.builder().hostname(args.get("management-host", "127.0.0.1"))
            .port(managementPort).registry(registry).buildAndStart();
        Probes probes = new Probes("serve", store, registry, false)) {
      out.printf("naap serve: serving %s at %s (API docs at %sdocs; metrics at http://%s:%d/metrics)%n",
          store.description(), server.url(), server.url(), args.get("management-host", "127.0.0.1"),
          management.getPort());
      out.flush();
      stop.await();
      return 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot start the management server on port " + managementPort, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      finished.countDown();
    }
  }
}
