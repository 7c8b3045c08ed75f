package dev.naap.api;

import java.util.function.Supplier;

/**
 * Responses one client address may have computed at once: at most {@code perClient}, so that one
 * address cannot hold every store slot ({@link QueryRunner}) and leave the others nothing but 503s.
 * One more is answered 503 at once, as a full store is: waiting would keep an overloaded process
 * busier (measured: with a client's extra requests queued, the demo's /health took over a second
 * under load). The table holds only addresses with a computation running. Thread-safe.
 */
final class ClientSlots {

  private final InFlight computing;
  private final int perClient;

  ClientSlots(int perClient) {
    this.perClient = perClient;
    this.computing = new InFlight(perClient);
  }

  /** Half the store's slots, at least one: what one address may take of them. */
  static int perClient(int storeSlots) {
    return Math.max(1, storeSlots / 2);
  }

  /**
   * Runs {@code work} for {@code client} in a slot of its own.
   *
   * @throws ApiProblem 503 at once when the client already has {@code perClient} running
   */
  <T> T run(String client, Supplier<T> work) {
    if (!computing.enter(client)) {
      throw busy();
    }
    try {
      return work.get();
    } finally {
      computing.exit(client);
    }
  }

  private ApiProblem busy() {
    // Also what requests waiting for the same response get, whoever sent them: rare, and brief.
    return new ApiProblem(503, "Service unavailable", "one client already has " + perClient
        + " queries running; retry in " + QueryRunner.RETRY_AFTER_SECONDS + " s", null);
  }
}
