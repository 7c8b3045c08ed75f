package dev.naap.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The store's query slots, shared among client addresses so that one of them cannot keep the
 * others out. A request takes a free slot at once when no one is waiting for one, so one
 * browser's burst gets every idle slot. When none is free, a client with at most half the slots
 * claimed (running or waiting) waits for the next one, in arrival order, up to {@link #WAIT};
 * every other request — a client holding more, work no client waits on, or one past {@code
 * slots} waiting requests — is refused at once, as an overloaded store's requests are. So an
 * address that holds every slot gives each one it frees to a waiting newcomer, and its own extra
 * requests are answered 503 without delay. The claims table holds only addresses with a claim.
 * Thread-safe.
 */
final class StoreSlots {

  /**
   * The client address the current request is answered for, bound by the dispatcher; unbound for
   * work no client waits on (responses computed ahead), which never waits for a slot.
   */
  static final ScopedValue<String> CLIENT = ScopedValue.newInstance();

  /** The longest a client within its share waits for a slot before its 503. */
  static final Duration WAIT = Duration.ofSeconds(1);

  /** Fair: a freed slot goes to the longest waiter, and no one takes it past a waiter. */
  private final Semaphore free;
  private final int slots;
  private final int share;
  private final ConcurrentHashMap<String, Integer> claims = new ConcurrentHashMap<>();

  StoreSlots(int slots) {
    this.slots = slots;
    this.free = new Semaphore(slots, true);
    this.share = Math.max(1, slots / 2);
  }

  /** The current request's client, or null for work no client waits on. */
  static String client() {
    return CLIENT.isBound() ? CLIENT.get() : null;
  }

  /**
   * Takes a slot for {@code client} (null: no client), waiting when the rules above allow; false
   * when refused. Every true must be followed by one {@link #release} with the same client.
   */
  boolean acquire(String client) throws InterruptedException {
    int claimed = client == null ? Integer.MAX_VALUE : claims.merge(client, 1, Integer::sum);
    boolean taken = false;
    try {
      boolean mayWait = claimed <= share && free.getQueueLength() < slots;
      // tryAcquire(0, …), unlike tryAcquire(), does not take a slot past a waiting request.
      taken = free.tryAcquire(mayWait ? WAIT.toNanos() : 0, TimeUnit.NANOSECONDS);
      return taken;
    } finally {
      if (!taken && client != null) {
        unclaim(client);
      }
    }
  }

  /** Gives back a slot that {@link #acquire} took for {@code client}. */
  void release(String client) {
    free.release();
    if (client != null) {
      unclaim(client);
    }
  }

  private void unclaim(String client) {
    claims.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }
}
