package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.metrics.Refresher;
import dev.naap.sim.FileSink;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against the simulator's ground truth: simulated network → events file →
 * import (validation, tables) → sessions → rollups. What NaaP measures must be what happened.
 */
class SimulatedNetworkTest {

  @TempDir Path dir;

  @Test
  void rollups_matchTheSimulatorsGroundTruth() {
    // Two hours of the default network, no events lost, but some repeated and some late.
    SimConfig config = SimConfig.builder().seed(7).startMs(Instant.parse("2026-03-02T18:00:00Z").toEpochMilli())
        .duration(Duration.ofHours(2)).perfectDelivery().duplicateRate(0.01).lateRate(0.01).build();
    Path events = dir.resolve("events.ndjson");
    GroundTruth truth;
    try (FileSink sink = new FileSink(events)) {
      truth = new Simulator(config).run(sink, Pacer.none());
    }
    Store store = TestEngine.uniqueStore("simulated");
    BatchResult imported = new FileImport(new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.STORE, IngestMetrics.unregistered(), Clock.systemUTC()), 5_000).importFile(events);
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

    assertThat(imported.rejected()).as("the simulator emits only valid events here").isZero();
    assertThat(imported.duplicates()).as("repeated events are recognised").isPositive();

    // Sessions requested and unmet, per gateway: exactly the ground truth.
    Map<String, long[]> measured = new HashMap<>();
    for (String line : store.queryText("SELECT gateway, sum(sessions_requested), sum(sessions_no_orchestrator) "
        + "FROM rollup_hour_current GROUP BY gateway", Map.of()).split("\n")) {
      String[] f = line.split("\t");
      measured.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
    }
    for (GroundTruth.GatewayTruth g : truth.gateways()) {
      String name = g.host().isEmpty() ? "unknown" : g.host();
      long requested = truth.requested(g.host());
      long unmet = truth.demand().stream().filter(d -> d.gateway().equals(g.host()))
          .mapToLong(GroundTruth.DemandCell::noOrchestrator).sum();
      assertThat(measured.get(name)).as("gateway %s: requested, no orchestrator", name)
          .containsExactly(requested, unmet);
    }
    assertThat(measured.values().stream().mapToLong(v -> v[0]).sum()).isPositive();

    // GPU attribution is never a guess: no GPU gets more FPS samples than it produced.
    Map<String, GroundTruth.GpuTruth> gpus = new HashMap<>();
    truth.gpus().forEach(g -> gpus.put(g.gpuId(), g));
    for (String line : store.queryText("SELECT gpu_id, sum(fps_samples) FROM rollup_hour_current "
        + "WHERE gpu_id != '' GROUP BY gpu_id", Map.of()).split("\n")) {
      String[] f = line.split("\t");
      assertThat(Long.parseLong(f[1])).as("fps samples attributed to %s", f[0])
          .isLessThanOrEqualTo(gpus.get(f[0]).statusSamples());
    }
    // Output FPS per GPU. Where every sample of a GPU is attributed to it (one GPU per orchestrator
    // and model), the mean over samples with fps > 0 is the simulator's exactly. Where some were
    // not (several GPUs of one model on one orchestrator: 'ambiguous', left out), the attributed
    // part is a sample of the rest and its mean stays within 3 %.
    int exact = 0;
    for (String line : store.queryText("SELECT gpu_id, sum(fps_sample_sum) / sum(fps_samples), sum(fps_samples) "
        + "FROM rollup_hour_current WHERE gpu_id != '' AND fps_samples > 0 GROUP BY gpu_id", Map.of()).split("\n")) {
      String[] f = line.split("\t");
      GroundTruth.GpuTruth g = gpus.get(f[0]);
      double mean = Double.parseDouble(f[1]);
      if (Long.parseLong(f[2]) == g.statusSamples()) {
        assertThat(mean).as("mean fps of %s, all samples", f[0]).isCloseTo(g.meanOutputFps(), within(1e-6));
        exact++;
      } else {
        assertThat(mean).as("mean fps of %s, %s of %d samples", f[0], f[2], g.statusSamples())
            .isCloseTo(g.meanOutputFps(), within(g.meanOutputFps() * 0.03));
      }
    }
    assertThat(exact).as("GPUs with every sample attributed").isGreaterThan(truth.gpus().size() / 2);

    // Failures per orchestrator, exactly: every session the simulator ran on it is a segment; the
    // failed ones are those that produced no output plus the healthy ones whose runner erred.
    Map<String, long[]> failures = new HashMap<>();
    for (String line : store.queryText("SELECT orchestrator_address, sum(segments), sum(failed_segments) "
        + "FROM rollup_hour_current WHERE orchestrator_address != '' GROUP BY orchestrator_address", Map.of()).split("\n")) {
      String[] f = line.split("\t");
      failures.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
    }
    long failed = 0;
    for (GroundTruth.OrchestratorTruth o : truth.orchestrators()) {
      long[] m = failures.getOrDefault(o.signerAddress(), new long[2]);
      assertThat(m).as("segments and failed segments on %s", o.signerAddress())
          .containsExactly(o.sessions(), o.failedSessions() + o.sessionsWithRunnerErrors());
      failed += m[1];
    }
    assertThat(failed).as("failed segments in the network").isPositive();
  }
}
