package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
