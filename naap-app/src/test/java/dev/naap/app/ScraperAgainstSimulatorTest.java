package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.scraper.ScrapeMetrics;
import dev.naap.scraper.Scraper;
import dev.naap.scraper.ScraperConfig;
import dev.naap.sim.EventSink;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scraper against the simulated gateway: the scraped inventory is the simulated network. */
class ScraperAgainstSimulatorTest {

  @Test
  void scrape_ofTheSimulatedGateway_findsEveryOrchestratorGpuAndRegion(@TempDir Path dir)
      throws Exception {
    long now = System.currentTimeMillis();
    Simulator sim =
        new Simulator(
            SimConfig.builder()
                .seed(Long.getLong("naap.sim.seed", 3)) // -Dnaap.sim.seed=N: another network
                .startMs(now)
                .duration(Duration.ofHours(1))
                .darkOrchestrator(false)
                .build());
    EventSink discard = new EventSink() {
      @Override
      public void send(String key, byte[] value) {}

      @Override
      public void close() {}
    };
    // Its own thread: the common pool has one thread on two cores, and the scraper needs it.
    CompletableFuture<GroundTruth> run = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("simulator")
        .start(() -> run.complete(sim.run(discard, Pacer.realTime(1, now))));
    Store store = TestEngine.uniqueStore("scrape_sim");
    Path regions = Files.writeString(dir.resolve("regions.txt"), sim.regionMapping());
    try (GatewayServer gateway = GatewayServer.start(sim, 0, 0);
        Scraper scraper =
            new Scraper(
                ScraperConfig.builder(List.of(URI.create("http://127.0.0.1:" + gateway.port())))
                    .reachability(false)
                    .registeredOrchestrators(false)
                    .regionMapping(regions)
                    .build(),
                store,
                new ScrapeMetrics(new PrometheusRegistry()),
                Clock.systemUTC())) {
      Scraper.RunSummary summary = scraper.runOnce();
      assertThat(summary.status()).as("%s", summary.sources()).isEqualTo("ok");
    } finally {
      sim.stop();
    }
    GroundTruth truth = run.get();

    Set<String> orchestrators = lines(store.queryText(
        "SELECT DISTINCT local_address FROM orchestrators_current", Map.of()));
    assertThat(orchestrators)
        .isEqualTo(
            truth.orchestrators().stream()
                .map(GroundTruth.OrchestratorTruth::signerAddress)
                .collect(Collectors.toCollection(TreeSet::new)));
    // The demo's way to regions: the simulator's mapping, as an operator's (docs/SIMULATOR.md).
    assertThat(
            lines(
                store.queryText(
                    "SELECT DISTINCT local_address, region, region_source FROM"
                        + " orchestrators_current",
                    Map.of())))
        .isEqualTo(
            truth.orchestrators().stream()
                .map(o -> o.signerAddress() + "\t" + o.region() + "\toperator")
                .collect(Collectors.toCollection(TreeSet::new)));
    Set<String> gpus =
        lines(
            store.queryText(
                "SELECT DISTINCT gpu_id FROM orchestrator_version_gpus FINAL", Map.of()));
    assertThat(gpus).isEqualTo(truth.gpus().stream().map(GroundTruth.GpuTruth::gpuId)
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  private static Set<String> lines(String tsv) {
    return tsv.lines().filter(l -> !l.isBlank()).collect(Collectors.toCollection(TreeSet::new));
  }
}
