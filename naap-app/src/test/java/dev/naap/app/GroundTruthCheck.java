package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.sim.GroundTruth;
import dev.naap.store.Store;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What NaaP measured in a store's rollups against what the simulator says really happened, for
 * a run without lost events: session counts, failures and segments exactly; output FPS per GPU
 * exactly where every sample is attributed, and per GPU model and pipeline within a stated tolerance.
 */
final class GroundTruthCheck {

  /** Attributed FPS samples are a subset of a GPU's or model's samples: their mean may differ by this. */
  static final double FPS_TOLERANCE = 0.03;

  /** Fewer attributed samples than this are too few for the tolerance (degraded samples drop 25–55 %). */
  static final long PARTIAL_MIN_SAMPLES = 100;

  private GroundTruthCheck() {}

  static void assertRollupsMatch(Store store, GroundTruth truth) {
    demand(store, truth);
    failuresPerOrchestrator(store, truth);
    fpsPerGpu(store, truth);
    fpsPerGpuModel(store, truth);
  }

  /**
   * Sessions requested and with no orchestrator available per gateway: exact. Per pipeline, only
   * bounds: a session learns its pipeline from the first event an orchestrator relays, so one that
   * found none, or left before its first status, has none (docs/DATA_GAPS.md #10), while one that
   * ran and later found no orchestrator for a swap has one.
   */
  private static void demand(Store store, GroundTruth truth) {
    Map<String, long[]> expectedPerGateway = new HashMap<>();
    Map<String, long[]> expectedPerPipeline = new HashMap<>();
    for (GroundTruth.DemandCell d : truth.demand()) {
      long[] e = expectedPerGateway.computeIfAbsent(d.gateway().isEmpty() ? "unknown" : d.gateway(), k -> new long[2]);
      e[0] += d.requested();
      e[1] += d.noOrchestrator();
      long[] p = expectedPerPipeline.computeIfAbsent(d.pipeline(), k -> new long[2]);
      p[0] += d.requested() - d.noOrchestrator() - d.loadingOnly();
      p[1] += d.requested();
    }
    Map<String, long[]> perGateway = new HashMap<>();
    for (String[] f : rows(store, "SELECT gateway, sum(sessions_requested), sum(sessions_no_orchestrator) "
        + "FROM rollup_hour_current GROUP BY gateway")) {
      perGateway.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
    }
    assertThat(perGateway.keySet()).as("gateways").isEqualTo(expectedPerGateway.keySet());
    expectedPerGateway.forEach((gateway, e) -> assertThat(perGateway.get(gateway))
        .as("%s: requested, no orchestrator", gateway).containsExactly(e[0], e[1]));
    assertThat(expectedPerGateway.values().stream().mapToLong(e -> e[1]).sum()).as("unmet demand in the run").isPositive();

    Map<String, Long> perPipeline = new HashMap<>();
    for (String[] f : rows(store, "SELECT pipeline, sum(sessions_requested) FROM rollup_hour_current "
        + "WHERE pipeline != '' GROUP BY pipeline")) {
      perPipeline.put(f[0], Long.parseLong(f[1]));
    }
    assertThat(perPipeline.keySet()).as("pipelines").isEqualTo(expectedPerPipeline.keySet());
    expectedPerPipeline.forEach((pipeline, bounds) -> assertThat(perPipeline.get(pipeline))
        .as("sessions requested with pipeline %s", pipeline).isBetween(bounds[0], bounds[1]));
  }

  /**
   * Every session the simulator ran on an orchestrator is a segment; the failed ones are those
   * that produced no output plus the healthy ones whose runner reported an error or a restart.
   */
  private static void failuresPerOrchestrator(Store store, GroundTruth truth) {
    Map<String, long[]> measured = new HashMap<>();
    for (String[] f : rows(store, "SELECT orchestrator_address, sum(segments), sum(failed_segments) "
        + "FROM rollup_hour_current WHERE orchestrator_address != '' GROUP BY orchestrator_address")) {
      measured.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
    }
    long failed = 0;
    for (GroundTruth.OrchestratorTruth o : truth.orchestrators()) {
      long[] m = measured.getOrDefault(o.signerAddress(), new long[2]);
      assertThat(m).as("segments and failed segments on %s", o.signerAddress())
          .containsExactly(o.sessions(), o.failedSessions() + o.sessionsWithRunnerErrors());
      failed += m[1];
    }
    assertThat(failed).as("failed segments in the network").isPositive();
  }

  /**
   * No GPU gets more FPS samples than it produced. Where every sample of a GPU is attributed to it
   * (one GPU per orchestrator and model), the mean over samples with fps > 0 is the simulator's
   * exactly; where some were not ('ambiguous', left out), the attributed part is a sample of the
   * rest and, when large enough, its mean stays within the tolerance.
   */
  private static void fpsPerGpu(Store store, GroundTruth truth) {
    Map<String, GroundTruth.GpuTruth> gpus = new HashMap<>();
    truth.gpus().forEach(g -> gpus.put(g.gpuId(), g));
    int exact = 0;
    for (String[] f : rows(store, "SELECT gpu_id, sum(fps_sample_sum) / sum(fps_samples), sum(fps_samples) "
        + "FROM rollup_hour_current WHERE gpu_id != '' AND fps_samples > 0 GROUP BY gpu_id")) {
      GroundTruth.GpuTruth g = gpus.get(f[0]);
      double mean = Double.parseDouble(f[1]);
      long samples = Long.parseLong(f[2]);
      assertThat(samples).as("fps samples attributed to %s", f[0]).isLessThanOrEqualTo(g.statusSamples());
      if (samples == g.statusSamples()) {
        assertThat(mean).as("mean fps of %s, all samples", f[0]).isCloseTo(g.meanOutputFps(), within(1e-6));
        exact++;
      } else if (samples >= PARTIAL_MIN_SAMPLES) {
        assertThat(mean).as("mean fps of %s, %d of %d samples", f[0], samples, g.statusSamples())
            .isCloseTo(g.meanOutputFps(), within(g.meanOutputFps() * FPS_TOLERANCE));
      }
    }
    assertThat(exact).as("GPUs with every sample attributed").isGreaterThan(truth.gpus().size() / 2);
  }

  /**
   * Output FPS per GPU model and pipeline, within the tolerance of the simulator's, weighted over
   * the GPUs whose samples were attributed (GPUs of one model differ by a per-GPU factor, so the
   * unattributed ones would move the mean); and every attributed GPU carries its true model name.
   */
  private static void fpsPerGpuModel(Store store, GroundTruth truth) {
    Map<String, GroundTruth.GpuTruth> gpus = new HashMap<>();
    truth.gpus().forEach(g -> gpus.put(g.gpuId(), g));
    Map<String, double[]> expected = new HashMap<>();
    for (String[] f : rows(store, "SELECT gpu_id, gpu_model, pipeline, sum(fps_samples) FROM rollup_hour_current "
        + "WHERE gpu_id != '' AND fps_samples > 0 GROUP BY gpu_id, gpu_model, pipeline")) {
      GroundTruth.GpuTruth g = gpus.get(f[0]);
      assertThat(f[1] + " " + f[2]).as("model and pipeline of %s", f[0]).isEqualTo(g.model() + " " + g.pipeline());
      double[] e = expected.computeIfAbsent(f[1] + " " + f[2], k -> new double[2]);
      e[0] += g.meanOutputFps() * Long.parseLong(f[3]);
      e[1] += Long.parseLong(f[3]);
    }
    List<String[]> measured = rows(store, "SELECT gpu_model, pipeline, sum(fps_sample_sum) / sum(fps_samples) "
        + "FROM rollup_hour_current WHERE gpu_model != '' AND fps_samples > 0 GROUP BY gpu_model, pipeline");
    assertThat(measured.stream().map(f -> f[0]).distinct()).as("GPU models measured").hasSizeGreaterThanOrEqualTo(6);
    for (String[] f : measured) {
      double mean = expected.get(f[0] + " " + f[1])[0] / expected.get(f[0] + " " + f[1])[1];
      assertThat(Double.parseDouble(f[2])).as("mean fps of %s on %s", f[0], f[1]).isCloseTo(mean, within(mean * FPS_TOLERANCE));
    }
  }

  private static List<String[]> rows(Store store, String sql) {
    return store.queryText(sql, Map.of()).lines().map(l -> l.split("\t", -1)).toList();
  }
}
