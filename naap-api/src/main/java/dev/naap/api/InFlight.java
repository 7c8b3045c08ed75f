package dev.naap.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests each client address has in progress, capped: a client that already has {@code max}
 * requests being answered gets a quick 429 instead of another thread and store slot. The table
 * holds only addresses with requests in progress, so it is bounded by the connection cap.
 * Thread-safe.
 */
final class InFlight {

  /** Requests one address may have in progress at once. */
  static final int MAX_PER_CLIENT = 32;

  private final int max;
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  InFlight(int max) {
    this.max = max;
  }

  /** Counts a request of {@code client} in; false (and nothing counted) when it has {@code max}. */
  boolean enter(String client) {
    boolean[] entered = new boolean[1];
    counts.compute(client, (k, n) -> {
      int now = n == null ? 0 : n;
      entered[0] = now < max;
      return entered[0] ? now + 1 : now;
    });
    return entered[0];
  }

  /** Counts a request that {@link #enter} let in out. */
  void exit(String client) {
    counts.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }
}
