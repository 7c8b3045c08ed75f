package dev.naap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the definitions of docs/METRICS.md on event sequences shaped like real production
 * events (../shared/reference/real-network.md), each worked by hand in the test.
 */
class Issue12RealNetworkTest {

  private static final String A = LiveEvents.A;
  private static final String B = LiveEvents.B;
  private static final long HOUR = 3_600_000;
  private final LiveEvents ev = new LiveEvents();
  private Store store;

  @BeforeEach
  void freshDatabase() {
    store = TestEngine.uniqueStore("issue12");
  }

  // ----- 1. restarts -----

  @Test
  void restart_aLifetimeCountThatNeverMoves_isNoRestartAndNoFailure() {
    // The runner restarted 5 h before the stream: count 2 and last_restart_time on every status.
    long restartedAt = LiveEvents.T0 - 5 * HOUR;
    write(ev.request("s1", 0), ev.ingest("s1", A, 1_000), ev.processed("s1", A, 2_000),
        restarts(ev.status("s1", A, 10_000, 20, "ONLINE"), 2, restartedAt),
        restarts(ev.status("s1", A, 20_000, 20, "ONLINE"), 2, restartedAt),
        restarts(ev.status("s1", A, 30_000, 20, "ONLINE"), 2, restartedAt));

    assertThat(
            single(
                "SELECT s.failed, s.saw_restart, s.restart_count_rose, sla.compliant FROM sessions"
                    + " AS s JOIN segment_sla AS sla USING (stream_id, request_id, segment_index)"))
        .containsEntry("failed", "false")
        .containsEntry("saw_restart", "false")
        .containsEntry("restart_count_rose", "false")
        .containsEntry("compliant", "true");
  }

  @Test
  void restart_aCountThatRisesMidSegment_failsIt() {
    long restartedAt = LiveEvents.T0 - 5 * HOUR;
    // 2, 2, then 3: the runner restarted between the second and third status.
    write(ev.request("s1", 0), ev.ingest("s1", A, 1_000), ev.processed("s1", A, 2_000),
        restarts(ev.status("s1", A, 10_000, 20, "ONLINE"), 2, restartedAt),
        restarts(ev.status("s1", A, 20_000, 20, "ONLINE"), 2, restartedAt),
        restarts(ev.status("s1", A, 30_000, 20, "ONLINE"), 3, restartedAt));

    assertThat(single("SELECT failed, saw_restart, restart_count_rose FROM sessions"))
        .containsEntry("failed", "true").containsEntry("saw_restart", "true")
        .containsEntry("restart_count_rose", "true");
  }

  @Test
  void restart_aLastRestartTimeAfterTheSegmentStart_failsIt_inSecondsOrMilliseconds() {
    // The count never moves (1, as on its first status), but the runner says it restarted 25 s
    // into the segment, which started at the ingest (1 s): once in float seconds, once in ms.
    double restartSeconds = (LiveEvents.T0 + 25_000) / 1000.0;
    write(ev.request("sec", 0), ev.ingest("sec", A, 1_000), ev.processed("sec", A, 2_000),
        restartsAt(ev.status("sec", A, 10_000, 20, "ONLINE"), 1, Double.toString(restartSeconds)),
        restartsAt(ev.status("sec", A, 30_000, 20, "ONLINE"), 1, Double.toString(restartSeconds)),
        ev.request("ms", 0), ev.ingest("ms", A, 1_000), ev.processed("ms", A, 2_000),
        restarts(ev.status("ms", A, 30_000, 20, "ONLINE"), 1, LiveEvents.T0 + 1_000));

    assertThat(
            rows("SELECT stream_id, failed, last_restart_time_ms FROM sessions ORDER BY stream_id"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            "ms true " + (LiveEvents.T0 + 1_000), "sec true " + (LiveEvents.T0 + 25_000));
  }

  /**
   * A runner keeps its last error, and its time, on the statuses of later streams until it
   * restarts, as it keeps its restart count. The error counts for the stream it happened in: at or
   * after the stream's start_time on the same status (the runner's clock), or without a time.
   */
  @Test
  void runnerError_carriedOverFromAnEarlierStream_isNoFailure_butOneDuringTheStreamIs() {
    long start = LiveEvents.T0 + 1_000;
    write(ev.request("carried", 0), ev.ingest("carried", A, 1_000),
        ev.processed("carried", A, 2_000),
        runnerError(ev.status("carried", A, 10_000, 20, "ONLINE"), start, LiveEvents.T0 - 600_000),
        runnerError(ev.status("carried", A, 20_000, 20, "ONLINE"), start, LiveEvents.T0 - 600_000),
        ev.request("during", 0), ev.ingest("during", A, 1_000), ev.processed("during", A, 2_000),
        ev.status("during", A, 10_000, 20, "ONLINE"),
        runnerError(ev.status("during", A, 30_000, 20, "ONLINE"), start, LiveEvents.T0 + 25_000),
        // seconds on both sides: 5 s after the start
        ev.request("seconds", 0), ev.ingest("seconds", A, 1_000),
        ev.processed("seconds", A, 2_000),
        runnerError(ev.status("seconds", A, 10_000, 20, "ONLINE"), start / 1000,
            start / 1000 + 5),
        // no start_time: the error cannot be placed, so it counts, as before
        ev.request("untimed", 0), ev.ingest("untimed", A, 1_000),
        ev.processed("untimed", A, 2_000),
        ev.status("untimed", A, 10_000, 20, "ONLINE")
            .replace("\"last_error\":null", "\"last_error\":\"Acceleration has failed.\","
                + "\"last_error_time\":" + (LiveEvents.T0 - 600_000)));

    assertThat(
            rows(
                "SELECT s.stream_id, s.failed, s.saw_last_error, sla.compliant FROM sessions AS s"
                    + " JOIN segment_sla AS sla USING (stream_id, request_id, segment_index)"
                    + " ORDER BY stream_id"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            "carried false false true",
            "during true true false",
            "seconds true true false",
            "untimed true true false");
  }

  // ----- 2 and 3. nodes and GPUs -----

  @Test
  void gpu_nineRunnersAllInSlotZero_areNineGpus_andTheNodeIsAmbiguous() {
    List<String> nine = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      nine.add("GPU-nine-" + i);
    }
    write(capabilities(-60_000, node(A, LiveEvents.nodeUrl(A), nine)),
        ev.request("s1", 0), ev.ingest("s1", A, 100), ev.processed("s1", A, 900),
        ev.status("s1", A, 10_000, 20, "ONLINE"));

    assertThat(
            single(
                "SELECT count() AS gpus, uniqExact(gpu_slot) AS slots FROM"
                    + " network_capability_node_gpus FINAL"))
        .containsEntry("gpus", "9")
        .containsEntry("slots", "1");
    assertThat(single("SELECT gpu_id, gpu_resolution FROM sessions"))
        .containsEntry("gpu_id", "").containsEntry("gpu_resolution", "ambiguous");
  }

  @Test
  void nodes_oneSignerWithThreeUrls_attributesTheGpuOfTheServingNodeOnly() {
    String u1 = "https://node-1.example.org:8935";
    String u2 = "https://node-2.example.org:8935";
    String u3 = "https://other.example.net:9000";
    write(
        capabilities(
            -60_000,
            node(A, u1, List.of("GPU-1")),
            node(A, u2, List.of("GPU-2")),
            node(A, u3, List.of("GPU-3"))),
        // served by node 2 (its traces name its URL; statuses carry no URL)
        onUrl(ev.request("on-2", 0), u2),
        onUrl(ev.ingest("on-2", A, 100), u2),
        onUrl(ev.processed("on-2", A, 900), u2),
        ev.status("on-2", A, 10_000, 20, "ONLINE"),
        // the same node, its URL spelled with a trailing slash and capitals
        onUrl(ev.request("on-2b", 0), u2),
        onUrl(ev.ingest("on-2b", A, 100), "HTTPS://NODE-2.example.org:8935/"),
        ev.status("on-2b", A, 10_000, 20, "ONLINE"),
        // no event names a URL: the signer's three GPUs are candidates
        onUrl(ev.request("no-url", 0), ""),
        onUrl(ev.ingest("no-url", A, 100), ""),
        onUrl(ev.processed("no-url", A, 900), ""),
        ev.status("no-url", A, 10_000, 20, "ONLINE"));

    assertThat(
            rows(
                "SELECT stream_id, orchestrator_address, node_key, node_source, gpu_id,"
                    + " gpu_resolution FROM sessions ORDER BY stream_id"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            "no-url " + A + " " + A + " address  ambiguous",
            "on-2 " + A + " " + u2 + " url GPU-2 capabilities",
            "on-2b " + A + " " + u2 + " url GPU-2 capabilities");
    assertThat(single("SELECT orchestrator_url FROM sessions WHERE stream_id = 'on-2'"))
        .containsEntry("orchestrator_url", u2);
  }

  @Test
  void gpu_aSnapshotOlderThanTheMaximumAge_isStale_untilTheAgeIsRaised() {
    // A's latest snapshot is 3 h older than its segment, B's 1 h: the default maximum age is 2 h.
    write(capabilities(-3 * HOUR, node(A, LiveEvents.nodeUrl(A), List.of("GPU-a"))),
        capabilities(-1 * HOUR, node(B, LiveEvents.nodeUrl(B), List.of("GPU-b"))),
        ev.request("on-a", 0), ev.ingest("on-a", A, 100), ev.processed("on-a", A, 900),
        ev.status("on-a", A, 10_000, 20, "ONLINE"),
        ev.request("on-b", 0), ev.ingest("on-b", B, 100), ev.processed("on-b", B, 900),
        ev.status("on-b", B, 10_000, 20, "ONLINE"));

    assertThat(rows("SELECT stream_id, gpu_id, gpu_resolution FROM sessions ORDER BY stream_id"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly("on-a  stale", "on-b GPU-b capabilities");

    store.execute(
        "INSERT INTO metric_settings VALUES ('gpu_snapshot_max_age_seconds', 4 * 3600, now64(3))");

    assertThat(single("SELECT gpu_id, gpu_resolution FROM sessions WHERE stream_id = 'on-a'"))
        .containsEntry("gpu_id", "GPU-a").containsEntry("gpu_resolution", "capabilities");
  }

  @Test
  void refresh_readsTheSnapshotsOfItsSegmentsTime_andStillTellsStaleFromUnknown() {
    // The refresh reads snapshots from 2 h (the maximum age) before the segments' first start to
    // their last end (V153). A's only snapshot is 3 h old, outside that: still 'stale', not
    // 'unknown'. B's, 1 h old, is inside. C's comes an hour after its segment ended: 'unknown'.
    // GPU-b's memory is missing from its latest snapshot: the one before it stands.
    String c = "0xcccc000000000000000000000000000000000003";
    write(capabilities(-3 * HOUR, node(A, LiveEvents.nodeUrl(A), List.of("GPU-a"))),
        capabilities(-1 * HOUR, node(B, LiveEvents.nodeUrl(B), List.of("GPU-b"))),
        capabilities(-HOUR / 2, node(B, LiveEvents.nodeUrl(B), List.of("GPU-b"))
            .replace(",\"memory_total\":102000000000", "")),
        capabilities(HOUR, node(c, LiveEvents.nodeUrl(c), List.of("GPU-c"))),
        ev.request("on-a", 0), ev.ingest("on-a", A, 100), ev.processed("on-a", A, 900),
        ev.status("on-a", A, 10_000, 20, "ONLINE"),
        ev.request("on-b", 0), ev.ingest("on-b", B, 100), ev.processed("on-b", B, 900),
        ev.status("on-b", B, 10_000, 20, "ONLINE"),
        ev.request("on-c", 0), ev.ingest("on-c", c, 100), ev.processed("on-c", c, 900),
        ev.status("on-c", c, 10_000, 20, "ONLINE"));
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

    String columns = "stream_id, gpu_id, gpu_resolution, gpu_model, gpu_memory_bytes";
    String segments = " WHERE segment_index >= 1 ORDER BY stream_id";
    assertThat(rows("SELECT " + columns + " FROM segment_facts_current" + segments))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            "on-a  stale  \\N",
            "on-b GPU-b capabilities NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition"
                + " 102000000000",
            "on-c  unknown  \\N");
    // The same as the view over every snapshot.
    assertThat(rows("SELECT " + columns + " FROM segment_facts_source" + segments))
        .isEqualTo(rows("SELECT " + columns + " FROM segment_facts_current" + segments));
  }

  // ----- 4. no orchestrator -----

  @Test
  void noOrchestrator_theTimeoutErrorIsUnmetDemand_matchedInItsForms_andOtherErrorsAreNot() {
    write(
        ev.request("timeout", 0),
        gatewayError("timeout", 2_000, "no orchestrators available within 2s timeout"),
        ev.request("caps", 0),
        gatewayError("caps", 2_000, "Stream error: No Orchestrators  Available"),
        ev.request("one", 0),
        gatewayError("one", 2_000, "failed: no orchestrator available"),
        ev.request("underscored", 0),
        gatewayError("underscored", 2_000, "Stream error: no_orchestrators_available"),
        // served, then errors after the close that belong to no segment and are no unmet demand
        ev.request("served", 0),
        ev.ingest("served", A, 1_000),
        ev.processed("served", A, 2_000),
        gatewayError(
            "served",
            60_000,
            "Error publishing, wrote 10 dropping Post "
                + "https://gw/ai/trickle/x: connection reset by peer"),
        gatewayError(
            "served",
            60_100,
            "trickle subscribe error reading: Channel exists but sequence does not"));

    assertThat(
            rows(
                "SELECT stream_id, segment_index, no_orchestrator, failed FROM sessions ORDER BY"
                    + " stream_id"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            "caps 0 true false",
            "one 0 true false",
            "served 1 false false",
            "timeout 0 true false",
            "underscored 0 true false");
  }

  // ----- 5. swaps back to the same orchestrator -----

  @Test
  void swap_backToTheSameUrl_givesTwoSegments_eachWithItsOwnStartup() {
    // Attempt 1 on A: ingest 10 s after the request, first frame 1.2 s later, then "stream not
    // found" at 20 s; the gateway re-selects A (same URL): ingest at 20.5 s, first frame at 21.5 s.
    write(
        ev.request("s1", 0),
        ev.ingest("s1", A, 10_000),
        ev.processed("s1", A, 11_200),
        ev.status("s1", A, 15_000, 18, "ONLINE"),
        swap("s1", A, 20_000, "trickle subscribe stopping, stream not found"),
        ev.ingest("s1", A, 20_500),
        ev.processed("s1", A, 21_500),
        ev.status("s1", A, 30_000, 20, "ONLINE"),
        ev.status("s1", A, 40_000, 22, "ONLINE"));

    assertThat(
            rows(
                "SELECT segment_index, orchestrator_address, node_key, swapped_out, ptff_ms,"
                    + " orchestrator_startup_ms, selection_wait_ms, fps_samples, failed FROM"
                    + " sessions ORDER BY segment_index"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            // ptff = 11200 - 0; startup = 11200 - 10000; wait = 10000 - 0 (request)
            "1 " + A + " " + LiveEvents.nodeUrl(A) + " true 11200 1200 10000 1 false",
            // ptff = startup = 21500 - 20500; wait = 20500 - 20000 (the swap)
            "2 " + A + " " + LiveEvents.nodeUrl(A) + " false 1000 1000 500 2 false");
  }

  @Test
  void swap_aFailedAttemptIsItsOwnFailedSegment_andTheAttemptThatServedIsClean() {
    write(
        ev.request("s1", 0),
        ev.ingest("s1", A, 9_000),
        swap("s1", A, 12_000, "orchestrator is slow"),
        ev.ingest("s1", A, 12_100),
        ev.processed("s1", A, 13_000),
        ev.status("s1", A, 20_000, 20, "ONLINE"));

    assertThat(
            rows(
                "SELECT segment_index, swapped_out, no_output, failed FROM sessions ORDER BY"
                    + " segment_index"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly("1 true true true", "2 false false false");
  }

  /**
   * Segments follow the gateway's order, not a runner's clock: A loses its trickle stream 1 s
   * after its first ingest and the gateway moves to B, whose runner's clock runs 3 s behind, so
   * B's runner_receive_first_ingest_segment (received at 13.3 s) says 10.302 s, before A's ingest.
   */
  @Test
  void swap_toARunnerWhoseClockIsBehind_keepsTheGatewaysOrderOfAttempts() {
    String bReceived = ev.trace("s1", "runner_receive_first_ingest_segment", B, 13_300)
        .replace("\"timestamp\":" + (LiveEvents.T0 + 13_300) + ",",
            "\"timestamp\":" + (LiveEvents.T0 + 10_302) + ",");
    write(
        ev.request("s1", 0),
        ev.ingest("s1", A, 12_000),
        ev.trace("s1", "runner_receive_first_ingest_segment", A, 12_000),
        swap("s1", A, 13_000, "trickle subscribe stopping, stream not found, err=End of stream"),
        ev.ingest("s1", B, 13_300),
        bReceived,
        ev.processed("s1", B, 14_500),
        ev.statusFromRunnerAhead("s1", B, 20_000, -3_000, 20),
        ev.statusFromRunnerAhead("s1", B, 30_000, -3_000, 20));

    assertThat(
            rows(
                "SELECT segment_index, orchestrator_address, swapped_out, failed, ptff_ms,"
                    + " orchestrator_startup_ms, selection_wait_ms FROM sessions ORDER BY"
                    + " segment_index"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            // A: ingest and no output; wait = 12000 - 0 (the request)
            "1 " + A + " true true \\N \\N 12000",
            // B: ptff = startup = 14500 - 13300; wait = 13300 - 13000 (A's swap)
            "2 " + B + " false false 1200 1200 300");
  }

  // ----- 6. the three latencies and the fair SLA -----

  @Test
  void latencies_aFifteenSecondSelectionWait_isNotChargedToTheOrchestrator() {
    write(ev.request("s1", 0), ev.ingest("s1", A, 15_000), ev.processed("s1", A, 16_200),
        ev.status("s1", A, 20_000, 20, "ONLINE"), ev.status("s1", A, 30_000, 20, "ONLINE"),
        ev.status("s1", A, 40_000, 20, "ONLINE"));

    assertThat(
            single(
                "SELECT s.ptff_ms, s.selection_wait_ms, s.orchestrator_startup_ms,"
                    + " sla.violates_ptff, sla.violates_startup, sla.compliant FROM sessions AS s"
                    + " JOIN segment_sla AS sla USING (stream_id, request_id, segment_index)"))
        .containsEntry("ptff_ms", "16200")
        .containsEntry("selection_wait_ms", "15000")
        .containsEntry("orchestrator_startup_ms", "1200")
        .containsEntry("violates_ptff", "true")
        .containsEntry("violates_startup", "false")
        .containsEntry("compliant", "true");
  }

  // ----- 7. test-load rules -----

  @Test
  void testLoad_operatorRulesByStreamIdAndGateway_markSessionsWithoutAnyFlag() {
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    LiveEvents tester = new LiveEvents().onGateway("cloud-spe-ai-live-video-tester-fra");
    write(ev.request("aiJobTesterStream-1767900000000000000", 0), ev.request("user", 0),
        tester.request("probe", 0), ev.request("aiJobTesterStreamX", 0));

    assertThat(rows("SELECT stream_id, is_test_load FROM sessions ORDER BY stream_id"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly("aiJobTesterStream-1767900000000000000 true", "aiJobTesterStreamX false",
            "probe true", "user false");

    new TestLoadRules(List.of("user"), List.of()).save(store, Clock.systemUTC());

    assertThat(rows("SELECT stream_id FROM sessions WHERE is_test_load ORDER BY stream_id"))
        .extracting(r -> r.get("stream_id")).containsExactly("user");
  }

  /**
   * An operator sets rules on a store whose sessions were computed without them: the next refresh
   * recomputes the sessions a changed rule matches, though none of their events came again. The
   * same rules saved again (a restart) recompute nothing; rules removed unmark them.
   */
  @Test
  void rollups_rulesChangedAfterTheSessionsWereComputed_remarkThemAtTheNextRefresh()
      throws InterruptedException {
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    LiveEvents tester = new LiveEvents().onGateway("cloud-spe-ai-live-video-tester-fra");
    write(ev.request("aiJobTesterStream-1", 0), ev.ingest("aiJobTesterStream-1", A, 1_000),
        ev.processed("aiJobTesterStream-1", A, 2_000), ev.request("user", 0),
        ev.ingest("user", A, 1_000), ev.processed("user", A, 2_000), tester.request("probe", 0),
        tester.ingest("probe", B, 1_000), tester.processed("probe", B, 2_000));
    refresher.refreshUpTo(Instant.now());
    String marked = "SELECT stream_id, is_test_load FROM segment_facts_current ORDER BY ALL";
    String counted = "SELECT is_test_load, sum(sessions_requested) AS sessions FROM"
        + " rollup_hour_current GROUP BY is_test_load ORDER BY is_test_load";
    assertThat(rows(counted)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("false 3");

    Thread.sleep(5); // saved after the refresh's watermark, as by an ingest started later
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    assertThat(refresher.refreshUpTo(Instant.now()).sessions()).isEqualTo(2);
    assertThat(rows(marked)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("aiJobTesterStream-1 true", "probe true", "user false");
    assertThat(rows(counted)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("false 1", "true 2");

    Thread.sleep(5);
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    assertThat(refresher.refreshUpTo(Instant.now()).sessions()).isZero();

    Thread.sleep(5);
    new TestLoadRules(List.of(), List.of("cloud-spe-*")).save(store, Clock.systemUTC());
    assertThat(refresher.refreshUpTo(Instant.now()).sessions()).isEqualTo(2);
    assertThat(rows(marked)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("aiJobTesterStream-1 false", "probe true", "user false");
    assertThat(rows(marked)).isEqualTo(rows(marked.replace("segment_facts_current",
        "segment_facts_source")));
  }

  /**
   * The operator changes the SLA targets after the segments were judged: the next refresh judges
   * the stored sessions of the pipelines the new row covers again, though none of their events
   * came again, so the reports never show a verdict beside targets it was not made by.
   */
  @Test
  void rollups_slaTargetsChangedAfterTheSegmentsWereJudged_rejudgeThemAtTheNextRefresh()
      throws InterruptedException {
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    // orchestrator startup: first processed segment 3.0 s minus ingest 1.0 s = 2 000 ms
    write(ev.request("s1", 0), ev.ingest("s1", A, 1_000), ev.processed("s1", A, 3_000),
        ev.status("s1", A, 10_000, 20, "ONLINE"), ev.status("s1", A, 20_000, 20, "ONLINE"));
    refresher.refreshUpTo(Instant.now());
    String judged = "SELECT orchestrator_startup_ms, compliant FROM segment_facts_current"
        + " WHERE segment_index >= 1";
    String counted = "SELECT sum(segments), sum(compliant_segments) FROM rollup_hour_current";
    assertThat(rows(judged)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("2000 true");

    Thread.sleep(5); // saved after the refresh's watermark
    store.execute("INSERT INTO sla_targets (pipeline, ptff_ms, fps, jitter, objective,"
        + " updated_at, startup_ms) VALUES ('streamdiffusion', 5000, 15, 0.25, 0.99, now64(3),"
        + " 1500)");
    assertThat(refresher.refreshUpTo(Instant.now()).sessions()).isEqualTo(1);
    assertThat(rows(judged)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("2000 false");
    assertThat(rows(counted)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("1 0");

    // Nothing saved since: nothing judged again.
    assertThat(refresher.refreshUpTo(Instant.now()).sessions()).isZero();

    // The defaults' row ('') covers every pipeline, so the session is judged again, but this
    // pipeline's own row still wins: still in violation.
    Thread.sleep(5);
    store.execute("INSERT INTO sla_targets (pipeline, ptff_ms, fps, jitter, objective,"
        + " updated_at, startup_ms) VALUES ('', 5000, 15, 0.25, 0.99, now64(3), 2500)");
    assertThat(refresher.refreshUpTo(Instant.now()).sessions()).isEqualTo(1);
    assertThat(rows(counted)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("1 0");

    // Its own row raised above the startup: compliant again.
    Thread.sleep(5);
    store.execute("INSERT INTO sla_targets (pipeline, ptff_ms, fps, jitter, objective,"
        + " updated_at, startup_ms) VALUES ('streamdiffusion', 5000, 15, 0.25, 0.99, now64(3),"
        + " 2500)");
    assertThat(refresher.refreshUpTo(Instant.now()).sessions()).isEqualTo(1);
    assertThat(rows(counted)).extracting(r -> String.join(" ", r.values()))
        .containsExactly("1 1");
    assertThat(rows(judged)).isEqualTo(rows(judged.replace("segment_facts_current",
        "segment_facts_source")));
  }

  // ----- the rollups carry it all -----

  /**
   * The snapshot that resolves a segment's GPU arrives after the segment's events were refreshed
   * (delivered late, or on a partition that was behind): the next refresh resolves it, though no
   * event of the session came again. Found with the Kafka ground-truth test on seed 99.
   */
  @Test
  void rollups_aSnapshotIngestedAfterTheSegmentsItResolves_resolvesThemAtTheNextRefresh()
      throws InterruptedException {
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    String c = "0xcccc000000000000000000000000000000000003";
    write(ev.request("s1", 0), ev.ingest("s1", A, 10_000), ev.processed("s1", A, 11_200),
        ev.status("s1", A, 20_000, 20, "ONLINE"),
        // B's segment is reported by its status: a snapshot never changes it
        ev.request("s2", 0), ev.ingest("s2", B, 5_000), ev.processed("s2", B, 6_000),
        ev.status("s2", B, 10_000, 20, "ONLINE").replace("\"state\":",
            "\"gpu_id\":\"GPU-b-reported\",\"state\":"),
        // C's segment runs from 101 s to 200 s
        ev.request("s3", 100_000), ev.ingest("s3", c, 101_000), ev.processed("s3", c, 102_000),
        ev.status("s3", c, 110_000, 20, "ONLINE"), ev.status("s3", c, 200_000, 20, "ONLINE"));
    refresher.refreshUpTo(Instant.now());
    String resolutions = "SELECT sum(gpu_unknown) AS unknown, sum(gpu_capabilities) AS"
        + " capabilities, sum(gpu_reported) AS reported FROM rollup_hour_current";
    assertThat(single(resolutions)).containsEntry("unknown", "2")
        .containsEntry("capabilities", "0").containsEntry("reported", "1");

    Thread.sleep(5); // ingested after the refresh's watermark
    // Listed a minute before the first segments started (A's one GPU, B's), and C's one GPU
    // halfway through its segment, with no snapshot of C before it: the first within the segment.
    write(capabilities(-60_000, node(A, LiveEvents.nodeUrl(A), List.of("GPU-a")),
            node(B, LiveEvents.nodeUrl(B), List.of("GPU-b"))),
        capabilities(150_000, node(c, LiveEvents.nodeUrl(c), List.of("GPU-c"))));
    refresher.refreshUpTo(Instant.now());

    assertThat(single(resolutions)).containsEntry("unknown", "0")
        .containsEntry("capabilities", "2").containsEntry("reported", "1");
    assertThat(single("SELECT groupArray(gpu_id) AS gpus FROM (SELECT gpu_id FROM"
        + " rollup_hour_current ORDER BY gpu_id)"))
        .containsEntry("gpus", "['GPU-a','GPU-b-reported','GPU-c']");
  }

  /**
   * Scraped metadata versions written after the segments they resolve. A ran a session before
   * the scraper first saw it: its first version, with a region, gives that session its region
   * (not its GPU: metadata is valid from its version on). B's gateway runs 30 s ahead of the
   * scraper, so B's session starts after B's new version opened but was computed before it was
   * written: the version gives it its region and GPU. A version closed meanwhile touches nothing.
   * After the next refresh the rows equal the view's.
   */
  @Test
  void rollups_aMetadataVersionWrittenAfterTheSegmentsItResolves_resolvesThemAtTheNextRefresh()
      throws InterruptedException {
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    long now = System.currentTimeMillis();
    opened(B, now - 86_400_000L, "us-east");
    LiveEvents past = new LiveEvents(now - 60_000);
    LiveEvents ahead = new LiveEvents(now + 30_000);
    write(past.request("s1", 0), past.ingest("s1", A, 1_000), past.processed("s1", A, 2_000),
        past.status("s1", A, 10_000, 20, "ONLINE"),
        ahead.request("s2", 0), ahead.ingest("s2", B, 1_000), ahead.processed("s2", B, 2_000),
        ahead.status("s2", B, 10_000, 20, "ONLINE"));
    refresher.refreshUpTo(Instant.now());
    String segments = "SELECT stream_id, region, gpu_id, gpu_resolution FROM %s ORDER BY ALL";
    assertThat(rows(segments.formatted("segment_facts_current")))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly("s1 \\N  unknown", "s2 us-east  unknown");

    Thread.sleep(5); // written after the refresh's watermark
    long opened = System.currentTimeMillis();
    opened(A, opened, "eu-west");
    opened(B, opened, "eu-central", "GPU-b");
    store.execute("INSERT INTO orchestrator_versions (source, orch_uri, address, local_address,"
        + " region, valid_from, valid_to, written_at) VALUES ('gw', '" + LiveEvents.nodeUrl(B)
        + "', '0xd', '" + B + "', 'us-east', fromUnixTimestamp64Milli(" + (now - 86_400_000L)
        + "), fromUnixTimestamp64Milli(" + opened + "), fromUnixTimestamp64Milli(" + opened
        + "))");
    assertThat(single("SELECT count() AS n FROM version_touches WHERE opened_at > now64(3) -"
        + " INTERVAL 1 HOUR")).containsEntry("n", "2");
    refresher.refreshUpTo(Instant.now());

    assertThat(rows(segments.formatted("segment_facts_current")))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly("s1 eu-west  unknown", "s2 eu-central GPU-b metadata");
    assertThat(rows(segments.formatted("segment_facts_current")))
        .isEqualTo(rows(segments.formatted("segment_facts_source")));
    assertThat(single("SELECT groupArray(region) AS regions FROM (SELECT region FROM"
        + " rollup_hour_current ORDER BY region)"))
        .containsEntry("regions", "['eu-central','eu-west']");
  }

  /**
   * A scraped metadata version of {@code orchestrator} opened at {@code atMs} (written then, as
   * the scraper writes it), in {@code region}, advertising {@code gpuIds} for streamdiffusion.
   */
  private void opened(String orchestrator, long atMs, String region, String... gpuIds) {
    String uri = LiveEvents.nodeUrl(orchestrator);
    String at = "fromUnixTimestamp64Milli(" + atMs + ")";
    for (int i = 0; i < gpuIds.length; i++) {
      store.execute("INSERT INTO orchestrator_version_gpus (source, orch_uri, valid_from, pipeline,"
          + " model_id, gpu_slot, gpu_id, gpu_name, memory_total_bytes) VALUES ('gw', '" + uri
          + "', " + at + ", 'live-video-to-video', 'streamdiffusion', '" + i + "', '" + gpuIds[i]
          + "', 'NVIDIA L40S', 48000000000)");
    }
    store.execute("INSERT INTO orchestrator_versions (source, orch_uri, address, local_address,"
        + " region, valid_from, written_at) VALUES ('gw', '" + uri + "', '0xd', '" + orchestrator
        + "', '" + region + "', " + at + ", " + at + ")");
  }

  /**
   * A segment that ended before any event of its own named the pipeline (traces carry none, no
   * status came): a gateway error after it named it. The segment is counted under that pipeline,
   * and its GPU is looked up there. Found with the Kafka ground-truth test on seed 99.
   */
  @Test
  void rollups_aSegmentWhosePipelineOnlyItsSessionNamed_resolvesItsGpuUnderThatPipeline() {
    write(capabilities(-60_000, node(A, LiveEvents.nodeUrl(A), List.of("GPU-a"))),
        ev.request("s1", 0), ev.ingest("s1", A, 10_000),
        ev.trace("s1", "gateway_ingest_stream_closed", "", 10_100),
        gatewayError("s1", 10_900, "Error publishing, dropping segment").replace(
            "\"pipeline\":\"\"", "\"pipeline\":\"streamdiffusion\""));
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

    assertThat(single("SELECT pipeline, gpu_resolution, gpu_id FROM segment_facts_current"
        + " WHERE segment_index >= 1"))
        .containsEntry("pipeline", "streamdiffusion")
        .containsEntry("gpu_resolution", "capabilities")
        .containsEntry("gpu_id", "GPU-a");
  }

  @Test
  void rollups_countStartupWaitAndGpuResolutions_asTheSegmentsSay() {
    write(
        capabilities(-60_000, node(A, LiveEvents.nodeUrl(A), List.of("GPU-a"))),
        ev.request("s1", 0),
        ev.ingest("s1", A, 10_000),
        ev.processed("s1", A, 11_200),
        swap("s1", A, 20_000, "stream not found"),
        ev.ingest("s1", A, 20_500),
        ev.processed("s1", A, 27_500),
        ev.status("s1", A, 30_000, 20, "ONLINE"),
        ev.request("s2", 0),
        ev.ingest("s2", B, 5_000),
        ev.processed("s2", B, 6_000),
        ev.status("s2", B, 10_000, 20, "ONLINE"));
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now().plusSeconds(1));

    // Segments: s1#1 (startup 1200, wait 10000), s1#2 (startup 7000 > 5000, wait 500), s2#1
    // (startup 1000, wait 5000). GPUs: A's two segments resolve from capabilities, B's is unknown.
    assertThat(
            single(
                "SELECT sum(segments) AS segments, sum(violations_startup) AS startup_violations,"
                    + " sum(startup_ms_count) AS startups, sum(startup_ms_sum) AS startup_sum,"
                    + " sum(selection_wait_ms_count) AS waits, sum(selection_wait_ms_sum) AS"
                    + " wait_sum, sum(gpu_capabilities) AS capabilities, sum(gpu_unknown) AS"
                    + " unknown, sum(gpu_ambiguous) AS ambiguous FROM rollup_hour_current"))
        .containsEntry("segments", "3")
        .containsEntry("startup_violations", "1")
        .containsEntry("startups", "3")
        .containsEntry("startup_sum", String.valueOf(1_200 + 7_000 + 1_000))
        .containsEntry("waits", "3")
        .containsEntry("wait_sum", String.valueOf(10_000 + 500 + 5_000))
        .containsEntry("capabilities", "2")
        .containsEntry("unknown", "1")
        .containsEntry("ambiguous", "0");
    assertThat(
            single(
                "SELECT count() AS n, sum(length(fps_values)) AS samples FROM"
                    + " segment_facts_current"))
        .containsEntry("n", "3")
        .containsEntry("samples", "2");
  }

  // ----- event builders -----

  /**
   * A status whose runner reports a lifetime restart count and the time of its last restart (ms).
   */
  private static String restarts(String status, int count, long lastRestartMs) {
    return restartsAt(status, count, Long.toString(lastRestartMs));
  }

  private static String restartsAt(String status, int count, String lastRestartTime) {
    return status.replace(
        "\"restart_count\":0",
        "\"restart_count\":" + count + ",\"last_restart_time\":" + lastRestartTime);
  }

  /** The status with a runner error at {@code errorAt} in a stream the runner started at. */
  private static String runnerError(String status, long startTime, long errorAt) {
    String withError = status.replace("\"last_error\":null",
        "\"last_error\":\"[update_params] Acceleration has failed.\",\"last_error_time\":"
            + errorAt);
    return withError.replace("\"stream_id\":", "\"start_time\":" + startTime
        + ",\"stream_id\":");
  }

  /** The event with its orchestrator URL replaced by {@code url} ("" for none). */
  private static String onUrl(String event, String url) {
    return event.replace("\"url\":\"" + LiveEvents.nodeUrl(A) + "\"", "\"url\":\"" + url + "\"");
  }

  private String swap(String stream, String orch, long t, String message) {
    return ev.swap(stream, orch, t)
        .replace("\"message\":\"slow\"", "\"message\":\"" + message + "\"");
  }

  /** A gateway error as go-livepeer's LiveErrorEventSender sends it: no orchestrator_info. */
  private String gatewayError(String stream, long t, String message) {
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

  /**
   * One orchestrator entry of network_capabilities: one hardware entry per runner, its GPU in slot
   * "0".
   */
  private static String node(String localAddress, String url, List<String> runnerGpus) {
    List<String> hardware = new ArrayList<>();
    for (String gpu : runnerGpus) {
      hardware.add(
          "{\"pipeline\":\"live-video-to-video\",\"model_id\":\"streamdiffusion\",\"gpu_info\":{\"0\":"
              + "{\"id\":\""
              + gpu
              + "\",\"name\":\"NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition\","
              + "\"major\":12,\"memory_free\":1,\"memory_total\":102000000000}}}");
    }
    return "{\"address\":\"0xd000000000000000000000000000000000000000\",\"local_address\":\""
        + localAddress
        + "\",\"orch_uri\":\""
        + url
        + "\",\"capabilities\":{\"bitstring\":[0],\"version\":\"0.8.8\"},"
        + "\"capabilities_prices\":null,\"hardware\":["
        + String.join(",", hardware)
        + "]}";
  }

  private String capabilities(long t, String... nodes) {
    return ev.envelope("network_capabilities", t, "[" + String.join(",", nodes) + "]");
  }

  // ----- plumbing -----

  private void write(String... events) {
    LiveEvents.write(store, List.of(events), Clock.systemUTC());
  }

  private Map<String, String> single(String sql) {
    List<Map<String, String>> rows = rows(sql);
    assertThat(rows).hasSize(1);
    return rows.getFirst();
  }

  private List<Map<String, String>> rows(String sql) {
    List<String> lines =
        new String(store.query(sql, Map.of(), "TabSeparatedWithNames"), StandardCharsets.UTF_8)
            .lines()
            .toList();
    String[] names = lines.getFirst().split("\t", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] values = line.split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        row.put(names[i], values[i]);
      }
      rows.add(row);
    }
    return rows;
  }
}
