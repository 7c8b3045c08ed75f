package dev.naap.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scores per GPU model ({@code group_by=gpu_model} on {@code /v1/scores}), worked by hand from the
 * documented formula (docs/METRICS.md, "Orchestrator score"): orchestrator G runs pipeline p on two
 * GPU models, H on one; each orchestrator × pipeline × GPU model row is scored from its own counts
 * against the pipeline's whole network, so the rows of one GPU model compare with any other's.
 */
class ScoresByGpuModelTest {

  private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
  private static final double K = 10;
  private static final String L40S = "NVIDIA L40S";
  private static final String RTX = "NVIDIA GeForce RTX 4090";

  private static MetricsQueries queries;

  @BeforeAll
  static void load() {
    Store store = TestEngine.uniqueStore("scores_gpu");
    // orchestrator, GPU model, segments, failed, fps samples, fps sum, startup samples, startup sum
    rollup(store, "0xg", L40S, 20, 4, 20, 300, 20, 40_000);
    rollup(store, "0xg", RTX, 10, 0, 10, 250, 10, 10_000);
    rollup(store, "0xh", RTX, 30, 3, 30, 660, 30, 36_000);
    queries = new ClickHouseMetricsQueries(store);
  }

  private static void rollup(
      Store store,
      String orch,
      String gpuModel,
      long n,
      long failed,
      long fpsN,
      double fpsSum,
      long stN,
      double stSum) {
    String cols =
        "orchestrator_address, pipeline, gpu_model, is_test_load, segments, failed_segments,"
            + " compliant_segments, fps_samples, fps_sample_sum, startup_ms_count, startup_ms_sum,"
            + " computed_at";
    String values = "('%s', 'p', '%s', false, %d, %d, %d, %d, %f, %d, %f, toDateTime64(1, 6))"
        .formatted(orch, gpuModel, n, failed, n - failed, fpsN, fpsSum, stN, stSum);
    String types =
        "'o String, p String, g String, t Bool, n UInt64, f UInt64, c UInt64, fn UInt64, fs"
            + " Float64, sn UInt64, ss Float64, at DateTime64(6)'";
    long hour = DAY.plusSeconds(3600).getEpochSecond();
    store.execute(
        "INSERT INTO rollup_hour (bucket_hour, "
            + cols
            + ") SELECT toDateTime("
            + hour
            + ", 'UTC'), * "
            + "FROM values("
            + types
            + ", "
            + values
            + ")");
    store.execute(
        "INSERT INTO rollup_day (bucket_day, "
            + cols
            + ") SELECT toStartOfDay(toDateTime("
            + hour
            + ", 'UTC')), * FROM values("
            + types
            + ", "
            + values
            + ")");
  }

  private static List<Map<String, Object>> scores(List<Dimension> groupBy) {
    Page page =
        queries.run(
            Report.ORCHESTRATOR_SCORES,
            new MetricsQuery(
                DAY,
                DAY.plus(Duration.ofDays(1)),
                Granularity.HOUR,
                Map.of(),
                groupBy,
                null,
                100,
                0,
                false));
    return page.rows().stream().map(r -> {
      Map<String, Object> row = new HashMap<>();
      for (int c = 0; c < page.columns().size(); c++) {
        row.put(page.columns().get(c).name(), r.get(c));
      }
      return row;
    }).toList();
  }

  // The cohort: pipeline p on every GPU model: 60 segments, 7 failed, FPS 1 210 / 60, startup 86
  // 000 / 60.
  private static final double P = 1 - 7.0 / 60;
  private static final double F = 1_210 / 60.0;
  private static final double S = 86_000 / 60.0;

  private static double score(long n, long failed, double fpsMean, double stMean) {
    double r = (n - failed + K * P) / (n + K);
    double f = (n * fpsMean + K * F) / (n + K);
    double s = (n * stMean + K * S) / (n + K);
    return 100 * (0.7 * r + 0.3 * (f / (f + F) + S / (S + s)) / 2);
  }

  @Test
  void perGpuModel_eachRowIsScoredAgainstThePipelinesWholeNetwork() {
    List<Map<String, Object>> rows = scores(List.of(Dimension.GPU_MODEL));
    assertThat(rows).extracting(r -> r.get("orchestrator_address") + "/" + r.get("gpu_model"))
        .containsExactlyInAnyOrder("0xg/" + L40S, "0xg/" + RTX, "0xh/" + RTX);
    Map<String, Double> byKey = new HashMap<>();
    rows.forEach(
        r ->
            byKey.put(
                r.get("orchestrator_address") + "/" + r.get("gpu_model"), (Double) r.get("score")));
    // G on the L40S: 20 segments, 4 failed, 15 FPS, startup 2 000 ms.
    assertThat(byKey.get("0xg/" + L40S)).isCloseTo(score(20, 4, 15, 2_000), within(1e-6));
    // G on the 4090: 10 segments, none failed, 25 FPS, startup 1 000 ms: better than G on the L40S.
    assertThat(byKey.get("0xg/" + RTX)).isCloseTo(score(10, 0, 25, 1_000), within(1e-6))
        .isGreaterThan(byKey.get("0xg/" + L40S));
    assertThat(byKey.get("0xh/" + RTX)).isCloseTo(score(30, 3, 22, 1_200), within(1e-6));
    Map<String, Object> g =
        rows.stream().filter(r -> r.get("gpu_model").equals(L40S)).findFirst().orElseThrow();
    assertThat((Double) g.get("network_reliability")).isCloseTo(P, within(1e-9));
    assertThat((Double) g.get("network_fps_mean")).isCloseTo(F, within(1e-9));
    assertThat((Double) g.get("network_startup_ms_mean")).isCloseTo(S, within(1e-9));
    assertThat(g.get("segments")).isEqualTo(20L);
  }

  @Test
  void history_perGpuModel_scoresEachHourOfEachGpuModel_asTheRangeDoes() {
    MetricsQuery day = new MetricsQuery(DAY, DAY.plus(Duration.ofDays(1)), Granularity.HOUR,
        Map.of(), List.of(Dimension.GPU_MODEL), null, 100, 0, false);
    Page page = queries.scoreHistory("0xG", day);
    List<String> names = page.columns().stream().map(Column::name).toList();
    assertThat(names).startsWith("window_start", "orchestrator_address", "pipeline", "gpu_model");
    assertThat(page.rows()).hasSize(2);
    Map<Object, Double> byModel = new HashMap<>();
    for (List<Object> row : page.rows()) {
      assertThat(row.get(0)).isEqualTo(DAY.plusSeconds(3600));
      assertThat(row.get(1)).isEqualTo("0xg");
      byModel.put(row.get(3), (Double) row.get(names.indexOf("score")));
    }
    // The only hour with data, against the same cohort as the day's range: the same scores.
    assertThat(byModel.get(L40S)).isCloseTo(score(20, 4, 15, 2_000), within(1e-6));
    assertThat(byModel.get(RTX)).isCloseTo(score(10, 0, 25, 1_000), within(1e-6));

    Page perPipeline = queries.scoreHistory("0xg", new MetricsQuery(DAY, day.end(),
        Granularity.HOUR, Map.of(), List.of(), null, 100, 0, false));
    assertThat(perPipeline.columns()).extracting(Column::name).doesNotContain("gpu_model");
    assertThat(perPipeline.rows()).singleElement().satisfies(row ->
        assertThat((Double) row.get(perPipeline.columns().stream().map(Column::name).toList()
            .indexOf("score"))).isCloseTo(score(30, 4, 550 / 30.0, 50_000 / 30.0), within(1e-6)));
  }

  @Test
  void withoutTheGpuModel_anOrchestratorHasOneRowPerPipeline_fromAllItsGpus() {
    List<Map<String, Object>> rows = scores(List.of());
    assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r).doesNotContainKey("gpu_model"));
    Map<String, Object> g =
        rows.stream()
            .filter(r -> r.get("orchestrator_address").equals("0xg"))
            .findFirst()
            .orElseThrow();
    // 30 segments, 4 failed, FPS 550 / 30, startup 50 000 / 30.
    assertThat((Double) g.get("score"))
        .isCloseTo(score(30, 4, 550 / 30.0, 50_000 / 30.0), within(1e-6));
    // Other groupings do not split a score: its cohort is the pipeline's.
    assertThat(scores(List.of(Dimension.REGION))).hasSize(2);
  }
}
