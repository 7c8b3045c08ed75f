package dev.naap.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.metrics.LiveEvents;
import dev.naap.metrics.Refresher;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reliability breakdown (docs/METRICS.md, "Reliability breakdown") on event sequences worked
 * by hand: through the refresh into the rollups, then the report over three hours.
 */
class ReliabilityTest {

  private static final String A = LiveEvents.A;
  private static final String B = LiveEvents.B;
  /** LiveEvents.T0 is 19:20 UTC: hour 20 starts 40 minutes in, hour 21 100 minutes in. */
  private static final long H20 = 2_400_000;
  private static final long H21 = 6_000_000;
  private static final LiveEvents ev = new LiveEvents();

  private static MetricsQueries queries;

  @BeforeAll
  static void load() {
    Store store = TestEngine.uniqueStore("reliability");
    LiveEvents.write(
        store,
        List.of(
            // s1: clean on A, 20 FPS in hour 19
            ev.request("s1", 0),
            ev.ingest("s1", A, 1_000),
            ev.processed("s1", A, 2_000),
            ev.status("s1", A, 10_000, 20, "ONLINE"),
            // s2: A never answers, the gateway swaps away and finds no orchestrator: failed,
            // excused
            // (no capacity), swapped, and the session is lost after the swap
            ev.request("s2", 0),
            ev.ingest("s2", A, 1_000),
            ev.swap("s2", A, 5_000),
            ev.noOrchestrators("s2", 5_100),
            // s3: no output, then the client goes away: failed, excused (client gone)
            ev.request("s3", 0),
            ev.ingest("s3", A, 1_000),
            gatewayError("s3", 3_000, "whip disconnected"),
            // s4: A fails (runner error, 20 FPS), is swapped for B, which serves: charged to A, not
            // lost
            ev.request("s4", 0),
            ev.ingest("s4", A, 1_000),
            ev.processed("s4", A, 2_000),
            ev.statusWithError("s4", A, 10_000, "CUDA out of memory"),
            ev.swap("s4", A, 20_000),
            ev.ingest("s4", B, 20_500),
            ev.processed("s4", B, 21_000),
            ev.status("s4", B, 30_000, 20, "ONLINE"),
            // s5, s6: clean on A at 15 FPS in hour 20 (down 25 % from 20: degraded) and 14 in hour
            // 21
            // (down 6.7 % from 15: not degraded)
            ev.request("s5", H20),
            ev.ingest("s5", A, H20 + 1_000),
            ev.processed("s5", A, H20 + 2_000),
            ev.status("s5", A, H20 + 10_000, 15, "ONLINE"),
            ev.request("s6", H21),
            ev.ingest("s6", A, H21 + 1_000),
            ev.processed("s6", A, H21 + 2_000),
            ev.status("s6", A, H21 + 10_000, 14, "ONLINE")),
        Clock.systemUTC());
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now().plusSeconds(1));
    queries = new ClickHouseMetricsQueries(store);
  }

  private static String gatewayError(String stream, long t, String message) {
    return ev.envelope(
        "ai_stream_events",
        t,
        "{\"type\":\"error\",\"capability\":\"\",\"message\":\""
            + message
            + "\",\"stream_id\":\""
            + stream
            + "\",\"request_id\":\"r-"
            + stream
            + "\",\"pipeline_id\":\"\","
            + "\"pipeline\":\"\"}");
  }

  private static Map<String, Object> row(String orch, List<Dimension> groupBy) {
    Instant hour19 =
        Instant.ofEpochMilli(LiveEvents.T0).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    Page page =
        queries.run(
            Report.RELIABILITY,
            new MetricsQuery(
                hour19,
                hour19.plusSeconds(3 * 3600),
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
    }).filter(r -> orch.equals(r.get("orchestrator_address"))).findFirst().orElseThrow();
  }

  @Test
  void breakdown_countsEachPartAsWorkedByHand() {
    Map<String, Object> a = row(A, List.of(Dimension.ORCHESTRATOR));
    // A's segments: s1, s2, s3, s4 (first), s5, s6
    assertThat(a).containsEntry("segments", 6L);
    // every one was sent ingest; s2 and s3 never returned a processed segment
    assertThat(a).containsEntry("startup_attempts", 6L).containsEntry("startups_succeeded", 4L);
    assertThat((Double) a.get("startup_success_rate")).isCloseTo(4 / 6.0, within(1e-9));
    // swapped away in s2 and s4; only s2 then found no orchestrator
    assertThat(a)
        .containsEntry("swapped_segments", 2L)
        .containsEntry("sessions_lost_after_swap", 1L);
    assertThat((Double) a.get("swap_rate")).isCloseTo(2 / 6.0, within(1e-9));
    assertThat((Double) a.get("lost_after_swap_rate")).isCloseTo(0.5, within(1e-9));
    // failed: s2 (no capacity), s3 (client gone), s4 (the orchestrator's)
    assertThat(a).containsEntry("failed_segments", 3L).containsEntry("failed_orchestrator", 1L)
        .containsEntry("failed_client_gone", 1L).containsEntry("failed_no_capacity", 1L);
    assertThat((Double) a.get("orchestrator_failure_rate")).isCloseTo(1 / 6.0, within(1e-9));
    assertThat((Double) a.get("excused_failure_rate")).isCloseTo(2 / 6.0, within(1e-9));
    // FPS by hour 20, 15, 14: two hours follow one with FPS, one fell by 20 % or more
    assertThat(a).containsEntry("fps_compared_hours", 2L).containsEntry("degraded_hours", 1L);
    assertThat((Double) a.get("degraded_rate")).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void
      breakdown_aCleanOrchestrator_hasZerosWithItsCounts_andNoDegradedRateWithoutAnHourToCompare() {
    Map<String, Object> b = row(B, List.of(Dimension.ORCHESTRATOR));
    assertThat(b).containsEntry("segments", 1L).containsEntry("startup_attempts", 1L)
        .containsEntry("startups_succeeded", 1L).containsEntry("swapped_segments", 0L)
        .containsEntry("failed_segments", 0L).containsEntry("fps_compared_hours", 0L);
    assertThat(b.get("lost_after_swap_rate")).isNull();
    assertThat(b.get("degraded_rate")).isNull();
    assertThat((Double) b.get("startup_success_rate")).isEqualTo(1.0);
  }
}
