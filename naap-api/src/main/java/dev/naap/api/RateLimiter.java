package dev.naap.api;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window request quotas per client: a client's window opens at its first request and lasts
 * {@code window}; within it, at most the client's quota of requests is allowed. Thread-safe.
 *
 * <p>State is in memory, per process; behind a load balancer each instance counts its own (the
 * documented path is a shared store such as Redis). Windows that ended are dropped once the map
 * holds more than {@link #MAX_TRACKED_CLIENTS}, so memory stays bounded.
 */
final class RateLimiter {

  static final int MAX_TRACKED_CLIENTS = 100_000;

  private final Duration window;
  private final InstantSource clock;
  private final ConcurrentHashMap<String, Usage> usage = new ConcurrentHashMap<>();

  RateLimiter(Duration window, InstantSource clock) {
    this.window = window;
    this.clock = clock;
  }

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

  private record Usage(Instant windowStart, int used) {}

  Decision acquire(String client, int limit) {
    Instant now = clock.instant();
    if (usage.size() > MAX_TRACKED_CLIENTS) {
      usage.values().removeIf(u -> !now.isBefore(u.windowStart().plus(window)));
    }
    boolean[] allowed = new boolean[1];
    Usage u = usage.compute(client, (k, old) -> {
      Usage current = old == null || !now.isBefore(old.windowStart().plus(window)) ? new Usage(now, 0) : old;
      allowed[0] = current.used() < limit;
      return allowed[0] ? new Usage(current.windowStart(), current.used() + 1) : current;
    });
    return new Decision(allowed[0], limit, Math.max(0, limit - u.used()), u.windowStart().plus(window));
  }

  /** Gives back a request that turned out not to count (a 304). */
  Decision refund(String client, int limit) {
    Usage u = usage.computeIfPresent(client, (k, old) -> new Usage(old.windowStart(), Math.max(0, old.used() - 1)));
    Instant reset = u == null ? clock.instant().plus(window) : u.windowStart().plus(window);
    return new Decision(true, limit, u == null ? limit : limit - u.used(), reset);
  }
}
