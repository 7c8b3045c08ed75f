package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.metrics.ops.OperationsReport;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A process's probes beat while it runs, and closing them leaves a last heartbeat that says it
 * stopped on purpose: the operations view lists it as stopped, not down.
 */
class ProbesTest {

  @Test
  void close_writesALastHeartbeat_soTheProcessIsListedAsStoppedNotDown() {
    Store store = TestEngine.uniqueStore("probes");
    OperationsReport report = new OperationsReport(store, InstantSource.system());
    Probes probes = new Probes("ingest", store, new PrometheusRegistry(), false);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (processes(report).isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(processes(report)).singleElement()
        .satisfies(p -> assertThat(p).containsEntry("up", true).containsEntry("stopped", false));

    probes.close();

    assertThat(processes(report)).singleElement()
        .satisfies(p -> assertThat(p).containsEntry("up", false).containsEntry("stopped", true));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> processes(OperationsReport report) {
    return (List<Map<String, Object>>) report.figures().get("processes");
  }
}
