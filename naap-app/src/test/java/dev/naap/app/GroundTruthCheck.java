package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.sim.GroundTruth;
import dev.naap.store.Store;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What NaaP measured in a store's rollups against what the simulator says really happened, for
 * a run without lost events: session counts, failures and segments exactly; output FPS per GPU
 * and per GPU model × pipeline exactly over the GPUs whose every sample is attributed.
 */
final class GroundTruthCheck {

  private GroundTruthCheck() {}

  static void assertRollupsMatch(Store store, GroundTruth truth) {
    demand(store, truth);
    failuresPerOrchestrator(store, truth);
    fpsPerGpuModel(store, truth, fpsPerGpu(store, truth));
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
   * Every session the simulator ran on an orchestrator (and emitted an event for) is a segment,
   * and the failed ones are exactly those whose emitted events meet the failure definition.
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
          .containsExactly(o.sessions(), o.failedSegments());
      failed += m[1];
    }
    assertThat(failed).as("failed segments in the network").isPositive();
  }

  /**
   * No GPU gets more FPS samples than it produced. Where every sample of a GPU is attributed to it
   * (one GPU per orchestrator and model), the mean over samples with fps > 0 is the simulator's
   * exactly. A GPU whose samples are attributed only in part ('ambiguous' sessions are left out)
   * is not compared: whole sessions are left out, and sessions differ by their client's input rate.
   *
   * @return the GPUs with every sample attributed
   */
  private static Set<String> fpsPerGpu(Store store, GroundTruth truth) {
    Map<String, GroundTruth.GpuTruth> gpus = new HashMap<>();
    truth.gpus().forEach(g -> gpus.put(g.gpuId(), g));
    Set<String> complete = new HashSet<>();
    for (String[] f : rows(store, "SELECT gpu_id, sum(fps_sample_sum) / sum(fps_samples), sum(fps_samples) "
        + "FROM rollup_hour_current WHERE gpu_id != '' AND fps_samples > 0 GROUP BY gpu_id")) {
      GroundTruth.GpuTruth g = gpus.get(f[0]);
      long samples = Long.parseLong(f[2]);
      assertThat(samples).as("fps samples attributed to %s", f[0]).isLessThanOrEqualTo(g.statusSamples());
      if (samples == g.statusSamples()) {
        assertThat(Double.parseDouble(f[1])).as("mean fps of %s", f[0]).isCloseTo(g.meanOutputFps(), within(1e-6));
        complete.add(f[0]);
      }
    }
    assertThat(complete).as("GPUs with every sample attributed").hasSizeGreaterThan(truth.gpus().size() / 2);
    return complete;
  }

  /**
   * Output FPS per GPU model and pipeline over the GPUs with every sample attributed: the
   * simulator's sample-weighted mean exactly, so GPUs carry their true model names and the
   * rollups aggregate them right.
   */
  private static void fpsPerGpuModel(Store store, GroundTruth truth, Set<String> complete) {
    Map<String, double[]> expected = new HashMap<>();
    for (GroundTruth.GpuTruth g : truth.gpus()) {
      if (complete.contains(g.gpuId())) {
        double[] e = expected.computeIfAbsent(g.model() + " " + g.pipeline(), k -> new double[2]);
        e[0] += g.meanOutputFps() * g.statusSamples();
        e[1] += g.statusSamples();
      }
    }
    Map<String, Double> measured = new HashMap<>();
    for (String[] f : rows(store, "SELECT gpu_model, pipeline, sum(fps_sample_sum) / sum(fps_samples) "
        + "FROM rollup_hour_current WHERE has({gpus:Array(String)}, gpu_id) AND fps_samples > 0 "
        + "GROUP BY gpu_model, pipeline", Map.of("gpus", List.copyOf(complete)))) {
      measured.put(f[0] + " " + f[1], Double.parseDouble(f[2]));
    }
    assertThat(measured.keySet()).as("GPU model × pipeline").isEqualTo(expected.keySet());
    assertThat(measured.keySet().stream().map(k -> k.substring(0, k.lastIndexOf(' '))).distinct())
        .as("GPU models measured").hasSizeGreaterThanOrEqualTo(6);
    expected.forEach((key, e) -> assertThat(measured.get(key)).as("mean fps of %s", key).isCloseTo(e[0] / e[1], within(1e-6)));
  }

  private static List<String[]> rows(Store store, String sql) {
    return rows(store, sql, Map.of());
  }

  private static List<String[]> rows(Store store, String sql, Map<String, ?> params) {
    return store.queryText(sql, params).lines().map(l -> l.split("\t", -1)).toList();
  }
}
