package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.sim.GroundTruth;
import dev.naap.sim.SimConfig;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scraper against the simulated gateway: the scraped inventory is the simulated network. */
class ScraperAgainstSimulatorTest {

  @Test
  void scrape_ofTheSimulatedGateway_findsEveryOrchestratorGpuAndRegion(@TempDir Path dir)
      throws Exception {
    Store store = TestEngine.uniqueStore("scrape_sim");
    GroundTruth truth = SimulatedScrape.once(
        SimConfig.builder()
            .seed(Long.getLong("naap.sim.seed", 3)) // -Dnaap.sim.seed=N: another network
            .startMs(System.currentTimeMillis())
            .duration(Duration.ofHours(1))
            .darkOrchestrator(false)
            .build(),
        store, dir);

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
