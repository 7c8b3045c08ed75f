package dev.naap.api;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;
import java.util.Map;

/**
 * An API server over {@link FakeQueries} with large pages and the default cache budget, for {@link
 * SmallHeapTest} to run in a JVM with a small heap. Prints its URL, then serves until stdin closes.
 */
public final class SmallHeapServerMain {
  private SmallHeapServerMain() {}

  public static void main(String[] args) throws Exception {
    try (ApiServer server =
        new ApiServer(
                ApiConfig.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withQuotas(Integer.MAX_VALUE, Map.of(), 1),
                new FakeQueries(3_000),
                DatasetCatalog.empty(),
                () -> new Readiness.Status(true, Map.of()),
                new PrometheusRegistry(),
                InstantSource.system())
            .start()) {
      System.out.println("URL " + server.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes stdin
      }
    }
  }
}
