package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** How the store's executor closes while a call runs. */
class WorkersTest {

  /**
   * With a way to stop a running call (the engine cancels a read), closing uses it rather than
   * wait for the call's end, and the call's caller gets what the stopped call threw.
   */
  @Test
  void close_stopsTheRunningCallItCanStop() throws Exception {
    AtomicBoolean stopped = new AtomicBoolean();
    Workers<String> workers = new Workers<>("test", 1, 4, i -> "connection-" + i, r -> { },
        r -> () -> stopped.set(true));
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> workers.call(r -> {
      running.countDown();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!stopped.get()) { // a read the engine runs until cancelled
        if (System.nanoTime() > end) {
          return "ran to its end";
        }
        Thread.onSpinWait();
      }
      throw new StoreException(394, "Query was cancelled", null);
    }, Duration.ofSeconds(5)));
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    long t0 = System.nanoTime();
    boolean all = workers.close(Duration.ofSeconds(60));
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(all).as("every worker stopped").isTrue();
    assertThat(waitedMs).as("ms waited").isLessThan(5_000);
    assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
        .withCauseInstanceOf(StoreException.class);
  }

  /**
   * A command being stopped interrupts the thread that closes its store. The close still waits for
   * the running call, as for a native statement, which an interrupt cannot stop and under which
   * closing the connection can abort the process; the interrupt is kept for the caller.
   */
  @Test
  void close_interrupted_stillWaitsForTheRunningCall_andKeepsTheInterrupt() throws Exception {
    AtomicBoolean resourceClosed = new AtomicBoolean();
    Workers<String> workers = new Workers<>("test", 1, 4, i -> "connection-" + i,
        r -> resourceClosed.set(true));
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> workers.call(r -> {
      running.countDown();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
      while (System.nanoTime() < end) {
        Thread.onSpinWait(); // a native statement: interrupts do not stop it
      }
      return r;
    }, Duration.ofSeconds(5)));
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    Thread.currentThread().interrupt();
    long t0 = System.nanoTime();
    boolean all = workers.close(Duration.ofSeconds(10));
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    boolean interrupted = Thread.interrupted();

    assertThat(all).as("every worker stopped").isTrue();
    assertThat(resourceClosed).as("its resource closed after the call").isTrue();
    assertThat(waitedMs).as("ms waited for the running call").isGreaterThan(100);
    assertThat(interrupted).as("the interrupt is kept").isTrue();
    assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("connection-0");
  }
}
