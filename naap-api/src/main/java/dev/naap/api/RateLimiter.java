package dev.naap.api;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

/**
 * Fixed-window request quotas per client: a client's window opens at its first request and lasts
 * the configured window; within it, at most the client's quota of requests is allowed.
 * Implementations are thread-safe: {@link LocalRateLimiter} (one process) and {@link
 * RedisRateLimiter} (shared by instances).
 */
interface RateLimiter extends AutoCloseable {

  /**
   * The outcome of one request.
   *
   * @param allowed whether the request is within the quota (and was counted)
   * @param limit the client's quota per window
   * @param remaining requests left in the window after this one
   * @param reset when the window ends
   */
  record Decision(boolean allowed, int limit, int remaining, Instant reset) {

    long secondsToReset(Instant now) {
      return Math.max(1, (long) Math.ceil(Duration.between(now, reset).toMillis() / 1000.0));
    }
  }

  /** Counts one request of {@code client} if its quota {@code limit} allows it. */
  Decision acquire(String client, int limit);

  /** Gives back a request that turned out not to count (a 304, or a dashboard cache hit). */
  Decision refund(String client, int limit);

  /** What {@code /ready} says about where quotas are counted. */
  default Map<String, Object> status() {
    return Map.of("quotas", "local");
  }

  @Override
  default void close() {}

  /** Caffeine measures time with the same clock as the windows (tests move it). */
  static Ticker ticker(InstantSource clock) {
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
