package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plan run against a loopback gateway: the concurrency limit as the gateway sees it, and batch
 * targets.
 */
class PlanRunnerTest {
  static Store store;
  static TestLoadStore writes;
  static Dataset dataset;

  @BeforeAll
  static void open() {
    store = TestEngine.uniqueStore("loadtest_runner");
    writes = new TestLoadStore(store);
    dataset = DatasetCatalog.builtIn().open("random-prompts-v1");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  static PlanRunner runner(TestPlan plan, GatewayClient client) {
    return new PlanRunner(
        plan,
        dataset,
        client,
        new LiveVideoDriver(client, new HookIngest(client), writes, TimeSource.system()),
        new BatchDriver(client, TimeSource.system()),
        writes,
        LoadtestMetrics.unregistered(),
        TimeSource.system());
  }

  @Test
  void theGatewayNeverSeesMoreStreamsAtOnceThanTheLimit() throws Exception {
    List<String> pins = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      pins.add("https://orch-" + i + ".example:8935");
    }
    TestPlan plan =
        new TestPlan(
            "limit",
            List.of(new TestPlan.Target("streamdiffusion", "m", TestPlan.Kind.LIVE)),
            "random-prompts-v1",
            Duration.ofMillis(300),
            Duration.ofMinutes(1),
            3,
            pins,
            0,
            0,
            Duration.ofMillis(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            0);
    // First and last request time per stream: the interval the gateway saw it live.
    Map<String, long[]> seen = new ConcurrentHashMap<>();
    RunSummary run;
    try (ScriptedGateway gw =
        new ScriptedGateway(
            (m, path, body, n) -> {
              String stream = path.split("/")[3];
              long now = System.nanoTime();
              seen.merge(
                  stream,
                  new long[] {now, now},
                  (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
              if (path.endsWith("/start")) {
                return ScriptedGateway.Answer.json("{}");
              }
              String pin =
                  pins.get(Integer.parseInt(stream.substring(stream.lastIndexOf('-') + 1)) - 1);
              return ScriptedGateway.Answer.json(
                  FailureClassificationTest.status("ONLINE", 20, 1, pin, null));
            })) {
      run =
          runner(plan, new GatewayClient(gw.url(), Duration.ofMillis(500), Duration.ofSeconds(2)))
              .runOnce();
    }
    assertThat(run.results()).hasSize(7).allMatch(r -> r.outcome() == Outcome.SUCCESS);
    assertThat(run.peakConcurrency()).isEqualTo(3);
    int maxOverlap = 0;
    for (long[] a : seen.values()) {
      int overlapping = 0;
      for (long[] b : seen.values()) {
        if (b[0] <= a[0] && a[0] <= b[1]) {
          overlapping++;
        }
      }
      maxOverlap = Math.max(maxOverlap, overlapping);
    }
    assertThat(seen).hasSize(7);
    assertThat(maxOverlap).isBetween(2, 3);
  }

  @Test
  void whenTheGatewayCannotListOrchestrators_liveTargetsKeepARowEach_batchTargetsStillRun()
      throws Exception {
    TestPlan plan =
        TestPlanLoader.parse(
            """
            {"name": "unlisted", "dataset": "random-prompts-v1", "batch_requests": 2,
             "targets": [
               {"pipeline": "streamdiffusion", "model": "stabilityai/sd-turbo", "kind": "live"},
               {"pipeline": "streamdiffusion", "model": "stabilityai/sdxl-turbo", "kind": "live"},
               {"pipeline": "text-to-image", "model": "ByteDance/SDXL-Lightning", "kind": "batch"}]}
            """
                .getBytes());
    RunSummary run;
    try (ScriptedGateway gw = new ScriptedGateway((m, path, body, n) ->
        path.equals("/getNetworkCapabilities")
            ? new ScriptedGateway.Answer(500, "discovery failed")
            : ScriptedGateway.Answer.json("{\"images\": [{\"url\": \"/x.png\"}]}"))) {
      run =
          runner(plan, new GatewayClient(gw.url(), Duration.ofMillis(500), Duration.ofSeconds(2)))
              .runOnce();
    }
    assertThat(run.results())
        .filteredOn(r -> r.kind().equals("live"))
        .extracting(TestResult::model, TestResult::errorClass)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "stabilityai/sd-turbo", ErrorClass.GATEWAY_UNAVAILABLE),
            org.assertj.core.groups.Tuple.tuple(
                "stabilityai/sdxl-turbo", ErrorClass.GATEWAY_UNAVAILABLE));
    assertThat(run.results())
        .filteredOn(r -> r.kind().equals("batch"))
        .hasSize(2)
        .allMatch(r -> r.outcome() == Outcome.SUCCESS);
    // One row per target in the table that keeps one row per test id.
    assertThat(
            store.queryText(
                "SELECT kind, model, error_class FROM test_load_results FINAL"
                    + " WHERE run_id = {run:String} ORDER BY kind, model, error_class",
                Map.of("run", run.runId())))
        .isEqualTo(
            "batch\tByteDance/SDXL-Lightning\tnone\n"
                + "batch\tByteDance/SDXL-Lightning\tnone\n"
                + "live\tstabilityai/sd-turbo\tgateway_unavailable\n"
                + "live\tstabilityai/sdxl-turbo\tgateway_unavailable\n");
  }

  @Test
  void aBatchTarget_sendsItsRequests_andRecordsThemUnpinned() throws Exception {
    TestPlan plan =
        TestPlanLoader.parse(
            """
            {"name": "batch", "dataset": "random-prompts-v1", "batch_requests": 5, "concurrency": 2,
             "targets": [{"pipeline": "text-to-image", "model": "ByteDance/SDXL-Lightning", "kind": "batch"}]}
            """
                .getBytes());
    RunSummary run;
    try (ScriptedGateway gw = new ScriptedGateway((m, path, body, n) -> n == 3
        ? new ScriptedGateway.Answer(503, "insufficient capacity")
        : ScriptedGateway.Answer.json("{\"images\": [{\"url\": \"/x.png\"}]}"))) {
      run =
          runner(plan, new GatewayClient(gw.url(), Duration.ofMillis(500), Duration.ofSeconds(2)))
              .runOnce();
      assertThat(gw.requests.get()).isEqualTo(5); // no /getNetworkCapabilities: nothing to pin
    }
    assertThat(run.results())
        .hasSize(5)
        .allMatch(r -> r.orchestrator().isEmpty() && r.kind().equals("batch"));
    assertThat(run.count(Outcome.SUCCESS)).isEqualTo(4);
    assertThat(
            store.queryText(
                "SELECT error_class, count() FROM test_load_results FINAL WHERE plan = 'batch'"
                    + " GROUP BY error_class ORDER BY error_class",
                Map.of()))
        .isEqualTo("none\t4\norchestrator_refused\t1\n");
  }
}
