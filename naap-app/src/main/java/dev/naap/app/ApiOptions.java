package dev.naap.app;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.http.Limits;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The public API's options, shared by {@code naap serve} and {@code naap demo}. */
final class ApiOptions {

  static final String SECRET_ENV = "NAAP_API_SECRET";
  static final String REDIS_ENV = "NAAP_REDIS_URL";

  @Option(names = "--host", paramLabel = "HOST", description = "address the API listens on")
  String host = ApiConfig.DEFAULT_HOST;

  @Option(names = "--port", paramLabel = "PORT", description = "the API's port; 0 picks a free one")
  @Range(min = 0, max = 65_535)
  int port = ApiConfig.DEFAULT_PORT;

  @Option(names = "--quota", paramLabel = "N",
      description = "requests per hour of a client without an API key")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int quota = ApiConfig.DEFAULT_REQUESTS_PER_WINDOW;

  @Option(names = "--api-key", paramLabel = "KEY=N",
      description = "an API key (header X-API-Key) with its quota per hour; repeatable")
  List<String> apiKeys = List.of();

  @Option(names = "--dashboard-quota", paramLabel = "N", description = {"requests per hour of a "
      + "dashboard visitor that the shared response cache could not answer"})
  @Range(min = 1, max = Integer.MAX_VALUE)
  int dashboardQuota = ApiConfig.DEFAULT_DASHBOARD_REQUESTS_PER_WINDOW;

  @Option(names = "--secret", paramLabel = "S", description = {"key for cursors and dashboard "
      + "tokens, shared by instances behind one load balancer, at least 16 characters (default $"
      + SECRET_ENV + ", else random)"})
  String secret;

  @Option(names = "--query-timeout", paramLabel = "DURATION",
      description = "longest wait for the store per request")
  Duration queryTimeout = ApiConfig.defaults().queryTimeout();

  @Option(names = "--cache-mb", paramLabel = "N",
      description = "bytes of responses kept in the server cache, in MiB")
  @Range(min = 0, max = 65_536)
  int cacheMb = (int) (ApiConfig.DEFAULT_CACHE_BYTES >> 20);

  @Option(names = "--ready-max-lag", paramLabel = "DURATION",
      description = "/ready fails when the rollups trail the clock by more (default: never)")
  Duration readyMaxLag;

  @Option(names = "--trusted-proxy", paramLabel = "CIDR", split = ",", description = {"your "
      + "reverse proxies (addresses or CIDRs): from them, the client is the rightmost "
      + "X-Forwarded-For hop that is not one (default none: the peer address); repeatable"})
  List<String> trustedProxies = List.of();

  @Option(names = "--discovery-fallback", paramLabel = "URL", split = ",", description = {
      "service URLs /v1/discover/orchestrators answers when the store fails and it has no "
          + "earlier answer to repeat (default none: a 503); repeatable"})
  List<String> discoveryFallback = List.of();

  @Option(names = "--redis-url", paramLabel = "URL", description = {"count quotas in this Redis, "
      + "shared by every instance that uses it: redis://[user:password@]host:port[/db], "
      + "rediss:// for TLS (default $" + REDIS_ENV + ", else each instance counts alone); while "
      + "it fails, each counts alone and /ready says so"})
  String redisUrl;

  @Mixin ConnectionOptions connections;

  private Limits limits = Limits.defaults();

  /** The API's configuration; problems go to {@code problems}. */
  ApiConfig config(Problems problems) {
    Limits checked = connections.limits(problems);
    limits = checked != null ? checked : limits;
    Map<String, Integer> keys = new HashMap<>();
    for (String spec : apiKeys) {
      int eq = spec.lastIndexOf('=');
      if (eq <= 0 || !spec.substring(eq + 1).matches("[0-9]{1,9}")
          || Integer.parseInt(spec.substring(eq + 1)) < 1) {
        problems.add("--api-key: expected KEY=REQUESTS_PER_HOUR, got '" + spec + "'");
      } else {
        keys.put(spec.substring(0, eq), Integer.parseInt(spec.substring(eq + 1)));
      }
    }
    for (String url : discoveryFallback) {
      URI uri = uri(url);
      if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
        problems.add("--discovery-fallback: expected absolute URLs such as https://host:8935, got '"
            + url + "'");
      }
    }
    ApiConfig defaults = ApiConfig.defaults();
    String key = secret != null ? secret
        : System.getenv().getOrDefault(SECRET_ENV, defaults.secret());
    if (key.length() < 16) {
      problems.add("--secret: at least 16 characters");
      return null;
    }
    redis(problems);
    return problems.attempt(() -> new ApiConfig(host, port, quota, defaults.quotaWindow(), keys,
        dashboardQuota, defaults.maxRange(), queryTimeout, defaults.maxConcurrentQueries(),
        cacheMb * (1L << 20), key, trustedProxies.stream().map(String::strip)
            .filter(v -> !v.isEmpty()).toList()));
  }

  /** {@code store}, its server requests ending (and freeing their slot) before the API gives up. */
  StoreConfig storeFor(StoreConfig store) {
    if (store instanceof StoreConfig.Server server) {
      Duration shorter = queryTimeout.minusSeconds(1);
      return server.withRequestTimeout(
          shorter.compareTo(Duration.ofSeconds(1)) < 0 ? queryTimeout : shorter);
    }
    return store;
  }

  /** Starts the API with {@code config} (from {@link #config}) over {@code store}. */
  ApiServer start(Store store, ApiConfig config, PrometheusRegistry registry) {
    return PublicApi.start(store, config, limits, registry, readyMaxLag,
        discoveryFallback.stream().map(String::strip).filter(v -> !v.isEmpty()).toList(),
        redis(new Problems()));
  }

  private URI redis(Problems problems) {
    String raw = redisUrl != null ? redisUrl : System.getenv(REDIS_ENV);
    if (raw == null) {
      return null;
    }
    URI uri = uri(raw);
    if (uri == null || !List.of("redis", "rediss").contains(uri.getScheme())
        || uri.getHost() == null) {
      problems.add("--redis-url: expected redis://host:port or rediss://host:port, got '"
          + raw.replaceAll("//[^@/]*@", "//…@") + "'");
      return null;
    }
    return uri;
  }

  private static URI uri(String raw) {
    try {
      return new URI(raw.strip());
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
