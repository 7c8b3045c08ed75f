package dev.naap.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Quotas counted in Redis, so that every API instance behind one load balancer sees the same
 * count per client: the window semantics of {@link LocalRateLimiter}, each decision one atomic Lua
 * script (check, count, open the window with its expiry). The window's end comes from the key's
 * remaining time in Redis, so instances need not agree on the clock.
 *
 * <p>When Redis fails (down, unreachable, too slow), requests are counted by the local limiter
 * instead, {@code /ready} and {@code naap_api_quota_shared} say so, and Redis is tried again at
 * most every {@link #RETRY_EVERY}; counting moves back to Redis as soon as it answers. Thread-safe.
 *
 * <p>Keys are {@code naap:quota:} and a SHA-256 of the client key: API keys never reach Redis.
 */
final class RedisRateLimiter implements RateLimiter {

  /** How long a request waits for Redis before it is counted locally. */
  static final Duration TIMEOUT = Duration.ofMillis(250);
  /** How often Redis is tried again while it fails. */
  static final Duration RETRY_EVERY = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
  // KEYS[1] the client's counter; ARGV[1] its limit, ARGV[2] the window (ms).
  // Returns {allowed 0/1, used, ms left in the window}.
  private static final String ACQUIRE = """
      local used = tonumber(redis.call('GET', KEYS[1]) or '0')
      local allowed = 0
      if used < tonumber(ARGV[1]) then
        used = redis.call('INCR', KEYS[1])
        allowed = 1
      end
      local left = redis.call('PTTL', KEYS[1])
      if left < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        left = tonumber(ARGV[2])
      end
      return {allowed, used, left}
      """;
  // Returns {used, ms left}, or {0, -2} when the window is gone.
  private static final String REFUND = """
      local used = tonumber(redis.call('GET', KEYS[1]) or '-1')
      if used < 0 then
        return {0, -2}
      end
      if used > 0 then
        used = redis.call('DECR', KEYS[1])
      end
      return {used, redis.call('PTTL', KEYS[1])}
      """;

  private final JedisPooled redis;
  private final String description;
  private final LocalRateLimiter local;
  private final Duration window;
  private final InstantSource clock;
  private final LongSupplier nanoTime;
  private final Gauge shared;
  private final Counter failures;
  private volatile long retryAtNanos;
  private volatile boolean down;

  /**
   * Counts in the Redis at {@code url} ({@code redis://[user:password@]host:port[/db]} or {@code
   * rediss://} for TLS); {@code local} counts while it fails. Does not connect yet.
   */
  RedisRateLimiter(URI url, Duration window, LocalRateLimiter local, InstantSource clock,
      PrometheusRegistry registry) {
    this(new JedisPooled(pool(), url, (int) TIMEOUT.toMillis()),
        url.getHost() + ":" + url.getPort(), window, local, clock, System::nanoTime, registry);
  }

  /** Connections for many concurrent requests; a request never waits long for one. */
  private static ConnectionPoolConfig pool() {
    ConnectionPoolConfig config = new ConnectionPoolConfig();
    config.setMaxTotal(64);
    config.setMaxIdle(16);
    config.setMaxWait(TIMEOUT);
    return config;
  }

  RedisRateLimiter(JedisPooled redis, String description, Duration window, LocalRateLimiter local,
      InstantSource clock, LongSupplier nanoTime, PrometheusRegistry registry) {
    this.redis = redis;
    this.description = description;
    this.window = window;
    this.local = local;
    this.clock = clock;
    this.nanoTime = nanoTime;
    shared = Gauge.builder().name("naap_api_quota_shared")
        .help("1 while quotas are counted in Redis, shared by every instance; 0 while this"
            + " instance counts alone because Redis fails").register(registry);
    failures = Counter.builder().name("naap_api_quota_redis_failures_total")
        .help("Redis calls for quotas that failed; the request was counted locally")
        .register(registry);
    shared.set(1);
  }

  @Override
  public Decision acquire(String client, int limit) {
    if (!useRedis()) {
      return local.acquire(client, limit);
    }
    try {
      List<?> r = eval(ACQUIRE, key(client), Integer.toString(limit),
          Long.toString(window.toMillis()));
      up();
      long used = (Long) r.get(1);
      return new Decision((Long) r.get(0) == 1, limit, (int) Math.max(0, limit - used),
          reset((Long) r.get(2)));
    } catch (JedisException | ClassCastException | IndexOutOfBoundsException e) {
      failed(e);
      return local.acquire(client, limit);
    }
  }

  @Override
  public Decision refund(String client, int limit) {
    if (!useRedis()) {
      return local.refund(client, limit);
    }
    try {
      List<?> r = eval(REFUND, key(client));
      up();
      long left = (Long) r.get(1);
      if (left == -2) {
        return new Decision(true, limit, limit, clock.instant().plus(window));
      }
      return new Decision(true, limit, (int) Math.max(0, limit - (Long) r.get(0)), reset(left));
    } catch (JedisException | ClassCastException | IndexOutOfBoundsException e) {
      failed(e);
      return local.refund(client, limit);
    }
  }

  /** For the public {@code /ready}: no address or error text (the log has them). */
  @Override
  public Map<String, Object> status() {
    return Map.of("quotas", down
        ? "local: Redis fails; each instance counts alone until it answers"
        : "shared in Redis");
  }

  /** Whether quotas are counted in Redis now. */
  boolean sharing() {
    return !down;
  }

  private boolean useRedis() {
    return !down || nanoTime.getAsLong() - retryAtNanos >= 0;
  }

  private void up() {
    if (down) {
      down = false;
      shared.set(1);
      log.info("quotas are shared in Redis at {} again", description);
    }
  }

  private void failed(RuntimeException e) {
    failures.inc();
    retryAtNanos = nanoTime.getAsLong() + RETRY_EVERY.toNanos();
    if (!down) {
      down = true;
      shared.set(0);
      log.warn("Redis at {} fails, counting quotas locally until it answers: {}", description,
          String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  /**
   * Runs {@code script}; once more on a fresh connection when the pooled one was broken (Redis
   * restarted since it was opened).
   */
  private List<?> eval(String script, String key, String... args) {
    try {
      return (List<?>) redis.eval(script, List.of(key), List.of(args));
    } catch (JedisConnectionException e) {
      return (List<?>) redis.eval(script, List.of(key), List.of(args));
    }
  }

  private Instant reset(long leftMs) {
    return clock.instant().plusMillis(leftMs < 0 ? window.toMillis() : leftMs);
  }

  private static String key(String client) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(client.getBytes(StandardCharsets.UTF_8));
      return "naap:quota:" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
