package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One address cannot take every store slot: one more computation of its own is a 503 at once. */
class ClientSlotsTest {

  @Test
  void perClient_isHalfTheStoreSlots_atLeastOne() {
    assertThat(ClientSlots.perClient(8)).isEqualTo(4);
    assertThat(ClientSlots.perClient(3)).isEqualTo(1);
    assertThat(ClientSlots.perClient(1)).isEqualTo(1);
  }

  @Test
  void aClientsThirdComputation_is503AtOnce_whileAnotherClientRuns() throws Exception {
    ClientSlots slots = new ClientSlots(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(pool.submit(() -> slots.run("10.0.0.1", () -> {
          running.incrementAndGet();
          await(release);
          return "done";
        })));
      }
      while (running.get() < 2) {
        Thread.sleep(10);
      }
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> slots.run("10.0.0.1", () -> "third"))
          .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(503));
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to refuse").isLessThan(1_000);
      assertThat(slots.run("10.0.0.2", () -> "other")).isEqualTo("other");
      release.countDown();
      for (Future<String> f : held) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("done");
      }
    }
    assertThat(slots.run("10.0.0.1", () -> "again")).isEqualTo("again");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
