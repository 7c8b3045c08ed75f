package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.StoreException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@code /ready} answers within its bound whatever the store does: hangs, refuses, or answers. */
class StoreReadinessTest {

  private static final Instant NOW = Instant.parse("2026-01-08T12:00:00Z");

  @Test
  void hungStore_notReadyWithinTheBound_andChecksShareOneProbe() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    int[] calls = {0};
    FakeQueries hung = new FakeQueries(1);
    hung.latestMigration = () -> {
      synchronized (calls) {
        calls[0]++;
      }
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 1;
    };
    var readiness = new StoreReadiness(hung, null, InstantSource.fixed(NOW));
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      Readiness.Status s = readiness.check();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(s.ready()).isFalse();
      assertThat(s.checks()).containsEntry("store", "not answering");
      assertThat(ms).isLessThan(2_000);
    }
    assertThat(calls[0]).as("store probes while one hangs").isEqualTo(1);
    release.countDown();
  }

  @Test
  void refusingStore_notReady_thenReadyWhenItAnswers() throws Exception {
    boolean[] down = {true};
    FakeQueries queries = new FakeQueries(1);
    queries.latestMigration = () -> {
      if (down[0]) {
        // What the store raises under the query layer when ClickHouse cannot be reached.
        throw new StoreException(0, "cannot reach ClickHouse server", "SELECT 1");
      }
      return 30;
    };
    var readiness = new StoreReadiness(queries, null, InstantSource.fixed(NOW));
    assertThat(readiness.check().checks()).containsEntry("store", "unreachable");
    down[0] = false;
    Readiness.Status up = readiness.check();
    assertThat(up.ready()).isTrue();
    assertThat(up.checks()).containsEntry("store", "reachable")
        .containsEntry("latest_migration", "30");
  }

  @Test
  void noMigrations_notReady() {
    FakeQueries queries = new FakeQueries(1);
    queries.latestMigration = () -> 0;
    Readiness.Status s = new StoreReadiness(queries, null, InstantSource.fixed(NOW)).check();
    assertThat(s.ready()).isFalse();
    assertThat(s.checks()).containsEntry("migrations", "none applied");
  }
}
