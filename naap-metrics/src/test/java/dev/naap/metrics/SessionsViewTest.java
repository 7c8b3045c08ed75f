package dev.naap.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventFixtures;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.Message;
import dev.naap.ingest.Origin;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code sessions} view (docs/METRICS.md), fed through the real ingest writer: the real capture
 * and small hand-worked event sequences whose expected values are computed in each test.
 */
class SessionsViewTest {

  private static final String A = LiveEvents.A;
  private static final String B = LiveEvents.B;
  private final LiveEvents ev = new LiveEvents();
  private Store store;

  @BeforeEach
  void freshDatabase() {
    store = TestEngine.uniqueStore("sessions");
  }

  @Test
  void realCapture_givesTheNumbersWorkedOutByHand() {
    new FileImport(writer(), 100).importFile(EventFixtures.captureFile());

    Map<String, String> row = single("SELECT * FROM sessions");

    // 947953 - 945298: first processed segment minus the stream request, gateway clock.
    assertThat(row.get("ptff_ms")).isEqualTo("2655");
    // 945298 -> 947583 (first ingest) -> 947953 (first processed segment): 2285 + 370 ms.
    assertThat(row.get("selection_wait_ms")).isEqualTo("2285");
    assertThat(row.get("orchestrator_startup_ms")).isEqualTo("370");
    assertThat(row.get("node_key")).isEqualTo("https://rtav-orch2.xodeapp.xyz:28935");
    assertThat(row.get("node_source")).isEqualTo("url");
    assertThat(row.get("fps_samples")).isEqualTo("17");
    assertThat(Double.parseDouble(row.get("fps_mean"))).isCloseTo(16.00, within(0.005));
    assertThat(Double.parseDouble(row.get("jitter_coefficient")))
        .isCloseTo(0.1163, within(0.00005));
    // 8 x (28303758 - 477890) bytes over 165 s between the first and last ingest sample.
    assertThat(Double.parseDouble(row.get("up_kbps")))
        .isCloseTo(8 * 27_825_868 / 165.0 / 1000, within(1e-6));
    assertThat(Double.parseDouble(row.get("down_kbps")))
        .isCloseTo(8 * (124_129 - 4_013) / 165.0 / 1000, within(1e-6));
    assertThat(row.get("failed")).isEqualTo("false");
    assertThat(row.get("gateway")).isEqualTo("unknown");
    assertThat(row.get("gpu_id")).isEqualTo("GPU-a8d13655-197b-2226-d09f-b4b81e07504b");
    assertThat(row.get("gpu_resolution")).isEqualTo("capabilities");
    assertThat(row.get("gpu_model")).isEqualTo("NVIDIA GeForce RTX 5090");
    assertThat(row.get("region")).isEqualTo("\\N");
  }

  @Test
  void fps_zeroSamplesAreLeftOut_andJitterIsPopulationDeviationOverMean() {
    write(ev.request("s1", 0), ev.ingest("s1", A, 1_000), ev.processed("s1", A, 2_000),
        ev.status("s1", A, 10_000, 0.0, "LOADING"), ev.status("s1", A, 20_000, 10.0, "ONLINE"),
        ev.status("s1", A, 30_000, 20.0, "ONLINE"), ev.status("s1", A, 40_000, 30.0, "ONLINE"));

    Map<String, String> row = single("SELECT * FROM sessions");

    assertThat(row.get("fps_samples")).isEqualTo("3");
    assertThat(Double.parseDouble(row.get("fps_mean"))).isCloseTo(20.0, within(1e-9));
    // population deviation of 10, 20, 30 = sqrt(200 / 3); over the mean 20
    assertThat(Double.parseDouble(row.get("jitter_coefficient")))
        .isCloseTo(Math.sqrt(200.0 / 3) / 20, within(1e-9));
    assertThat(row.get("ptff_ms")).isEqualTo("2000");
  }

  @Test
  void jitter_withFewerThanThreeSamples_isNull() {
    write(ev.request("s1", 0), ev.ingest("s1", A, 1_000), ev.processed("s1", A, 1_500),
        ev.status("s1", A, 10_000, 18.0, "ONLINE"));

    Map<String, String> row = single("SELECT * FROM sessions");

    assertThat(row.get("fps_samples")).isEqualTo("1");
    assertThat(row.get("fps_mean")).isEqualTo("18");
    assertThat(row.get("jitter_coefficient")).isEqualTo("\\N");
  }

  @Test
  void swap_endsTheFirstSegment_andTheSecondStartsFromItsOwnIngest() {
    write(ev.request("s1", 1_000), ev.ingest("s1", A, 2_000), ev.processed("s1", A, 3_500),
        ev.swap("s1", A, 10_000), ev.ingest("s1", B, 11_000), ev.processed("s1", B, 11_800),
        ev.status("s1", B, 20_000, 25.0, "ONLINE"));

    List<Map<String, String>> rows = rows("SELECT * FROM sessions ORDER BY segment_index");

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0))
        .containsEntry("orchestrator_address", A)
        .containsEntry("segment_index", "1")
        .containsEntry("ptff_ms", "2500")
        .containsEntry("swapped_out", "true");
    assertThat(rows.get(1))
        .containsEntry("orchestrator_address", B)
        .containsEntry("segment_index", "2")
        .containsEntry("ptff_ms", "800")
        .containsEntry("swapped_out", "false");
  }

  @Test
  void swapBackToTheSameOrchestrator_statusesGoToTheAttemptTheGatewayReceivedThemIn() {
    // The runner's clock runs 2.5 s ahead of the gateway's. The status the gateway received at
    // 10 500, in the first attempt, carries 13 000: after the second attempt's ingest at 11 800.
    write(ev.request("s1", 0), ev.ingest("s1", A, 10_000),
        ev.statusFromRunnerAhead("s1", A, 10_500, 2_500, 12.0),
        ev.swap("s1", A, 11_000), ev.ingest("s1", A, 11_800), ev.processed("s1", A, 12_600),
        ev.statusFromRunnerAhead("s1", A, 20_500, 2_500, 24.0),
        ev.statusFromRunnerAhead("s1", A, 30_500, 2_500, 26.0));

    List<Map<String, String>> rows = rows("SELECT * FROM sessions ORDER BY segment_index");

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0))
        .containsEntry("orchestrator_address", A)
        .containsEntry("swapped_out", "true")
        .containsEntry("fps_samples", "1")
        .containsEntry("fps_mean", "12");
    assertThat(rows.get(1))
        .containsEntry("orchestrator_address", A)
        .containsEntry("swapped_out", "false")
        .containsEntry("fps_samples", "2")
        .containsEntry("fps_mean", "25");
  }

  @Test
  void failure_errorStateRestartLastErrorOrNoOutput_eachFailTheSegment() {
    write(
        ev.request("ok", 0),
        ev.ingest("ok", A, 100),
        ev.processed("ok", A, 900),
        ev.status("ok", A, 10_000, 20, "ONLINE"),
        ev.request("err", 0),
        ev.ingest("err", A, 100),
        ev.processed("err", A, 900),
        ev.status("err", A, 10_000, 20, "ERROR"),
        ev.request("rst", 0),
        ev.ingest("rst", A, 100),
        ev.processed("rst", A, 900),
        ev.restart("rst", A, 5_000),
        ev.request("last", 0),
        ev.ingest("last", A, 100),
        ev.processed("last", A, 900),
        ev.statusWithError("last", A, 10_000, "CUDA out of memory"),
        ev.request("dark", 0),
        ev.ingest("dark", A, 100),
        ev.status("dark", A, 10_000, 0, "LOADING"),
        ev.request("none", 0),
        ev.noOrchestrators("none", 200));

    assertThat(
            rows(
                "SELECT stream_id, segment_index, failed, no_orchestrator FROM sessions ORDER BY"
                    + " stream_id"))
        .extracting(
            r ->
                r.get("stream_id")
                    + " "
                    + r.get("segment_index")
                    + " "
                    + r.get("failed")
                    + " "
                    + r.get("no_orchestrator"))
        .containsExactly(
            "dark 1 true false",
            "err 1 true false",
            "last 1 true false",
            "none 0 false true",
            "ok 1 false false",
            "rst 1 true false");
  }

  @Test
  void bandwidth_counterResetCountsTheNewValueFromZero() {
    // BytesReceived 1000, 3000, 500 (reset), 1500 over 15 s: deltas 2000 + 500 + 1000 = 3500 bytes.
    write(
        ev.request("s1", 0),
        ev.ingestMetrics("s1", 0, 1_000, 100),
        ev.ingestMetrics("s1", 5_000, 3_000, 200),
        ev.ingestMetrics("s1", 10_000, 500, 50),
        ev.ingestMetrics("s1", 15_000, 1_500, 350));

    Map<String, String> row = single("SELECT * FROM sessions");

    assertThat(Double.parseDouble(row.get("up_kbps")))
        .isCloseTo(8 * 3500 / 15.0 / 1000, within(1e-9));
    assertThat(row.get("up_bytes")).isEqualTo("4500");
    // BytesSent 100, 200, 50 (reset), 350: deltas 100 + 50 + 300 = 450
    assertThat(Double.parseDouble(row.get("down_kbps")))
        .isCloseTo(8 * 450 / 15.0 / 1000, within(1e-9));
  }

  @Test
  void gpu_oneCandidateResolves_twoOnTheSameOrchestratorAndModelStayAmbiguous() {
    write(
        ev.capabilities(-60_000, A, List.of("GPU-one")),
        ev.capabilities(-60_000, B, List.of("GPU-x", "GPU-y")),
        ev.request("on-a", 0),
        ev.ingest("on-a", A, 100),
        ev.processed("on-a", A, 900),
        ev.status("on-a", A, 10_000, 20, "ONLINE"),
        ev.request("on-b", 0),
        ev.ingest("on-b", B, 100),
        ev.processed("on-b", B, 900),
        ev.status("on-b", B, 10_000, 20, "ONLINE"));

    assertThat(
            rows(
                "SELECT stream_id, gpu_id, gpu_resolution, gpu_model FROM sessions ORDER BY"
                    + " stream_id"))
        .extracting(
            r ->
                r.get("stream_id")
                    + " "
                    + r.get("gpu_id")
                    + " "
                    + r.get("gpu_resolution")
                    + " "
                    + r.get("gpu_model"))
        .containsExactly("on-a GPU-one capabilities NVIDIA GeForce RTX 4090", "on-b  ambiguous ");
  }

  @Test
  void
      gpu_withoutCapabilitiesEvents_comesFromTheScrapedVersionValidAtTheSegmentStart_andFollowsAGpuChange() {
    // A's scraped metadata: GPU-old until 60 s after T0, then GPU-new (a new version); B advertises
    // two GPUs.
    long t0 = LiveEvents.T0;
    scrapedGpus(A, t0 - 3_600_000, t0 + 60_000, "GPU-old");
    scrapedGpus(A, t0 + 60_000, null, "GPU-new");
    scrapedGpus(B, t0 - 3_600_000, null, "GPU-x", "GPU-y");
    writeAll(
        ev.session("before", 1_000, 20, 20, 20),
        List.of(
            ev.request("after", 120_000),
            ev.ingest("after", A, 120_100),
            ev.processed("after", A, 120_900),
            ev.status("after", A, 130_000, 20, "ONLINE")),
        List.of(
            ev.request("on-b", 0),
            ev.ingest("on-b", B, 100),
            ev.processed("on-b", B, 900),
            ev.status("on-b", B, 10_000, 20, "ONLINE")));

    assertThat(
            rows(
                "SELECT stream_id, gpu_id, gpu_resolution, gpu_model FROM sessions ORDER BY"
                    + " stream_id"))
        .extracting(
            r ->
                r.get("stream_id")
                    + " "
                    + r.get("gpu_id")
                    + " "
                    + r.get("gpu_resolution")
                    + " "
                    + r.get("gpu_model"))
        .containsExactly(
            "after GPU-new metadata NVIDIA L40S",
            "before GPU-old metadata NVIDIA L40S",
            "on-b  ambiguous ");
  }

  @Test
  void gpu_capabilitiesEventsComeBeforeScrapedMetadata() {
    scrapedGpus(A, LiveEvents.T0 - 3_600_000, null, "GPU-scraped");
    writeAll(
        List.of(ev.capabilities(-60_000, A, List.of("GPU-event"))), ev.session("s1", 1_000, 20));

    assertThat(single("SELECT gpu_id, gpu_resolution FROM sessions"))
        .containsEntry("gpu_id", "GPU-event").containsEntry("gpu_resolution", "capabilities");
  }

  @Test
  void testLoad_aStreamTheLoadTesterRegisteredIsTestLoadWithoutAnyFlagInItsEvents() {
    store.execute(
        "INSERT INTO test_load_streams (stream_id, run_id, registered_at) VALUES ('probe', 'run-1',"
            + " now64(3))");
    writeAll(ev.session("probe", 1_000, 20), ev.session("user", 1_000, 20));

    assertThat(rows("SELECT stream_id, is_test_load FROM sessions ORDER BY stream_id"))
        .extracting(r -> r.get("stream_id") + " " + r.get("is_test_load"))
        .containsExactly("probe true", "user false");
  }

  /**
   * One scraped metadata version of {@code orchestrator} advertising {@code gpuIds} for
   * streamdiffusion.
   */
  private void scrapedGpus(
      String orchestrator, long validFromMs, Long validToMs, String... gpuIds) {
    String uri = "https://" + orchestrator.substring(2, 6) + ":8935";
    store.execute(
        "INSERT INTO orchestrator_versions (source, orch_uri, address, local_address, valid_from,"
            + " valid_to) VALUES ('gw', '"
            + uri
            + "', '0xd', '"
            + orchestrator
            + "', fromUnixTimestamp64Milli("
            + validFromMs
            + "), "
            + (validToMs == null ? "NULL" : "fromUnixTimestamp64Milli(" + validToMs + ")")
            + ")");
    for (int i = 0; i < gpuIds.length; i++) {
      store.execute(
          "INSERT INTO orchestrator_version_gpus (source, orch_uri, valid_from, pipeline, model_id,"
              + " gpu_slot, gpu_id, gpu_name, memory_total_bytes) VALUES ('gw', '"
              + uri
              + "', fromUnixTimestamp64Milli("
              + validFromMs
              + "), 'live-video-to-video', 'streamdiffusion', '"
              + i
              + "', '"
              + gpuIds[i]
              + "', 'NVIDIA L40S', 48000000000)");
    }
  }

  @Test
  void region_comesFromTheEventElseFromTheMetadataValidAtTheSegmentStart() {
    writeAll(
        ev.session("meta", 1_000, 20, 20, 20),
        List.of(
            ev.request("evt", 0),
            ev.ingest("evt", A, 100),
            ev.processed("evt", A, 900),
            ev.status("evt", A, 10_000, 20, "ONLINE")
                .replace("\"url\":\"\"}", "\"url\":\"\",\"region\":\"ap-south\"}")));
    // The scraper saw A in eu-west until the sessions started, then in us-east (a move).
    long start = LiveEvents.T0;
    store.execute(
        "INSERT INTO orchestrator_versions (source, orch_uri, address, local_address, region, "
            + "valid_from, valid_to) VALUES ('gw', '"
            + LiveEvents.nodeUrl(A)
            + "', '0xd', '"
            + A
            + "', 'eu-west', "
            + "fromUnixTimestamp64Milli("
            + (start - 3_600_000)
            + "), fromUnixTimestamp64Milli("
            + (start + 60_000)
            + ")), "
            + "('gw', '"
            + LiveEvents.nodeUrl(A)
            + "', '0xd', '"
            + A
            + "', 'us-east', fromUnixTimestamp64Milli("
            + (start + 60_000)
            + "), NULL)");

    assertThat(rows("SELECT stream_id, region FROM sessions ORDER BY stream_id"))
        .extracting(r -> r.get("stream_id") + " " + r.get("region"))
        .containsExactly("evt ap-south", "meta eu-west");
  }

  @Test
  void region_ofASegmentBeforeTheFirstScrape_isThatOfTheFirstVersion() {
    // History older than the scraper (a backfill): A was first scraped an hour after it ran.
    write(ev.session("old", 1_000, 20, 20, 20).toArray(String[]::new));
    long start = LiveEvents.T0;
    store.execute(
        "INSERT INTO orchestrator_versions (source, orch_uri, address, local_address, region, "
            + "valid_from, valid_to) VALUES ('gw', '"
            + LiveEvents.nodeUrl(A)
            + "', '0xd', '"
            + A
            + "', 'eu-west', "
            + "fromUnixTimestamp64Milli("
            + (start + 3_600_000)
            + "), fromUnixTimestamp64Milli("
            + (start + 7_200_000)
            + ")), "
            + "('gw', '"
            + LiveEvents.nodeUrl(A)
            + "', '0xd', '"
            + A
            + "', 'us-east', fromUnixTimestamp64Milli("
            + (start + 7_200_000)
            + "), NULL), "
            + "('gw', '"
            + LiveEvents.nodeUrl(B)
            + "', '0xe', '"
            + B
            + "', NULL, fromUnixTimestamp64Milli("
            + (start + 60_000)
            + "), NULL)");

    assertThat(rows("SELECT stream_id, orchestrator_address, region FROM sessions"))
        .extracting(r -> r.get("stream_id") + " " + r.get("region"))
        .containsExactly("old eu-west");
  }

  @Test
  void testLoad_andEmptyGateway_areCarriedToTheSession() {
    // A gateway run without -gatewayHost sends "" on every event of its streams.
    write(
        List.of(
                ev.request("s1", 0),
                ev.ingest("s1", A, 100),
                ev.processed("s1", A, 900),
                ev.status("s1", A, 10_000, 20, "ONLINE")
                    .replace("\"state\"", "\"is_test_load\":true,\"state\""))
            .stream()
            .map(e -> e.replace("\"gateway\":\"gw-1\"", "\"gateway\":\"\""))
            .toArray(String[]::new));

    Map<String, String> row = single("SELECT gateway, is_test_load FROM sessions");

    assertThat(row).containsEntry("gateway", "unknown").containsEntry("is_test_load", "true");
  }

  @Test
  void order_shuffledDuplicatedAndLateEvents_giveTheSameSessions() {
    List<String> events =
        List.of(
            ev.request("s1", 1_000),
            ev.ingest("s1", A, 2_000),
            ev.processed("s1", A, 3_500),
            ev.status("s1", A, 10_000, 12.0, "ONLINE"),
            ev.status("s1", A, 20_000, 18.0, "ONLINE"),
            ev.status("s1", A, 30_000, 21.0, "DEGRADED_INFERENCE"),
            ev.swap("s1", A, 35_000),
            ev.ingest("s1", B, 36_000),
            ev.processed("s1", B, 37_000),
            ev.status("s1", B, 46_000, 24.0, "ONLINE"),
            ev.ingestMetrics("s1", 5_000, 10_000, 100),
            ev.ingestMetrics("s1", 10_000, 30_000, 300),
            ev.request("s2", 2_000),
            ev.noOrchestrators("s2", 2_500));
    write(events.toArray(String[]::new));
    String inOrder =
        store.queryText("SELECT * FROM sessions ORDER BY stream_id, segment_index", Map.of());

    Store other = TestEngine.uniqueStore("sessions_shuffled");
    List<String> shuffled = new ArrayList<>(events);
    shuffled.addAll(events.subList(3, 7)); // duplicates of four events
    Collections.shuffle(shuffled, new Random(5));
    EventWriter w = new EventWriter(other, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        IngestMetrics.unregistered(), Clock.systemUTC());
    int half = shuffled.size() / 2; // the second half arrives late, in another batch
    w.write(messages(shuffled.subList(0, half)));
    w.write(messages(shuffled.subList(half, shuffled.size())));

    assertThat(
            other.queryText("SELECT * FROM sessions ORDER BY stream_id, segment_index", Map.of()))
        .isEqualTo(inOrder);
    assertThat(inOrder.lines().count()).isEqualTo(3);
  }

  @Test
  void sla_eachTargetIsCheckedAndNullJitterDoesNotViolate() {
    // Defaults: orchestrator startup <= 5000 ms, mean FPS >= 15, jitter coefficient <= 0.25; the
    // user-visible PTFF (target 5000 ms) is reported but does not decide compliance (issue 12).
    // ev.session(s, ptff): request at 0, ingest at ptff / 2, first frame at ptff: startup = ptff /
    // 2.
    writeAll(
        ev.session("good", 4_000, 20, 20, 20),
        ev.session("slow", 6_000, 20, 20, 20),
        ev.session("dim", 1_000, 10, 10, 10),
        ev.session("shaky", 1_000, 10, 20, 30),
        ev.session("brief", 1_000, 20),
        ev.session("slowstart", 12_000, 20, 20, 20),
        List.of(
            ev.request("broken", 0),
            ev.ingest("broken", A, 100),
            ev.status("broken", A, 10_000, 0, "ERROR")));

    assertThat(
            rows(
                "SELECT stream_id, compliant, violates_failure, violates_startup, violates_fps, "
                    + "violates_jitter, violates_ptff FROM segment_sla ORDER BY stream_id"))
        .extracting(r -> String.join(" ", r.values()))
        .containsExactly(
            "brief true false false false false false", // one sample: jitter null, no violation
            "broken false true true true false true", // ERROR, no output: no startup, no FPS
            "dim false false false true false false", // mean 10 < 15
            "good true false false false false false",
            "shaky false false false false true false", // sigma(10,20,30)/20 = 0.408 > 0.25
            "slow true false false false false true", // PTFF 6000 > 5000, startup 3000: compliant
            "slowstart false false true false false true"); // startup 6000 > 5000
    // 3 of 7 compliant; error budget left = 1 - (1 - 3/7) / (1 - 0.99) = 1 - 57.14 = -56.14
    assertThat(
            single(
                "SELECT countIf(compliant) / count() AS rate, "
                    + "1 - (1 - rate) / (1 - any(objective)) AS budget FROM segment_sla"))
        .satisfies(
            r -> {
              assertThat(Double.parseDouble(r.get("rate"))).isCloseTo(3 / 7.0, within(1e-9));
              assertThat(Double.parseDouble(r.get("budget")))
                  .isCloseTo(1 - (4 / 7.0) / 0.01, within(1e-6));
            });
  }

  @Test
  void sla_pipelineTargetsOverrideTheDefaults() {
    writeAll(ev.session("s1", 12_000, 20, 20, 20)); // startup 6000 ms
    assertThat(single("SELECT compliant, target_startup_ms FROM segment_sla"))
        .containsEntry("compliant", "false").containsEntry("target_startup_ms", "5000");

    store.execute(
        "INSERT INTO sla_targets (pipeline, ptff_ms, fps, jitter, objective, updated_at,"
            + " startup_ms) VALUES ('streamdiffusion', 20000, 12, 0.3, 0.95, now64(), 8000)");

    assertThat(
            single(
                "SELECT compliant, target_startup_ms, target_ptff_ms, target_fps, objective FROM"
                    + " segment_sla"))
        .containsEntry("compliant", "true")
        .containsEntry("target_startup_ms", "8000")
        .containsEntry("target_ptff_ms", "20000")
        .containsEntry("target_fps", "12")
        .containsEntry("objective", "0.95");
  }

  @SafeVarargs
  private void writeAll(List<String>... groups) {
    write(java.util.Arrays.stream(groups).flatMap(List::stream).toArray(String[]::new));
  }

  // ----- plumbing -----

  private EventWriter writer() {
    return new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        IngestMetrics.unregistered(), Clock.systemUTC());
  }

  private void write(String... envelopes) {
    BatchResult r = writer().write(messages(List.of(envelopes)));
    assertThat(r.rejected()).as("every test event is valid").isZero();
  }

  private static List<Message> messages(List<String> envelopes) {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < envelopes.size(); i++) {
      out.add(
          new Message(envelopes.get(i).getBytes(StandardCharsets.UTF_8), Origin.file("test", i)));
    }
    return out;
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
      Map<String, String> row = new java.util.LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        row.put(names[i], values[i]);
      }
      rows.add(row);
    }
    return rows;
  }
}
