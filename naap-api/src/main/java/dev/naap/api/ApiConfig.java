package dev.naap.api;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The API server's settings, fixed at start. Every default makes a loopback server that works with
 * no configuration; {@link #defaults()} is the front door and the {@code with…} methods change one
 * setting each.
 *
 * @param host address to listen on. Default {@code 127.0.0.1}
 * @param port port to listen on, 0 for any free one. Default 8080
 * @param requestsPerWindow quota of a client without an API key, per {@code quotaWindow}. Default
 *     100
 * @param quotaWindow the rate-limit window. Default 1 h
 * @param apiKeys API keys (sent as {@code X-API-Key}) and their own quotas per window. Default none
 * @param dashboardRequestsPerWindow quota of a dashboard visitor (signed cookie), per window,
 *     counting only the requests the shared response cache could not answer. Default 300
 * @param maxRange the longest time range a request may ask for; each granularity has its own,
 *     shorter limit too. Default 366 days
 * @param queryTimeout how long one request may wait for the store. Default 10 s
 * @param maxConcurrentQueries store queries run at once; more wait up to {@code queryTimeout}.
 *     Default 8
 * @param cacheBytes bytes of responses kept in the server-side cache (bodies and keys). Default 64
 *     MiB
 * @param secret key that signs cursors and dashboard tokens; instances behind one load balancer
 *     must share it. Default: random per process
 * @param trustedProxies addresses or CIDRs ({@code 10.0.0.0/8}) of the reverse proxies in front of
 *     this server: from a trusted peer, the client is the rightmost {@code X-Forwarded-For} hop
 *     that is not a trusted proxy. Default none: the peer address, the header ignored
 */
public record ApiConfig(
    String host,
    int port,
    int requestsPerWindow,
    Duration quotaWindow,
    Map<String, Integer> apiKeys,
    int dashboardRequestsPerWindow,
    Duration maxRange,
    Duration queryTimeout,
    int maxConcurrentQueries,
    long cacheBytes,
    String secret,
    List<String> trustedProxies) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_REQUESTS_PER_WINDOW = 100;
  public static final int DEFAULT_DASHBOARD_REQUESTS_PER_WINDOW = 300;
  public static final long DEFAULT_CACHE_BYTES = 64L << 20;

  public ApiConfig {
    apiKeys = Map.copyOf(apiKeys);
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    List<String> errors = new ArrayList<>();
    if (host == null || host.isBlank()) {
      errors.add("host: must not be empty");
    }
    check(errors, "port", port, 0, 65_535);
    check(errors, "requestsPerWindow", requestsPerWindow, 1, Integer.MAX_VALUE);
    check(errors, "dashboardRequestsPerWindow", dashboardRequestsPerWindow, 1, Integer.MAX_VALUE);
    check(errors, "maxConcurrentQueries", maxConcurrentQueries, 1, 1_024);
    if (cacheBytes < 0 || cacheBytes > (64L << 30)) {
      errors.add("cacheBytes: expected 0.." + (64L << 30) + ", got " + cacheBytes);
    }
    for (String proxy : trustedProxies) {
      try {
        Cidr.parse(proxy);
      } catch (IllegalArgumentException e) {
        errors.add("trustedProxies: " + e.getMessage());
      }
    }
    positive(errors, "quotaWindow", quotaWindow);
    positive(errors, "maxRange", maxRange);
    positive(errors, "queryTimeout", queryTimeout);
    apiKeys.forEach(
        (key, quota) -> {
          if (key.isBlank() || quota < 1) {
            errors.add(
                "apiKeys: a key must not be blank and its quota must be at least 1, got quota "
                    + quota);
          }
        });
    if (secret == null || secret.length() < 16) {
      errors.add("secret: at least 16 characters");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  public static ApiConfig defaults() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return new ApiConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_REQUESTS_PER_WINDOW,
        Duration.ofHours(1),
        Map.of(),
        DEFAULT_DASHBOARD_REQUESTS_PER_WINDOW,
        Duration.ofDays(366),
        Duration.ofSeconds(10),
        8,
        DEFAULT_CACHE_BYTES,
        Base64.getEncoder().encodeToString(random),
        List.of());
  }

  public ApiConfig withAddress(String host, int port) {
    return new ApiConfig(
        host,
        port,
        requestsPerWindow,
        quotaWindow,
        apiKeys,
        dashboardRequestsPerWindow,
        maxRange,
        queryTimeout,
        maxConcurrentQueries,
        cacheBytes,
        secret,
        trustedProxies);
  }

  public ApiConfig withQuotas(
      int requestsPerWindow, Map<String, Integer> apiKeys, int dashboardRequestsPerWindow) {
    return new ApiConfig(
        host,
        port,
        requestsPerWindow,
        quotaWindow,
        apiKeys,
        dashboardRequestsPerWindow,
        maxRange,
        queryTimeout,
        maxConcurrentQueries,
        cacheBytes,
        secret,
        trustedProxies);
  }

  public ApiConfig withSecret(String secret) {
    return new ApiConfig(
        host,
        port,
        requestsPerWindow,
        quotaWindow,
        apiKeys,
        dashboardRequestsPerWindow,
        maxRange,
        queryTimeout,
        maxConcurrentQueries,
        cacheBytes,
        secret,
        trustedProxies);
  }

  public ApiConfig withQueryLimits(Duration queryTimeout, int maxConcurrentQueries) {
    return new ApiConfig(
        host,
        port,
        requestsPerWindow,
        quotaWindow,
        apiKeys,
        dashboardRequestsPerWindow,
        maxRange,
        queryTimeout,
        maxConcurrentQueries,
        cacheBytes,
        secret,
        trustedProxies);
  }

  public ApiConfig withCacheBytes(long cacheBytes) {
    return new ApiConfig(
        host,
        port,
        requestsPerWindow,
        quotaWindow,
        apiKeys,
        dashboardRequestsPerWindow,
        maxRange,
        queryTimeout,
        maxConcurrentQueries,
        cacheBytes,
        secret,
        trustedProxies);
  }

  public ApiConfig withTrustedProxies(List<String> trustedProxies) {
    return new ApiConfig(
        host,
        port,
        requestsPerWindow,
        quotaWindow,
        apiKeys,
        dashboardRequestsPerWindow,
        maxRange,
        queryTimeout,
        maxConcurrentQueries,
        cacheBytes,
        secret,
        trustedProxies);
  }

  @Override
  public String toString() {
    return "ApiConfig[host="
        + host
        + ", port="
        + port
        + ", requestsPerWindow="
        + requestsPerWindow
        + ", quotaWindow="
        + quotaWindow
        + ", apiKeys="
        + apiKeys.size()
        + " keys, dashboardRequestsPerWindow="
        + dashboardRequestsPerWindow
        + ", maxRange="
        + maxRange
        + ", queryTimeout="
        + queryTimeout
        + ", maxConcurrentQueries="
        + maxConcurrentQueries
        + ", cacheBytes="
        + cacheBytes
        + ", trustedProxies="
        + trustedProxies
        + "]";
  }

  private static void check(List<String> errors, String name, int value, int min, int max) {
    if (value < min || value > max) {
      errors.add(name + ": expected " + min + ".." + max + ", got " + value);
    }
  }

  private static void positive(List<String> errors, String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      errors.add(name + ": must be positive, got " + d);
    }
  }
}
