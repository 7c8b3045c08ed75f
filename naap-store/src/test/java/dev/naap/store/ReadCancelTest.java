package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A caller that gives up on a read (interrupted: the API's query timeout, a stopping command) stops
 * the statement in the engine too, not only its own wait: the engine's connection is free again at
 * once instead of running the read to its end for no one. A write is never cancelled.
 */
class ReadCancelTest {

  /** About a minute of both cores; the setting bounds it should the cancel not work. */
  private static final String LONG_READ = "SELECT count() FROM numbers(20000000000)"
      + " WHERE sipHash64(number) % 7 = 3 SETTINGS max_execution_time = 90";

  @Test
  void read_callerInterrupted_statementCancelledInTheEngine_connectionAnswersAgain()
      throws Exception {
    Store store = TestEngine.uniqueStore("read_cancel");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        store.queryText(LONG_READ, Map.of());
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (running(store) == 0) {
      assertThat(System.nanoTime()).as("the read runs within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }

    long t0 = System.nanoTime();
    caller.interrupt();
    caller.join(10_000);
    while (running(store) > 0 && System.nanoTime() - t0 < 10_000_000_000L) {
      Thread.sleep(20);
    }
    long goneMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(caller.isAlive()).as("the caller returned").isFalse();
    assertThat(failure.get()).as("what the caller got").isInstanceOf(StoreException.class);
    assertThat(running(store)).as("the read still running in the engine").isZero();
    assertThat(goneMs).as("ms until the engine dropped the read").isLessThan(5_000);
    for (int i = 0; i < 8; i++) { // every connection answers, with its own answer
      assertThat(store.queryText("SELECT " + i, Map.of())).isEqualTo(i + "\n");
    }
  }

  /** How many statements of {@link #LONG_READ} the engine runs now. */
  private static int running(Store store) {
    return Integer.parseInt(store.queryText("SELECT count() FROM system.processes WHERE query"
        + " LIKE '%sipHash64(number) \\\\% 7 = 3%' AND query NOT LIKE '%system.processes%'",
        Map.of()).strip());
  }
}
