package dev.naap.metrics.query;

import static dev.naap.metrics.LiveEvents.A;
import static dev.naap.metrics.LiveEvents.B;
import static dev.naap.metrics.query.QueryNetwork.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.naap.store.Rows;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every report against {@link QueryNetwork}, with the expected numbers worked out by hand. */
class ClickHouseMetricsQueriesTest {

  private static Store store;
  private static MetricsQueries queries;

  @BeforeAll
  static void load() {
    store = TestEngine.uniqueStore("queries");
    QueryNetwork.load(store);
    queries = new ClickHouseMetricsQueries(store);
  }

  private static MetricsQuery wholeDay(Granularity g, Map<Dimension, Set<String>> filters,
      List<Dimension> groupBy) {
    return new MetricsQuery(
        day, day.plus(Duration.ofDays(1)), g, filters, groupBy, null, 1000, 0, false);
  }

  private static Map<String, Object> row(Page page, int i) {
    Map<String, Object> row = new HashMap<>();
    for (int c = 0; c < page.columns().size(); c++) {
      row.put(page.columns().get(c).name(), page.rows().get(i).get(c));
    }
    return row;
  }

  @Test
  void gpuMetrics_hourlyPerOrchestrator_areTheHandWorkedNumbers() {
    Page page =
        queries.run(
            Report.GPU_METRICS,
            wholeDay(Granularity.HOUR, Map.of(), List.of(Dimension.ORCHESTRATOR)));

    assertThat(page.hasMore()).isFalse();
    assertThat(page.rows()).hasSize(3);
    // Hour 0, A: s1 with samples 20, 22, 24, 26; PTFF 2 000 ms; jitter sqrt(5) / 23.
    Map<String, Object> a0 = row(page, 0);
    assertThat(a0.get("window_start")).isEqualTo(day);
    assertThat(a0.get("orchestrator_address")).isEqualTo(A);
    assertThat(a0.get("segments")).isEqualTo(1L);
    assertThat(a0.get("fps_samples")).isEqualTo(4L);
    assertThat((Double) a0.get("output_fps_mean")).isCloseTo(23.0, within(1e-9));
    assertThat((Double) a0.get("output_fps_p50")).isBetween(22.0, 24.0);
    // Issue 22: every sample is at 20+ FPS (20 counts), exactly.
    assertThat(a0.get("fps_samples_20plus")).isEqualTo(4L);
    assertThat(a0.get("fps_share_20plus")).isEqualTo(1.0);
    assertThat((Double) a0.get("ptff_ms_mean")).isCloseTo(2000.0, within(1e-9));
    assertThat((Double) a0.get("ptff_ms_p95")).isCloseTo(2000.0, within(1e-9));
    assertThat(a0.get("ptff_samples")).isEqualTo(1L);
    assertThat((Double) a0.get("jitter_coefficient_mean"))
        .isCloseTo(Math.sqrt(5) / 23, within(1e-9));
    assertThat(a0.get("jitter_samples")).isEqualTo(1L);
    assertThat((Double) a0.get("failure_rate")).isEqualTo(0.0);
    // No bandwidth samples: null beside a count of 0, never a 0 rate.
    assertThat(a0.get("bandwidth_up_kbps_mean")).isNull();
    assertThat(a0.get("bandwidth_samples")).isEqualTo(0L);
    // Hour 0, B: s2 with samples 10, 12 (too few for a jitter coefficient); PTFF 4 000 ms.
    Map<String, Object> b0 = row(page, 1);
    assertThat(b0.get("orchestrator_address")).isEqualTo(B);
    assertThat((Double) b0.get("output_fps_mean")).isCloseTo(11.0, within(1e-9));
    assertThat(b0.get("fps_samples_20plus")).isEqualTo(0L);
    assertThat(b0.get("fps_share_20plus")).isEqualTo(0.0);
    assertThat((Double) b0.get("ptff_ms_mean")).isCloseTo(4000.0, within(1e-9));
    assertThat(b0.get("jitter_coefficient_mean")).isNull();
    assertThat(b0.get("jitter_samples")).isEqualTo(0L);
    // Hour 1, A: s5 failed with no FPS sample > 0 and no first frame: nulls, counts 0.
    Map<String, Object> a1 = row(page, 2);
    assertThat(a1.get("window_start")).isEqualTo(day.plus(Duration.ofHours(1)));
    assertThat(a1.get("segments")).isEqualTo(1L);
    assertThat(a1.get("failed_segments")).isEqualTo(1L);
    assertThat((Double) a1.get("failure_rate")).isEqualTo(1.0);
    assertThat(a1.get("output_fps_mean")).isNull();
    assertThat(a1.get("output_fps_p05")).isNull();
    assertThat(a1.get("fps_samples")).isEqualTo(0L);
    assertThat(a1.get("fps_samples_20plus")).isEqualTo(0L);
    assertThat(a1.get("fps_share_20plus")).isNull();
    assertThat(a1.get("ptff_ms_p50")).isNull();
    assertThat(a1.get("ptff_samples")).isEqualTo(0L);
  }

  @Test
  void gpuMetrics_defaultGrouping_carriesGpuModelRegionAndPipeline() {
    Page page = queries.run(Report.GPU_METRICS, wholeDay(Granularity.DAY, Map.of(), List.of()));

    assertThat(page.columns().stream().map(Column::name).toList().subList(0, 6)).containsExactly(
        "window_start", "orchestrator_address", "gpu_id", "gpu_model", "region", "pipeline");
    assertThat(page.rows()).extracting(r -> r.subList(1, 6)).containsExactly(
        List.of(A, "GPU-A1", "NVIDIA GeForce RTX 4090", "eu", "streamdiffusion"),
        List.of(B, "GPU-B1", "NVIDIA GeForce RTX 4090", "us", "streamdiffusion"));
  }

  @Test
  void gpuMetrics_filtersAndGrouping() {
    Page onlyB =
        queries.run(
            Report.GPU_METRICS,
            wholeDay(
                Granularity.DAY,
                Map.of(Dimension.ORCHESTRATOR, Set.of(B)),
                List.of(Dimension.ORCHESTRATOR)));
    assertThat(onlyB.rows()).extracting(r -> r.get(1)).containsExactly(B);
    // A dimension's values are alternatives; dimensions combine.
    Page both = queries.run(Report.GPU_METRICS, wholeDay(Granularity.DAY,
        Map.of(Dimension.ORCHESTRATOR, Set.of(A, B)), List.of(Dimension.ORCHESTRATOR)));
    assertThat(both.rows()).extracting(r -> r.get(1)).containsExactly(A, B);
    Page bInEu =
        queries.run(
            Report.GPU_METRICS,
            wholeDay(
                Granularity.DAY,
                Map.of(Dimension.ORCHESTRATOR, Set.of(B), Dimension.REGION, Set.of("eu")),
                List.of(Dimension.ORCHESTRATOR)));
    assertThat(bInEu.rows()).isEmpty();

    Page eu =
        queries.run(
            Report.GPU_METRICS,
            wholeDay(
                Granularity.HOUR,
                Map.of(Dimension.REGION, Set.of("eu")),
                List.of(Dimension.REGION)));
    assertThat(eu.rows())
        .extracting(r -> r.get(1) + " " + r.get(2))
        .containsExactly("eu 1", "eu 1");

    Page byGateway =
        queries.run(
            Report.GPU_METRICS, wholeDay(Granularity.DAY, Map.of(), List.of(Dimension.GATEWAY)));
    assertThat(byGateway.columns().get(1).name()).isEqualTo("gateway");
    // s3 on gw-2 reached no orchestrator: it is no segment, so gw-2 has no GPU metrics row.
    assertThat(byGateway.rows())
        .extracting(r -> r.get(1) + " " + r.get(2))
        .containsExactly("gw-1 3");

    assertThatThrownBy(() -> queries.checkFilter(Report.NETWORK_DEMAND, Dimension.GPU_ID))
        .isInstanceOfSatisfying(InvalidQueryException.class,
            e -> assertThat(e.parameter()).isEqualTo("gpu_id"));
  }

  @Test
  void testLoad_isExcludedUnlessAskedFor() {
    MetricsQuery without = wholeDay(Granularity.DAY, Map.of(), List.of(Dimension.ORCHESTRATOR));
    MetricsQuery with = new MetricsQuery(without.start(), without.end(), Granularity.DAY, Map.of(),
        List.of(Dimension.ORCHESTRATOR), null, 100, 0, true);

    assertThat(row(queries.run(Report.GPU_METRICS, without), 0).get("segments")).isEqualTo(2L);
    assertThat(row(queries.run(Report.GPU_METRICS, with), 0).get("segments")).isEqualTo(3L);
    assertThat(row(queries.run(Report.GPU_METRICS, with), 0).get("fps_samples")).isEqualTo(5L);
  }

  @Test
  void pagination_visitsEveryRowExactlyOnce_inASortedTotalOrder() {
    Sort sort = new Sort("output_fps_mean", true);
    MetricsQuery all =
        new MetricsQuery(
            day,
            day.plus(Duration.ofDays(1)),
            Granularity.MINUTE,
            Map.of(),
            List.of(),
            sort,
            1000,
            0,
            true);
    List<List<Object>> expected = queries.run(Report.GPU_METRICS, all).rows();
    assertThat(expected).hasSize(4);

    List<List<Object>> paged = new ArrayList<>();
    for (long offset = 0; ; offset += 2) {
      Page page =
          queries.run(
              Report.GPU_METRICS,
              new MetricsQuery(
                  all.start(),
                  all.end(),
                  Granularity.MINUTE,
                  Map.of(),
                  List.of(),
                  sort,
                  2,
                  offset,
                  true));
      paged.addAll(page.rows());
      if (!page.hasMore()) {
        break;
      }
    }
    assertThat(paged).isEqualTo(expected);
    assertThat(new HashSet<>(paged)).hasSize(expected.size());
    // FPS means 30 (s4), 23 (s1), 11 (s2), then s5 with none: nulls last.
    assertThat(expected).extracting(r -> r.get(7)).containsExactly(30.0, 23.0, 11.0, null);
  }

  @Test
  void pagination_inTheDefaultOrder_pagesOfOneAreTheWholeListInOrder() {
    // The default order picks the page from its leading keys (gpu_page_prefixes.sql): every
    // page boundary must fall where one query over everything puts it. From 00:30, so that days
    // are cut and read from hours.
    Instant start = day.plus(Duration.ofMinutes(30));
    for (Granularity g : Granularity.values()) {
      for (List<Dimension> groupBy :
          List.of(
              List.<Dimension>of(),
              List.of(Dimension.ORCHESTRATOR, Dimension.GPU_ID, Dimension.GATEWAY),
              List.of(Dimension.GPU_MODEL))) {
        MetricsQuery all = new MetricsQuery(start, start.plus(Duration.ofDays(1)), g, Map.of(),
            groupBy, null, 1000, 0, true);
        List<List<Object>> expected = queries.run(Report.GPU_METRICS, all).rows();
        assertThat(expected).as("%s %s", g, groupBy).isNotEmpty();
        List<List<Object>> paged = new ArrayList<>();
        for (long offset = 0; ; offset++) {
          Page page = queries.run(Report.GPU_METRICS, new MetricsQuery(all.start(), all.end(), g,
              Map.of(), groupBy, null, 1, offset, true));
          paged.addAll(page.rows());
          if (!page.hasMore()) {
            break;
          }
        }
        assertThat(paged).as("%s %s", g, groupBy).isEqualTo(expected);
      }
    }
  }

  @Test
  void gpuMetrics_daily_aDayTheRangeCutsCoversItsHoursInsideTheRange() {
    // 24 h from 01:00: hour 0 (s1, s2) is outside, hour 1 (s5; s4 is test load) inside, under its
    // day.
    Instant start = day.plus(Duration.ofHours(1));
    Page page =
        queries.run(
            Report.GPU_METRICS,
            new MetricsQuery(
                start,
                start.plus(Duration.ofDays(1)),
                Granularity.DAY,
                Map.of(),
                List.of(Dimension.ORCHESTRATOR),
                null,
                1000,
                0,
                false));

    assertThat(page.rows()).hasSize(1);
    assertThat(row(page, 0))
        .containsEntry("window_start", day)
        .containsEntry("orchestrator_address", A)
        .containsEntry("segments", 1L)
        .containsEntry("failed_segments", 1L);
  }

  @Test
  void granularities_agreeOnTotals() {
    for (Report report : List.of(Report.GPU_METRICS, Report.NETWORK_DEMAND)) {
      List<Double> totals = new ArrayList<>();
      for (Granularity g : Granularity.values()) {
        Page page = queries.run(report, wholeDay(g, Map.of(), List.of()));
        int column =
            report == Report.GPU_METRICS
                ? index(page, "fps_samples")
                : index(page, "stream_minutes");
        int count =
            report == Report.GPU_METRICS
                ? index(page, "segments")
                : index(page, "sessions_requested");
        double sum = 0;
        long n = 0;
        long at20 = 0;
        for (List<Object> r : page.rows()) {
          sum += ((Number) r.get(column)).doubleValue();
          n += (Long) r.get(count);
          at20 +=
              report == Report.GPU_METRICS ? (Long) r.get(index(page, "fps_samples_20plus")) : 0;
        }
        totals.add(sum);
        totals.add((double) n);
        // s1's four samples are at 20+ FPS, s2's two are not: at every granularity (issue 22).
        assertThat(at20).as(report + " " + g).isEqualTo(report == Report.GPU_METRICS ? 4 : 0);
      }
      // GPU metrics: 6 samples over 3 segments; demand: (180 + 70 + 5 + 11) s over 4 sessions.
      List<Double> expected =
          report == Report.GPU_METRICS ? List.of(6.0, 3.0) : List.of(266 / 60.0, 4.0);
      for (int i = 0; i < totals.size(); i += 2) {
        assertThat(totals.get(i))
            .as(report + " granularity " + i / 2)
            .isCloseTo(expected.get(0), within(1e-9));
        assertThat(totals.get(i + 1))
            .as(report + " granularity " + i / 2)
            .isEqualTo(expected.get(1));
      }
    }
  }

  @Test
  void demand_hourlyPerPipeline_streamMinutesAcrossTheHourPeakConcurrencyAndUtilisation() {
    Page page =
        queries.run(
            Report.NETWORK_DEMAND,
            wholeDay(Granularity.HOUR, Map.of(), List.of(Dimension.PIPELINE)));

    assertThat(page.columns().stream().map(Column::name).toList())
        .containsExactly(
            "window_start",
            "pipeline",
            "sessions_requested",
            "sessions_started",
            "sessions_no_orchestrator",
            "stream_minutes",
            "peak_concurrent_streams",
            "capacity_idle",
            "capacity_in_use",
            "utilisation");
    // Hour 0, pipeline '': s3, unmet, 5 s; no supply for it.
    assertThat(page.rows().get(0))
        .isEqualTo(Arrays.asList(day, "", 1L, 0L, 1L, 5 / 60.0, 1L, null, null, null));
    // Hour 0: s1 58:30–60:00 (90 s) and s2 59:10–60:00 (50 s) overlap in minute 59; supply
    // 1 + 2 idle, 1 in use: utilisation 1 / 4.
    Map<String, Object> h0 = row(page, 1);
    assertThat(h0.get("sessions_requested")).isEqualTo(2L);
    assertThat(h0.get("sessions_started")).isEqualTo(2L);
    assertThat((Double) h0.get("stream_minutes")).isCloseTo(140 / 60.0, within(1e-9));
    assertThat(h0.get("peak_concurrent_streams")).isEqualTo(2L);
    assertThat(h0.get("capacity_idle")).isEqualTo(3L);
    assertThat(h0.get("capacity_in_use")).isEqualTo(1L);
    assertThat((Double) h0.get("utilisation")).isCloseTo(0.25, within(1e-9));
    // Hour 1: s1 60:00–61:30 (90 s), s2 60:00–60:20 (20 s), s5 70:00–70:11 (11 s); s1 and s2
    // overlap in minute 60; s5 was requested in it and never started; s4 is test load.
    Map<String, Object> h1 = row(page, 2);
    assertThat(h1.get("window_start")).isEqualTo(day.plus(Duration.ofHours(1)));
    assertThat(h1.get("sessions_requested")).isEqualTo(1L);
    assertThat(h1.get("sessions_started")).isEqualTo(0L);
    assertThat((Double) h1.get("stream_minutes")).isCloseTo(121 / 60.0, within(1e-9));
    assertThat(h1.get("peak_concurrent_streams")).isEqualTo(2L);
    // Every later hour of the day has supply (the snapshot stays the latest) and no demand.
    assertThat(page.rows()).hasSize(1 + 24);
    Map<String, Object> h5 = row(page, 6);
    assertThat(h5.get("sessions_requested")).isEqualTo(0L);
    assertThat(h5.get("capacity_idle")).isEqualTo(3L);
  }

  @Test
  void demand_perMinute_countsEachMinuteAStreamOverlaps() {
    MetricsQuery q =
        new MetricsQuery(
            QueryNetwork.time(58, 0),
            QueryNetwork.time(62, 0),
            Granularity.MINUTE,
            Map.of(Dimension.PIPELINE, Set.of("streamdiffusion")),
            List.of(Dimension.PIPELINE),
            null,
            100,
            0,
            false);
    Page page = queries.run(Report.NETWORK_DEMAND, q);

    // Minutes 58..61: s1 30, 60, 60, 30 s; s2 -, 50, 20, - s.
    assertThat(page.rows()).extracting(r -> r.get(6) + " " + Math.round((Double) r.get(5) * 60))
        .containsExactly("1 30", "2 110", "2 80", "1 30");
  }

  @Test
  void demand_perFiveMinutes_peakIsTheBusiestMinute() {
    MetricsQuery q =
        new MetricsQuery(
            QueryNetwork.time(55, 0),
            QueryNetwork.time(65, 0),
            Granularity.FIVE_MINUTES,
            Map.of(Dimension.PIPELINE, Set.of("streamdiffusion")),
            List.of(Dimension.PIPELINE),
            null,
            100,
            0,
            false);

    // 55:00–60:00: s1 90 s, s2 50 s, both in minute 59; 60:00–65:00: s1 90 s, s2 20 s, both in
    // minute 60.
    assertThat(queries.run(Report.NETWORK_DEMAND, q).rows())
        .extracting(
            r ->
                r.get(0)
                    + " "
                    + r.get(2)
                    + " "
                    + Math.round((Double) r.get(5) * 60)
                    + " "
                    + r.get(6))
        .containsExactly(
            QueryNetwork.time(55, 0) + " 2 140 2", QueryNetwork.time(60, 0) + " 0 110 2");
  }

  @Test
  void run_refusesWhatTheReportDoesNotOffer() {
    assertThatThrownBy(() -> queries.sort(Report.GPU_METRICS, List.of(), "-no_such_column"))
        .isInstanceOfSatisfying(InvalidQueryException.class,
            e -> assertThat(e.parameter()).isEqualTo("sort"))
        .hasMessageContaining("no_such_column");
    assertThat(queries.sort(Report.GPU_METRICS, List.of(), "-segments"))
        .isEqualTo(new Sort("segments", true));
    MetricsQuery tooLong =
        new MetricsQuery(
            day,
            day.plus(Duration.ofDays(2)),
            Granularity.MINUTE,
            Map.of(),
            List.of(),
            null,
            10,
            0,
            false);
    assertThatThrownBy(() -> queries.run(Report.GPU_METRICS, tooLong))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1m");
    assertThatThrownBy(() -> queries.groupBy(Report.ORCHESTRATORS, List.of("pipeline")))
        .isInstanceOfSatisfying(InvalidQueryException.class,
            e -> assertThat(e.parameter()).isEqualTo("group_by"))
        .hasMessageContaining("pipeline");
    assertThatThrownBy(() -> queries.groupBy(Report.GPU_METRICS, List.of("region", " region")))
        .isInstanceOf(InvalidQueryException.class).hasMessageContaining("twice");
    assertThat(queries.groupBy(Report.NETWORK_DEMAND, List.of()))
        .isEqualTo(queries.defaultGroupBy(Report.NETWORK_DEMAND));
  }

  @Test
  void demand_byGateway_takesEachGatewaysOwnSnapshot() {
    Page page =
        queries.run(
            Report.NETWORK_DEMAND,
            new MetricsQuery(
                day,
                day.plus(Duration.ofHours(1)),
                Granularity.HOUR,
                Map.of(),
                List.of(Dimension.GATEWAY),
                null,
                100,
                0,
                false));

    // gw-1 published the snapshot; gw-2 none: its supply is unknown, not zero.
    assertThat(page.rows())
        .extracting(r -> r.get(1) + " " + r.get(2) + " " + r.get(7) + " " + r.get(9))
        .containsExactly("gw-1 2 3 0.25", "gw-2 1 null null");
  }

  @Test
  void sla_perOrchestrator_complianceViolationsAndErrorBudget() {
    Page page = queries.run(Report.SLA_COMPLIANCE, wholeDay(Granularity.HOUR, Map.of(), List.of()));

    assertThat(page.rows()).hasSize(2);
    // A: s1 compliant; s5 failed, and has neither PTFF nor FPS. Compliance 1/2, budget
    // 1 - 0.5 / 0.01 = -49.
    Map<String, Object> a = row(page, 0);
    assertThat(a.get("orchestrator_address")).isEqualTo(A);
    assertThat(a.get("eligible_segments")).isEqualTo(2L);
    assertThat(a.get("compliant_segments")).isEqualTo(1L);
    assertThat((Double) a.get("compliance_rate")).isEqualTo(0.5);
    assertThat((Double) a.get("error_budget_remaining")).isCloseTo(-49.0, within(1e-6));
    assertThat(
            List.of(
                a.get("violations_failure"),
                a.get("violations_ptff"),
                a.get("violations_fps"),
                a.get("violations_jitter")))
        .containsExactly(1L, 1L, 1L, 0L);
    assertThat(
            List.of(
                a.get("target_ptff_ms"),
                a.get("target_fps"),
                a.get("target_jitter"),
                a.get("objective")))
        .containsExactly(5000L, 15.0, 0.25, 0.99);
    // B: s2 mean FPS 11 < 15.
    Map<String, Object> b = row(page, 1);
    assertThat(b.get("compliant_segments")).isEqualTo(0L);
    assertThat(b.get("violations_fps")).isEqualTo(1L);
    assertThat((Double) b.get("error_budget_remaining")).isCloseTo(-99.0, within(1e-6));

    // Two hours either side of the day: the day from rollup_day, the edges from rollup_hour.
    Page wider =
        queries.run(
            Report.SLA_COMPLIANCE,
            new MetricsQuery(
                day.minus(Duration.ofHours(2)),
                day.plus(Duration.ofHours(26)),
                Granularity.HOUR,
                Map.of(),
                List.of(),
                null,
                100,
                0,
                false));
    assertThat(wider.rows()).isEqualTo(page.rows());
    // Part of a day: from rollup_hour only.
    Page hour0 =
        queries.run(
            Report.SLA_COMPLIANCE,
            new MetricsQuery(
                day,
                day.plus(Duration.ofHours(1)),
                Granularity.HOUR,
                Map.of(Dimension.ORCHESTRATOR, Set.of(A)),
                List.of(),
                null,
                100,
                0,
                false));
    assertThat(row(hour0, 0).get("eligible_segments")).isEqualTo(1L);

    assertThat(queries.slaTargets())
        .containsExactly(new MetricsQueries.SlaTargets("*", 5000, 15, 0.25, 0.99, 5000));
  }

  @Test
  void dataAsOf_isTheRefreshWatermark() {
    assertThat(queries.dataAsOf()).isBetween(Instant.now().minusSeconds(600), Instant.now());
  }

  /**
   * A new store's migrations set the watermark to the epoch (so that the first refresh recomputes
   * everything), as do upgrades that recompute the rollups: until a refresh moves it, the data is
   * as of no known time, not as of 1970.
   */
  @Test
  void dataAsOf_isNullWhileTheWatermarkIsAtTheEpoch() {
    Store fresh = TestEngine.uniqueStore("as_of");
    assertThat(Rows.query(fresh, "SELECT toUnixTimestamp64Milli(watermark) AS w FROM refresh_state"
        + " FINAL WHERE name = 'rollups'", Map.of(), List.of("w")).single().integer("w"))
        .isZero();
    assertThat(new ClickHouseMetricsQueries(fresh).dataAsOf()).isNull();
  }

  @Test
  void orchestrators_metadataAndActivity() {
    String c = "0xcccc000000000000000000000000000000000003";
    store.execute(
        "INSERT INTO orchestrator_versions (source, orch_uri, address, local_address, version,"
            + " capacities, price_per_unit, pixels_per_unit, region, region_source, valid_from,"
            + " written_at) VALUES ('gw', 'https://a:8935', '0xd1', '"
            + A
            // Transcoding (0) and batch AI (27) capacities count other units: not summed.
            + "', '0.8.8', map(0, 1, 27, 4, 35, 2), 1200, 1, 'eu', 'geoip', now64(3) - 60,"
            + " now64(3)), "
            // A's second node, and its first as another source saw it earlier: A fronts two
            // nodes, each counted once.
            + "('gw', 'https://a2:8935', '0xd1', '" + A
            + "', '0.8.8', map(35, 3), 1200, 1, 'eu', 'geoip', now64(3) - 120, now64(3)), "
            + "('gw2', 'https://a:8935', '0xd1', '" + A
            + "', '0.8.8', map(35, 2), 1200, 1, 'eu', 'geoip', now64(3) - 90, now64(3)), "
            + "('gw', 'https://c:8935', '0xd3', '"
            + c
            + "', '0.8.9', map(0, 1, 27, 4), NULL, NULL, NULL, 'unknown', now64(3) - 60,"
            + " now64(3))");
    store.execute(
        "INSERT INTO orchestrator_version_gpus (source, orch_uri, valid_from, pipeline, model_id,"
            + " gpu_slot, gpu_id, gpu_name) SELECT source, orch_uri, valid_from,"
            + " 'live-video-to-video', 'streamdiffusion', '0',"
            + " if(orch_uri = 'https://a:8935', 'GPU-A1', 'GPU-A2'), 'NVIDIA GeForce RTX 4090'"
            + " FROM orchestrator_versions WHERE local_address = '"
            + A
            + "'");
    MetricsQuery q = wholeDay(Granularity.HOUR, Map.of(), List.of());

    Page page = queries.run(Report.ORCHESTRATORS, q);
    assertThat(page.rows()).extracting(r -> r.get(0)).containsExactly(A, B, c);
    Map<String, Object> a = row(page, 0);
    assertThat(
            List.of(
                a.get("service_uri"),
                a.get("nodes"),
                a.get("version"),
                a.get("metadata_region"),
                a.get("gpu_count"),
                a.get("capacity"),
                a.get("price_per_unit")))
        .containsExactly("https://a:8935", 2L, "0.8.8", "eu", 2L, 5L, 1200L);
    assertThat(a.get("metadata_region_source")).isEqualTo("geoip");
    assertThat(
            List.of(
                a.get("sessions"),
                a.get("segments"),
                a.get("failed_segments"),
                a.get("compliant_segments")))
        .containsExactly(2L, 2L, 1L, 1L);
    assertThat((Double) a.get("failure_rate")).isEqualTo(0.5);
    assertThat((Double) a.get("output_fps_mean")).isCloseTo(23.0, within(1e-9));
    // Where the scraper has a current version, the metadata is the scraper's.
    assertThat(a.get("metadata_source")).isEqualTo("scraper");
    Map<String, Object> b = row(page, 1);
    // B was never scraped: its metadata is the latest capability listing of its node.
    assertThat(List.of(b.get("service_uri"), b.get("metadata_source"), b.get("nodes"),
            b.get("version")))
        .containsExactly("https://bbbb:8935", "events", 1L, "0.8.8");
    assertThat(b.get("metadata_region")).isNull();
    assertThat(b.get("segments")).isEqualTo(1L);
    Map<String, Object> cRow = row(page, 2);
    assertThat(cRow.get("segments")).isEqualTo(0L);
    assertThat(cRow.get("capacity")).as("no live-video capacity advertised").isNull();
    assertThat(
            List.of(
                String.valueOf(cRow.get("metadata_region")), cRow.get("metadata_region_source")))
        .containsExactly("null", "unknown");
    assertThat(cRow.get("output_fps_mean")).isNull();
    assertThat(cRow.get("failure_rate")).isNull();

    // A filter on anything but the orchestrator keeps only orchestrators with matching activity.
    Page us =
        queries.run(
            Report.ORCHESTRATORS,
            wholeDay(Granularity.HOUR, Map.of(Dimension.REGION, Set.of("us")), List.of()));
    assertThat(us.rows()).extracting(r -> r.get(0)).containsExactly(B);

    MetricsQueries.OrchestratorDetail detail =
        queries.orchestrator(A.toUpperCase().replace("0X", "0x"), q).orElseThrow();
    assertThat(detail.metadata().rows()).hasSize(1);
    assertThat(detail.gpus().rows())
        .extracting(r -> r.get(0) + " " + r.get(3))
        .containsExactly("GPU-A1 2", "GPU-A2 0"); // the second node's GPU has served nothing
    assertThat(detail.history().rows())
        .extracting(r -> r.get(0))
        .containsExactly(day, day.plus(Duration.ofHours(1)));
    assertThat(queries.orchestrator("0x0000000000000000000000000000000000000009", q)).isEmpty();
  }

  @Test
  void overview_headlinesWithTheirCountsAndThePreviousPeriod() {
    Map<String, MetricsQueries.Headline> h = new HashMap<>();
    for (MetricsQueries.Headline headline :
        queries.overview(wholeDay(Granularity.HOUR, Map.of(), List.of()))) {
      h.put(headline.name(), headline);
    }

    assertThat(h.get("sessions").value()).isEqualTo(4.0);
    assertThat(h.get("sessions").previous()).isEqualTo(0.0);
    assertThat(h.get("orchestrators").value()).isEqualTo(2.0);
    assertThat(h.get("gpus").value()).isEqualTo(2.0);
    // Samples 20, 22, 24, 26, 10, 12.
    assertThat(h.get("output_fps_mean").value()).isCloseTo(19.0, within(1e-9));
    assertThat(h.get("output_fps_mean").count()).isEqualTo(6);
    assertThat(h.get("output_fps_mean").previous()).isNull();
    assertThat(h.get("output_fps_mean").previousCount()).isZero();
    assertThat(h.get("failure_rate").value()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(h.get("sla_compliance_rate").value()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(h.get("stream_minutes").value()).isCloseTo(266 / 60.0, within(1e-9));
    assertThat(h.get("stream_minutes").previous()).isNull();
    // Nothing streamed in the day's last five minutes.
    assertThat(h.get("active_streams").value()).isNull();

    // Up to 61:00: minute 59 had s1, s2 and s3; s1 streamed 150 s of it, s2 70 s, s3 5 s.
    Map<String, MetricsQueries.Headline> early = new HashMap<>();
    for (MetricsQueries.Headline headline :
        queries.overview(
            new MetricsQuery(
                QueryNetwork.time(1, 0),
                QueryNetwork.time(61, 0),
                Granularity.HOUR,
                Map.of(),
                List.of(),
                null,
                1,
                0,
                false))) {
      early.put(headline.name(), headline);
    }
    assertThat(early.get("active_streams").value()).isEqualTo(3.0);
    assertThat(early.get("stream_minutes").value()).isCloseTo(225 / 60.0, within(1e-9));
    assertThat(early.get("stream_minutes").count()).isEqualTo(3);

    // The next 60 minutes: their previous period is the one above, read in the same statements.
    Map<String, MetricsQueries.Headline> next = new HashMap<>();
    for (MetricsQueries.Headline headline :
        queries.overview(
            new MetricsQuery(
                QueryNetwork.time(61, 0),
                QueryNetwork.time(121, 0),
                Granularity.HOUR,
                Map.of(),
                List.of(),
                null,
                1,
                0,
                false))) {
      next.put(headline.name(), headline);
    }
    // Minute 60: no session started in it, but s1 and s2, started before, streamed on; its
    // stream-minutes are those up to 61:00 less those up to 60:00.
    Map<String, MetricsQueries.Headline> upTo60 = overview(QueryNetwork.time(1, 0), 60);
    Map<String, MetricsQueries.Headline> minute60 = overview(QueryNetwork.time(60, 0), 61);
    assertThat(minute60.get("stream_minutes").count()).isZero();
    assertThat(minute60.get("stream_minutes").value()).isPositive().isCloseTo(
        225 / 60.0 - upTo60.get("stream_minutes").value(), within(1e-9));
    for (String name : early.keySet()) {
      assertThat(next.get(name).previous()).as(name).isEqualTo(early.get(name).value());
      assertThat(next.get(name).previousCount()).as(name).isEqualTo(early.get(name).count());
    }
  }

  private Map<String, MetricsQueries.Headline> overview(Instant start, int endMinute) {
    Map<String, MetricsQueries.Headline> byName = new HashMap<>();
    for (MetricsQueries.Headline headline :
        queries.overview(new MetricsQuery(start, QueryNetwork.time(endMinute, 0),
            Granularity.HOUR, Map.of(), List.of(), null, 1, 0, false))) {
      byName.put(headline.name(), headline);
    }
    return byName;
  }

  private static int index(Page page, String column) {
    for (int i = 0; i < page.columns().size(); i++) {
      if (page.columns().get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException(column);
  }
}
