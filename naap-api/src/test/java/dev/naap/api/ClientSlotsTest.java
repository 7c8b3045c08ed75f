package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One address cannot take every store slot; its own further requests wait their turn. */
class ClientSlotsTest {

  @Test
  void perClient_isHalfTheStoreSlots_atLeastOne() {
    assertThat(ClientSlots.perClient(8)).isEqualTo(4);
    assertThat(ClientSlots.perClient(3)).isEqualTo(1);
    assertThat(ClientSlots.perClient(1)).isEqualTo(1);
  }

  @Test
  void aClientsThirdComputation_waitsForOneOfItsOwn_whileAnotherClientRunsAtOnce()
      throws Exception {
    ClientSlots slots = new ClientSlots(2, Duration.ofSeconds(10));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> attacker = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        attacker.add(pool.submit(() -> slots.run("10.0.0.1", () -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          await(release);
          running.decrementAndGet();
          return "done";
        })));
      }
      while (running.get() < 2) {
        Thread.sleep(10);
      }
      Thread.sleep(200);
      assertThat(running.get()).as("the third waits").isEqualTo(2);
      assertThat(slots.run("10.0.0.2", () -> "other")).isEqualTo("other");
      release.countDown();
      for (Future<String> f : attacker) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("done");
      }
    }
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void aClientWhoseSlotsStayTaken_getsA503_atTheDeadline() throws Exception {
    ClientSlots slots = new ClientSlots(1, Duration.ofMillis(200));
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> holder = pool.submit(() -> slots.run("a", () -> {
        await(release);
        return "held";
      }));
      Thread.sleep(100);
      assertThatThrownBy(() -> slots.run("a", () -> "late"))
          .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(503));
      release.countDown();
      assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
    }
    assertThat(slots.run("a", () -> "again")).isEqualTo("again");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
