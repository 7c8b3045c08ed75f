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

  /**
   * A read with query parameters is cancelled too. The engine keeps such a statement's text with
   * the values put in and formatted again, without the comment that tagged it: a cancel that
   * looked for the comment found nothing, and the read ran to its end (measured: an API query
   * past its 10 s timeout, a client gone from the ClickHouse endpoint).
   */
  @Test
  void readWithParameters_callerInterrupted_statementCancelledInTheEngine() throws Exception {
    Store store = TestEngine.uniqueStore("read_cancel_params");
    String read = "SELECT count() FROM numbers({n:UInt64}) WHERE NOT ignore(sipHash64(number,"
        + " {marker:String})) SETTINGS max_execution_time = 90";
    String running = "SELECT count() FROM system.processes WHERE query LIKE '%paramcancel%'"
        + " AND query NOT LIKE '%system.processes%'";
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        store.queryText(read, Map.of("n", 20_000_000_000L, "marker", "paramcancel"));
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (store.queryText(running, Map.of()).equals("0\n")) {
      assertThat(System.nanoTime()).as("the read runs within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
    long t0 = System.nanoTime();
    caller.interrupt();
    caller.join(10_000);
    while (!store.queryText(running, Map.of()).equals("0\n")
        && System.nanoTime() - t0 < 10_000_000_000L) {
      Thread.sleep(20);
    }
    long goneMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(failure.get()).as("what the caller got").isInstanceOf(StoreException.class);
    assertThat(store.queryText(running, Map.of())).as("the read still running").isEqualTo("0\n");
    assertThat(goneMs).as("ms until the engine dropped the read").isLessThan(5_000);
  }

  /** How many statements of {@link #LONG_READ} the engine runs now. */
  private static int running(Store store) {
    return Integer.parseInt(store.queryText("SELECT count() FROM system.processes WHERE query"
        + " LIKE '%sipHash64(number) \\\\% 7 = 3%' AND query NOT LIKE '%system.processes%'",
        Map.of()).strip());
  }
}
