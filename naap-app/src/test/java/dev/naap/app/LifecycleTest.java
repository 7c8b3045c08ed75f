package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.metrics.Retention;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A stop asks every piece at once: pieces that each take a while to stop (the ingest's last
 * writes, a scrape run, a refresh) stop side by side, while closing still waits for each in the
 * reverse order of their start. One after another, a demo's stops added up to 7.5–10.9 s on a
 * busy machine.
 */
class LifecycleTest {

  private static final long STOP_MS = 1_500;

  @Test
  void stop_asksEveryPieceAtOnce_andTheStoreClosesAfterThemAll() throws Exception {
    List<String> closed = new CopyOnWriteArrayList<>();
    var err = new ByteArrayOutputStream();
    Lifecycle life = Lifecycle.start("test", Duration.ofSeconds(30),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      // Closed last, as the store: every piece has ended by then.
      life.add("store", () -> closed.add("store after " + closed.size()));
      for (String name : List.of("a", "b", "c")) {
        CountDownLatch end = new CountDownLatch(1);
        life.background(name, () -> {
          awaitQuietly(end);
          closed.add(name);
        }, () -> {
          sleepQuietly(STOP_MS); // a slow stop
          end.countDown();
        });
      }
      life.add("d", new Lifecycle.Stoppable() {
        final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void beginStop() {
          sleepQuietly(STOP_MS);
          stopped.countDown();
        }

        @Override
        public void close() throws InterruptedException {
          stopped.await();
          closed.add("d");
        }
      });
      long t0 = System.nanoTime();
      life.stop();
      life.close();
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(closed).hasSize(5).endsWith("store after 4")
          .contains("a", "b", "c", "d");
      // One after another: 4 × 1.5 s = 6 s. Side by side: 1.5 s.
      assertThat(ms).as("ms to stop four pieces of 1.5 s each").isLessThan(2 * STOP_MS);
      assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("while stopping");
    } finally {
      life.close();
    }
  }

  /**
   * The refresher, stopped with the command, releases the lease (the next refresher claims at
   * once): asked at the stop and again when closed, it must be interrupted once only, since a
   * second interrupt, landing while the refresh thread releases, cancelled the release's insert
   * ("refresh lease not released"). Closed a few milliseconds after the stop, as a command's main
   * thread does, each time a little later, so that some close lands on a release.
   */
  @Test
  void refresher_stoppedWithTheCommand_releasesTheLease() throws Exception {
    Store store = TestEngine.uniqueStore("lifecycle_refresher");
    for (int i = 1; i <= 20; i++) {
      Lifecycle life = Lifecycle.start("test", Duration.ofSeconds(30), System.err);
      try {
        // No data directory of its own (null): the lease alone says who holds it.
        PrometheusRegistry registry = new PrometheusRegistry();
        RefreshRole role = life.add(new RefreshRole(store, null, Duration.ofMillis(20),
            Duration.ofSeconds(3), Retention.Policy.parse(List.of()), registry));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (held(registry) < 1) { // its claim settled: it holds the lease
          assertThat(System.nanoTime()).as("term %d held", i).isLessThan(deadline);
          Thread.sleep(10);
        }
        assertThat(store.queryText(LEASE, Map.of())).startsWith(i + "\t" + role.holder() + "\t1");
        life.stop();
        Thread.sleep(i);
      } finally {
        life.close();
      }
      assertThat(store.queryText(LEASE, Map.of())).as("released after stop %d", i)
          .endsWith("\t0\n");
    }
  }

  private static final String LEASE = "SELECT term, holder, expires_at > now64(3, 'UTC')"
      + " FROM refresh_lease FINAL WHERE name = 'rollups' ORDER BY term DESC, holder DESC LIMIT 1";

  private static double held(PrometheusRegistry registry) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals("naap_refresh_lease_held"))
        .flatMap(m -> ((GaugeSnapshot) m).getDataPoints().stream())
        .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).findFirst().orElse(0);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
