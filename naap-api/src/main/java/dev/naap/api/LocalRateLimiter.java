package dev.naap.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Fixed-window request quotas per client: a client's window opens at its first request and lasts
 * {@code window}; within it, at most the client's quota of requests is allowed. Thread-safe; O(1)
 * per request.
 *
 * <p>State is in memory, per process; behind a load balancer each instance counts its own, unless
 * the instances share {@link RedisRateLimiter}, which falls back to this one when Redis is down.
 * The table holds at most {@link #MAX_TRACKED_CLIENTS} clients (Caffeine evicts the least valuable
 * first) and drops a client when its window ends, so a flood of new addresses costs bounded memory.
 */
final class LocalRateLimiter implements RateLimiter {

  static final int MAX_TRACKED_CLIENTS = 100_000;

  private final Duration window;
  private final InstantSource clock;
  private final Cache<String, Usage> usage;

  LocalRateLimiter(Duration window, InstantSource clock) {
    this.window = window;
    this.clock = clock;
    this.usage = Caffeine.newBuilder()
        .maximumSize(MAX_TRACKED_CLIENTS)
        .ticker(RateLimiter.ticker(clock))
        .expireAfter(Expiry.<String, Usage>writing((k, u) ->
            Duration.between(clock.instant(), u.windowStart().plus(window))))
        .executor(Runnable::run)
        .build();
  }

  private record Usage(Instant windowStart, int used) {}

  @Override
  public Decision acquire(String client, int limit) {
    Instant now = clock.instant();
    boolean[] allowed = new boolean[1];
    Usage u =
        usage
            .asMap()
            .compute(
                client,
                (k, old) -> {
                  Usage current =
                      old == null || !now.isBefore(old.windowStart().plus(window))
                          ? new Usage(now, 0)
                          : old;
                  allowed[0] = current.used() < limit;
                  return allowed[0]
                      ? new Usage(current.windowStart(), current.used() + 1)
                      : current;
                });
    return new Decision(
        allowed[0], limit, Math.max(0, limit - u.used()), u.windowStart().plus(window));
  }

  @Override
  public Decision refund(String client, int limit) {
    Usage u = usage.asMap().computeIfPresent(client,
        (k, old) -> new Usage(old.windowStart(), Math.max(0, old.used() - 1)));
    Instant reset = u == null ? clock.instant().plus(window) : u.windowStart().plus(window);
    return new Decision(true, limit, u == null ? limit : limit - u.used(), reset);
  }

  /** Clients tracked now (for tests). */
  long tracked() {
    usage.cleanUp();
    return usage.estimatedSize();
  }
}
