package dev.naap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.Message;
import dev.naap.ingest.Origin;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefreshLoopTest {

  @Test
  void loop_refreshesUntilInterrupted_andExportsItsLag() throws Exception {
    Store store = TestEngine.uniqueStore("refresh_loop");
    List<Message> messages = new ArrayList<>();
    for (String e : new LiveEvents().session("s1", 1_000, 20, 21, 22)) {
      messages.add(
          new Message(e.getBytes(StandardCharsets.UTF_8), Origin.file("test", messages.size())));
    }
    new EventWriter(
            store,
            new EventParser(),
            EventWriter.DuplicateCheck.BATCH,
            IngestMetrics.unregistered(),
            Clock.systemUTC())
        .write(messages);
    PrometheusRegistry registry = new PrometheusRegistry();

    Thread loop = Thread.ofPlatform().start(new RefreshLoop(new Refresher(store, Clock.systemUTC()),
        Duration.ofMillis(200), Clock.systemUTC(), registry));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (counter(registry, "naap_rollup_refreshed_sessions") < 1
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    loop.interrupt();
    loop.join(10_000);

    assertThat(loop.isAlive()).isFalse();
    assertThat(counter(registry, "naap_rollup_refreshed_sessions")).isEqualTo(1);
    // The watermark trails the clock by the settle time plus at most one interval and a refresh.
    assertThat(gauge(registry, "naap_rollup_lag_seconds")).isBetween(2.0, 10.0);
    assertThat(store.queryText("SELECT sum(segments) FROM rollup_hour_current", Map.of()))
        .isEqualTo("1\n");
  }

  private static double counter(PrometheusRegistry registry, String name) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .map(m -> ((CounterSnapshot) m).getDataPoints().getFirst().getValue())
        .findFirst()
        .orElse(0.0);
  }

  private static double gauge(PrometheusRegistry registry, String name) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().getFirst().getValue())
        .findFirst()
        .orElse(-1.0);
  }
}
