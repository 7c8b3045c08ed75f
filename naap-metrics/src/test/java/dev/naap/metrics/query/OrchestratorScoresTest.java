package dev.naap.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.metrics.LiveEvents;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator score (docs/METRICS.md, "Orchestrator score") recomputed here from the
 * documented formula over rollup rows written by hand: three orchestrators with 1, 10 and 1 000
 * segments, a fourth seen only before the range (it moves the cohort, it has no row), a pipeline
 * where nothing ever produced output (no quality to compare: null with a reason), and one whose
 * only segment did not fail (a cohort without failures). Capabilities snapshots price model p (and
 * r) for the price beside each score.
 */
class OrchestratorScoresTest {

  private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
  private static final double K = 10;

  private static Store store;
  private static MetricsQueries queries;

  @BeforeAll
  static void load() {
    store = TestEngine.uniqueStore("scores");
    // orchestrator, pipeline, hour, segments, failed, fps samples, fps sum, startup samples,
    // startup sum
    rollup("0xa", "p", DAY.plusSeconds(3600), 1, 0, 4, 80, 1, 1_000);
    rollup("0xb", "p", DAY.plusSeconds(7200), 10, 5, 10, 100, 10, 20_000);
    rollup("0xc", "p", DAY.plusSeconds(7200), 1000, 100, 1000, 15_000, 1000, 1_500_000);
    rollup("0xe", "p", DAY.minus(Duration.ofDays(2)), 100, 0, 100, 3_000, 100, 100_000);
    rollup("0xd", "q", DAY.plusSeconds(3600), 2, 2, 0, 0, 0, 0);
    rollup("0xf", "r", DAY.plusSeconds(3600), 1, 0, 4, 80, 1, 1_000);
    // Nodes advertising pipeline p's model in the hour before the range's end: two of A, four of C,
    // one of B.
    for (String node :
        List.of(
            "0xa|https://a1:8935",
            "0xa|https://a2:8935",
            "0xb|https://b1:8935",
            "0xc|https://c1:8935",
            "0xc|https://c2:8935",
            "0xc|https://c3:8935",
            "0xc|https://c4:8935")) {
      String[] n = node.split("\\|");
      store.execute(
          "INSERT INTO network_capability_node_gpus (event_id, event_time, local_address, orch_uri,"
              + " pipeline, model_id, gpu_id, gpu_name) VALUES ('"
              + node
              + "', toDateTime64('2026-03-10 23:30:00', 3, "
              + "'UTC'), '"
              + n[0]
              + "', '"
              + n[1]
              + "', 'live-video-to-video', 'p', 'GPU-"
              + n[1]
              + "', 'L40S')");
    }
    // At 02:30, B's and C's first nodes advertise again, with their prices for model p (wei per
    // pixel:
    // 1200 / 1 and 3000 / 2).
    for (String node : List.of("0xb|https://b1:8935|1200|1", "0xc|https://c1:8935|3000|2")) {
      String[] n = node.split("\\|");
      store.execute(
          "INSERT INTO network_capability_node_gpus (event_id, event_time, local_address, orch_uri,"
              + " pipeline, model_id, gpu_id, gpu_name) VALUES ('early"
              + node
              + "', toDateTime64('2026-03-10 02:30:00', 3, "
              + "'UTC'), '"
              + n[0]
              + "', '"
              + n[1]
              + "', 'live-video-to-video', 'p', 'GPU-"
              + n[1]
              + "', 'L40S')");
      store.execute(
          "INSERT INTO capability_prices (event_id, event_time, local_address, node_url,"
              + " capability, model_id, price_per_unit, pixels_per_unit) VALUES ('early"
              + node
              + "', toDateTime64('2026-03-10 02:30:00', "
              + "3, 'UTC'), '"
              + n[0]
              + "', '"
              + n[1]
              + "', 35, 'p', "
              + n[2]
              + ", "
              + n[3]
              + ")");
    }
    // Snapshots as gateways send them, for the price at the range's end (24:00), in wei per pixel:
    // at 10:00 B 1 100 and C's two nodes 3 000 / 2 and 2 600 / 2 (C's price: the lower, 1 300);
    // at 20:00 B 1 400 (its latest wins) and E 4 000 / 2 (no score row, in the median); F's
    // price for r is from 22:00 the day before, 26 h before the end: out of force. A and D
    // advertise none.
    LiveEvents ev = new LiveEvents(DAY.toEpochMilli());
    long hour = 3_600_000;
    LiveEvents.write(store, List.of(
        snapshot(ev, 10 * hour, offer("0xb", "b1", "p", 1100, 1), offer("0xc", "c1", "p", 3000, 2),
            offer("0xc", "c2", "p", 2600, 2)),
        snapshot(ev, 20 * hour, offer("0xb", "b1", "p", 1400, 1), offer("0xe", "e1", "p", 4000, 2)),
        snapshot(ev, -2 * hour, offer("0xf", "f1", "r", 500, 1))), Clock.systemUTC());
    queries = new ClickHouseMetricsQueries(store);
  }

  /** A network_capabilities event listing {@code offers}, {@code t} ms after DAY. */
  private static String snapshot(LiveEvents ev, long t, String... offers) {
    return ev.envelope("network_capabilities", t, "[" + String.join(",", offers) + "]");
  }

  /** A node's entry in a snapshot with its price for one model (go-livepeer's int64s). */
  private static String offer(
      String orch, String node, String model, long pricePerUnit, long pixelsPerUnit) {
    return "{\"address\":\"0xd0\",\"local_address\":\"" + orch + "\",\"orch_uri\":\"https://"
        + node + ":8935\",\"capabilities\":{\"bitstring\":[1]},\"capabilities_prices\":"
        + "[{\"pricePerUnit\":" + pricePerUnit + ",\"pixelsPerUnit\":" + pixelsPerUnit
        + ",\"capability\":35,\"constraint\":\"" + model + "\"}]}";
  }

  /** One rollup row, in rollup_hour and (as its day) in rollup_day, which serves whole days. */
  private static void rollup(
      String orch,
      String pipeline,
      Instant hour,
      long n,
      long failed,
      long fpsN,
      double fpsSum,
      long stN,
      double stSum) {
    String values = "('%s', '%s', false, %d, %d, %d, %d, %f, %d, %f, toDateTime64(1, 6))"
        .formatted(orch, pipeline, n, failed, n - failed, fpsN, fpsSum, stN, stSum);
    String cols =
        "orchestrator_address, pipeline, is_test_load, segments, failed_segments,"
            + " compliant_segments, fps_samples, fps_sample_sum, startup_ms_count, startup_ms_sum,"
            + " computed_at";
    store.execute(
        "INSERT INTO rollup_hour (bucket_hour, "
            + cols
            + ") SELECT toDateTime("
            + hour.getEpochSecond()
            + ", 'UTC'), * FROM values("
            + "'o String, p String, t Bool, n UInt64, f UInt64, c UInt64, fn UInt64, "
            + "fs Float64, sn UInt64, ss Float64, at DateTime64(6)', "
            + values
            + ")");
    store.execute(
        "INSERT INTO rollup_day (bucket_day, "
            + cols
            + ") SELECT toStartOfDay(toDateTime("
            + hour.getEpochSecond()
            + ", 'UTC')), * FROM values("
            + "'o String, p String, t Bool, n UInt64, f UInt64, "
            + "c UInt64, fn UInt64, fs Float64, sn UInt64, ss Float64, at DateTime64(6)', "
            + values
            + ")");
  }

  private static List<Map<String, Object>> scores() {
    return run(Report.ORCHESTRATOR_SCORES, List.of());
  }

  private static List<Map<String, Object>> run(Report report, List<Dimension> groupBy) {
    Page page =
        queries.run(
            report,
            new MetricsQuery(
                DAY,
                DAY.plus(Duration.ofDays(1)),
                report == Report.NETWORK_PRICES ? Granularity.ALL : Granularity.HOUR,
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

  private static Map<String, Object> row(String orch) {
    return scores().stream()
        .filter(r -> r.get("orchestrator_address").equals(orch))
        .findFirst()
        .orElseThrow();
  }

  // The cohort of pipeline p over the 7 days to the range's end: A, B, C and E.
  private static final double P = 1 - 105.0 / 1111; // network reliability
  private static final double F = (80 + 100 + 15_000 + 3_000) / 1114.0; // network FPS mean
  private static final double S =
      (1_000 + 20_000 + 1_500_000 + 100_000) / 1111.0; // network startup mean

  /** The documented formula, step by step. */
  private static double[] score(
      long n, long failed, double fpsMean, long fpsN, double stMean, long stN) {
    double r = (n - failed + K * P) / (n + K);
    double f = fpsN > 0 ? (n * fpsMean + K * F) / (n + K) : F;
    double s = (stN * stMean + K * S) / (stN + K);
    double q = (f / (f + F) + S / (S + s)) / 2;
    // Beta(a, b): the successes and failures, the prior's pseudo-segments counted, plus ½ each.
    double a = n - failed + K * P + 0.5;
    double b = failed + K * (1 - P) + 0.5;
    double sd = Math.sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
    return new double[] {
      100 * (0.7 * r + 0.3 * q),
      100 * (0.7 * Math.max(0, r - 1.96 * sd) + 0.3 * q),
      100 * (0.7 * Math.min(1, r + 1.96 * sd) + 0.3 * q),
      r
    };
  }

  private static void assertScore(String orch, double[] expected) {
    Map<String, Object> row = row(orch);
    assertThat((Double) row.get("score")).isCloseTo(expected[0], within(1e-6));
    assertThat((Double) row.get("score_low")).isCloseTo(expected[1], within(1e-6));
    assertThat((Double) row.get("score_high")).isCloseTo(expected[2], within(1e-6));
    assertThat((Double) row.get("reliability")).isCloseTo(expected[3], within(1e-9));
    assertThat(row.get("score_null_reason")).isNull();
  }

  @Test
  void scores_areTheDocumentedFormula_withTheCohortOfTheSevenDaysToTheEnd() {
    assertScore("0xa", score(1, 0, 20, 4, 1_000, 1));
    assertScore("0xb", score(10, 5, 10, 10, 2_000, 10));
    assertScore("0xc", score(1000, 100, 15, 1000, 1_500, 1000));
    Map<String, Object> c = row("0xc");
    assertThat((Double) c.get("network_reliability")).isCloseTo(P, within(1e-9));
    assertThat((Double) c.get("network_fps_mean")).isCloseTo(F, within(1e-9));
    assertThat((Double) c.get("network_startup_ms_mean")).isCloseTo(S, within(1e-9));
    assertThat(c.get("segments")).isEqualTo(1000L);
    // E worked only before the range: it is in the cohort, not in the rows.
    assertThat(scores())
        .extracting(r -> r.get("orchestrator_address"))
        .containsExactlyInAnyOrder("0xa", "0xb", "0xc", "0xd", "0xf");
  }

  @Test
  void eachScore_carriesItsPriceAtTheRangesEnd_besideTheNetworksMedian() {
    // In force at 24:00: B 1 400, C 1 300 (the lower of its nodes), E 2 000; lower median 1 400.
    long streamMinute = 1280L * 720 * 30 * 60; // pixels billed a stream-minute
    Map<String, Object> b = row("0xb");
    assertThat(b).containsEntry("price_per_unit", 1400L).containsEntry("pixels_per_unit", 1L);
    assertThat((Double) b.get("wei_per_pixel")).isEqualTo(1400.0);
    assertThat((Double) b.get("wei_per_stream_minute")).isEqualTo(1400.0 * streamMinute);
    assertThat((Double) b.get("network_wei_per_pixel_median")).isEqualTo(1400.0);
    assertThat((Double) b.get("price_vs_network")).isEqualTo(1.0);
    // C's two nodes in one snapshot: the lower, 2 600 / 2, with its own units.
    Map<String, Object> c = row("0xc");
    assertThat(c).containsEntry("price_per_unit", 2600L).containsEntry("pixels_per_unit", 2L);
    assertThat((Double) c.get("wei_per_pixel")).isEqualTo(1300.0);
    assertThat((Double) c.get("wei_per_stream_minute")).isEqualTo(1300.0 * streamMinute);
    assertThat((Double) c.get("network_wei_per_pixel_median")).isEqualTo(1400.0);
    assertThat((Double) c.get("price_vs_network")).isCloseTo(1300.0 / 1400, within(1e-15));
    // No price advertised (A, D), or only one older than a day (F): every price column null.
    for (String orch : List.of("0xa", "0xd", "0xf")) {
      Map<String, Object> row = row(orch);
      for (Column price : Catalogue.SCORE_PRICE_MEASURES) {
        assertThat(row).containsEntry(price.name(), null);
      }
    }
    // As /v1/network/prices gives them over the same range.
    List<Map<String, Object>> prices = run(Report.NETWORK_PRICES, List.of());
    for (String orch : List.of("0xb", "0xc")) {
      Map<String, Object> price = prices.stream()
          .filter(r -> r.get("orchestrator_address").equals(orch)).findFirst().orElseThrow();
      for (String column : List.of("price_per_unit", "pixels_per_unit", "wei_per_pixel",
          "wei_per_stream_minute", "network_wei_per_pixel_median", "price_vs_network")) {
        assertThat(row(orch).get(column)).as(orch + " " + column).isEqualTo(price.get(column));
      }
    }
    // Per GPU model, each row of the orchestrator and pipeline carries the same price.
    assertThat(run(Report.ORCHESTRATOR_SCORES, List.of(Dimension.GPU_MODEL)))
        .filteredOn(r -> r.get("orchestrator_address").equals("0xc"))
        .extracting(r -> r.get("wei_per_pixel"))
        .containsExactly(1300.0);
    // Sorting by the price ranks the cheapest first, rows without a price last.
    Page cheapest = queries.run(Report.ORCHESTRATOR_SCORES, new MetricsQuery(DAY,
        DAY.plus(Duration.ofDays(1)), Granularity.HOUR, Map.of(), List.of(),
        new Sort("price_vs_network", false), 100, 0, false));
    assertThat(cheapest.rows().stream().map(r -> r.get(0)).toList().subList(0, 2))
        .containsExactly("0xc", "0xb");
  }

  @Test
  void aCohortWithoutFailures_leavesTheBandOpen() {
    // Pipeline r: one segment, not failed, in the whole cohort. Reliability is 1, but one segment
    // cannot make it certain: R ± 1.96 sd of Beta(1 + 10 + ½, ½).
    Map<String, Object> f = row("0xf");
    assertThat((Double) f.get("reliability")).isEqualTo(1.0);
    double sd = Math.sqrt(11.5 * 0.5 / (12 * 12 * 13));
    double q = 0.5; // as its cohort, which is itself
    assertThat((Double) f.get("score")).isCloseTo(85.0, within(1e-9));
    assertThat((Double) f.get("score_low"))
        .isCloseTo(100 * (0.7 * (1 - 1.96 * sd) + 0.3 * q), within(1e-6))
        .isLessThan(78.0);
    assertThat((Double) f.get("score_high")).isCloseTo(85.0, within(1e-9));
  }

  @Test
  void shrinkage_with1_10_and1000Segments() {
    // 1 segment: one part own, ten parts network; 10: half and half; 1 000: 99 % own.
    assertThat((Double) row("0xa").get("reliability")).isCloseTo((1 + K * P) / 11, within(1e-9));
    assertThat((Double) row("0xb").get("reliability")).isCloseTo((5 + K * P) / 20, within(1e-9));
    assertThat((Double) row("0xc").get("reliability"))
        .isCloseTo((900 + K * P) / 1010, within(1e-9));
    // A flawless single segment does not beat a proven orchestrator by luck, and its band is wide.
    double widthA = (Double) row("0xa").get("score_high") - (Double) row("0xa").get("score_low");
    double widthC = (Double) row("0xc").get("score_high") - (Double) row("0xc").get("score_low");
    assertThat(widthA).isGreaterThan(5 * widthC);
    assertThat((Double) row("0xa").get("reliability")).isLessThan(0.97);
  }

  @Test
  void noQualityToCompare_isNullWithAReason_notZero() {
    Map<String, Object> d = row("0xd");
    assertThat(d.get("score")).isNull();
    assertThat(d.get("score_low")).isNull();
    assertThat(d.get("score_null_reason")).isEqualTo("no_cohort_quality");
    assertThat(d.get("segments")).isEqualTo(2L);
    assertThat((Double) d.get("reliability"))
        .isCloseTo(0.0, within(1e-9)); // its cohort failed every segment too
  }

  @Test
  void history_scoresEachHourByItself_againstTheSameCohort() {
    Page page =
        queries.scoreHistory(
            "0xC",
            new MetricsQuery(
                DAY,
                DAY.plus(Duration.ofDays(1)),
                Granularity.HOUR,
                Map.of(),
                List.of(),
                null,
                100,
                0,
                false));
    assertThat(page.columns().getFirst().name()).isEqualTo("window_start");
    // An hour's price is /v1/network/prices' at 1h, not the range's.
    assertThat(page.columns()).doesNotContainAnyElementsOf(Catalogue.SCORE_PRICE_MEASURES);
    assertThat(page.rows()).hasSize(1); // hours without segments have no row
    List<Object> hour = page.rows().getFirst();
    assertThat(hour.get(0)).isEqualTo(DAY.plusSeconds(7200));
    int score = page.columns().stream().map(Column::name).toList().indexOf("score");
    assertThat((Double) hour.get(score))
        .isCloseTo(score(1000, 100, 15, 1000, 1_500, 1000)[0], within(1e-6));
  }

  private static Page discover(Long seed) {
    return queries.discover(
        new DiscoveryQuery(
            DAY,
            DAY.plus(Duration.ofDays(1)),
            List.of("live-video-to-video/p"),
            null,
            null,
            null,
            null,
            Set.of(),
            Set.of(),
            Set.of(),
            100,
            false,
            seed));
  }

  /**
   * Discovery at 03:00: B's and C's first nodes, with their prices, recent work and these weights.
   */
  private static Page discoverAtThree(Double maxPrice, double reliabilityWeight) {
    return queries.discover(
        new DiscoveryQuery(
            DAY,
            DAY.plusSeconds(3 * 3600),
            List.of("live-video-to-video/p"),
            null,
            null,
            null,
            maxPrice,
            null,
            Set.of(),
            Set.of(),
            Set.of(),
            100,
            false,
            null,
            reliabilityWeight,
            1 - reliabilityWeight));
  }

  private static Map<String, Object> named(Page page, List<Object> row) {
    Map<String, Object> m = new HashMap<>();
    for (int c = 0; c < page.columns().size(); c++) {
      m.put(page.columns().get(c).name(), row.get(c));
    }
    return m;
  }

  @Test
  void discovery_pricesRecentWorkWeightsAndMaxPrice() {
    Page page = discoverAtThree(null, 0.7);
    Map<String, Map<String, Object>> bySigner = new HashMap<>();
    page.rows().forEach(r -> bySigner.put((String) r.get(1), named(page, r)));
    assertThat(bySigner).containsOnlyKeys("0xb", "0xc");
    assertThat((Double) bySigner.get("0xb").get("price")).isEqualTo(1200.0);
    assertThat((Double) bySigner.get("0xc").get("price")).isEqualTo(1500.0);
    // the hour 02:00 holds B's 10 and C's 1 000 segments
    assertThat(bySigner.get("0xb")).containsEntry("recent_work", 10L);
    assertThat(bySigner.get("0xc")).containsEntry("recent_work", 1000L);

    assertThat(discoverAtThree(1300.0, 0.7).rows())
        .extracting(r -> r.get(1))
        .containsExactly("0xb");
    assertThat(discoverAtThree(1000.0, 0.7).rows()).isEmpty();

    // reliability alone: the score is 100 x reliability
    Page reliabilityOnly = discoverAtThree(null, 1);
    for (List<Object> r : reliabilityOnly.rows()) {
      Map<String, Object> m = named(reliabilityOnly, r);
      assertThat((Double) m.get("score"))
          .isCloseTo(100 * (Double) m.get("reliability"), within(1e-9));
    }
    // quality alone: 100 x quality
    Page qualityOnly = discoverAtThree(null, 0);
    for (List<Object> r : qualityOnly.rows()) {
      Map<String, Object> m = named(qualityOnly, r);
      assertThat((Double) m.get("score")).isCloseTo(100 * (Double) m.get("quality"), within(1e-9));
    }
  }

  @Test
  void discovery_ranksNodesByTheirSignersScore_andShufflesOnlyWithinTiers() {
    Page ranked = discover(null);
    assertThat(ranked.rows()).hasSize(7);
    List<Double> scores = ranked.rows().stream().map(r -> (Double) r.get(2)).toList();
    assertThat(scores).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    // Every node carries its signer's score for the pipeline.
    for (List<Object> node : ranked.rows()) {
      assertThat(node.get(2)).isEqualTo(row((String) node.get(1)).get("score"));
    }
    List<Long> tiers = scores.stream().map(Discovery::tier).toList();
    boolean moved = false;
    for (long seed = 0; seed < 20; seed++) {
      Page shuffled = discover(seed);
      // Same tier at every position, the same nodes in every tier.
      assertThat(shuffled.rows().stream().map(r -> Discovery.tier((Double) r.get(2))).toList())
          .isEqualTo(tiers);
      for (long tier : new java.util.HashSet<>(tiers)) {
        assertThat(
                shuffled.rows().stream()
                    .filter(r -> Discovery.tier((Double) r.get(2)) == tier)
                    .map(r -> r.get(0)))
            .containsExactlyInAnyOrderElementsOf(
                ranked.rows().stream()
                    .filter(r -> Discovery.tier((Double) r.get(2)) == tier)
                    .map(r -> r.get(0))
                    .toList());
      }
      moved |= !shuffled.rows().equals(ranked.rows());
    }
    assertThat(moved).as("some seed reorders a tier").isTrue();
    assertThat(discover(7L).rows()).isEqualTo(discover(7L).rows());
  }

  @Test
  void sortsByScore() {
    Page page =
        queries.run(
            Report.ORCHESTRATOR_SCORES,
            new MetricsQuery(
                DAY,
                DAY.plus(Duration.ofDays(1)),
                Granularity.HOUR,
                Map.of(),
                List.of(),
                new Sort("score", true),
                100,
                0,
                false));
    List<Object> order = page.rows().stream().map(r -> r.get(0)).toList();
    assertThat(order).last().isEqualTo("0xd"); // null last
    assertThat(order).hasSize(5);
  }
}
