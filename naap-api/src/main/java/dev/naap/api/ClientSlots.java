package dev.naap.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Responses one client address may have computed at once: at most {@code perClient}, so that one
 * address cannot hold every store slot ({@link QueryRunner}) and leave the others nothing but 503s.
 * A client's further computations wait for one of its own to end (a dashboard that asks for six
 * uncached views at once gets them all, some a little later), up to a deadline. The table holds
 * only addresses with a computation running or waiting. Thread-safe.
 */
final class ClientSlots {

  private final int perClient;
  private final Duration wait;
  private final ConcurrentHashMap<String, Slots> clients = new ConcurrentHashMap<>();

  /** One address's permits, and how many of its requests hold or wait for one. */
  private static final class Slots {
    final Semaphore permits;
    int users;

    Slots(int perClient) {
      permits = new Semaphore(perClient);
    }
  }

  ClientSlots(int perClient, Duration wait) {
    this.perClient = perClient;
    this.wait = wait;
  }

  /** Half the store's slots, at least one: what one address may take of them. */
  static int perClient(int storeSlots) {
    return Math.max(1, storeSlots / 2);
  }

  /**
   * Runs {@code work} for {@code client} once it has a slot of its own.
   *
   * @throws ApiProblem 503 when no slot of the client's frees within the deadline
   */
  <T> T run(String client, Supplier<T> work) {
    Slots slots = clients.compute(client, (k, s) -> {
      Slots in = s != null ? s : new Slots(perClient);
      in.users++;
      return in;
    });
    try {
      if (!slots.permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw busy();
      }
      try {
        return work.get();
      } finally {
        slots.permits.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy();
    } finally {
      clients.computeIfPresent(client, (k, s) -> --s.users == 0 ? null : s);
    }
  }

  private ApiProblem busy() {
    return new ApiProblem(503, "Service unavailable", "this client already has " + perClient
        + " queries running; retry in " + QueryRunner.RETRY_AFTER_SECONDS + " s", null);
  }
}
