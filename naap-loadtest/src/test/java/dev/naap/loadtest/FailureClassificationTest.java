package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live test against a loopback gateway that fails in one way each: the failure is classified,
 * and the stream was registered as test load before the gateway was asked to start it.
 */
class FailureClassificationTest {
  static final String PIN = "https://orch-a.example:8935";
  static Store store;
  static TestLoadStore writes;
  static Dataset dataset;
  static final TestPlan PLAN = new TestPlan("faults",
      List.of(new TestPlan.Target("streamdiffusion", "stabilityai/sd-turbo", TestPlan.Kind.LIVE)),
      "good-prompts-v1", Duration.ofMillis(1_500), Duration.ofSeconds(1), 2, List.of(PIN), 0, 1,
      Duration.ofMillis(50), Duration.ofMillis(800), Duration.ofMillis(500), 0);

  /**
   * PLAN with a startup timeout far beyond three failed polls of a gateway that stalls (300 ms
   * each): on a loaded machine the run's start alone can take most of PLAN's 800 ms, and the
   * startup deadline then fired before the third poll failed.
   */
  static final TestPlan STALL_PLAN = new TestPlan(PLAN.name(), PLAN.targets(), PLAN.dataset(),
      PLAN.testDuration(), PLAN.interval(), PLAN.concurrency(), PLAN.orchestrators(),
      PLAN.testsPerRun(), PLAN.promptChanges(), PLAN.pollInterval(), Duration.ofSeconds(10),
      PLAN.promptTimeout(), PLAN.batchRequests());

  @BeforeAll
  static void open() {
    store = TestEngine.uniqueStore("loadtest_faults");
    writes = new TestLoadStore(store);
    dataset = DatasetCatalog.builtIn().open("good-prompts-v1");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  /** A status as go-livepeer's /status answers it. */
  static String status(
      String state, double fps, long paramsUpdateTime, String url, String gatewayError) {
    return """
    {"state": "%s", "timestamp": %d, "stream_id": "s",
     "orchestrator_info": {"address": "0xabc", "url": "%s"},
     "inference_status": {"fps": %s, "last_error": %s, "last_params_update_time": %d},
     "gateway_status": {"whep_url": "", "ingest_metrics": {"stats": null}%s}}
    """
        .formatted(
            state,
            System.nanoTime() / 1000,
            url,
            fps,
            state.equals("ERROR")
                ? "\"CUDA error: an illegal memory access was encountered\""
                : "null",
            paramsUpdateTime,
            gatewayError == null
                ? ""
                : ", \"error\": {\"error_message\": \""
                    + gatewayError
                    + "\", \"error_time\": 1767908945298}");
  }

  static TestResult runAgainst(ScriptedGateway.Script script) throws Exception {
    try (ScriptedGateway gw = new ScriptedGateway(script)) {
      return runAgainst(gw.url(), Duration.ofSeconds(2), PLAN);
    }
  }

  static TestResult runAgainst(URI url, Duration requestTimeout, TestPlan plan) {
    GatewayClient client = new GatewayClient(url, Duration.ofMillis(500), requestTimeout);
    LiveVideoDriver driver =
        new LiveVideoDriver(client, new HookIngest(client), writes, TimeSource.system());
    String id = "fault-" + System.nanoTime();
    TestResult r =
        driver.run(
            new LiveTestSpec("run-faults", id, PIN, plan.targets().getFirst(), dataset, 0, plan));
    assertThat(
            store
                .queryText(
                    "SELECT count() FROM test_load_streams FINAL WHERE stream_id = {id:String}",
                    Map.of("id", id))
                .strip())
        .isEqualTo("1");
    return r;
  }

  static ScriptedGateway.Answer okStart(String path) {
    return path.endsWith("/start") || path.endsWith("/update")
        ? ScriptedGateway.Answer.json("{}")
        : null;
  }

  @Test
  void orchestratorRefusal_atStart_isOrchestratorRefused() throws Exception {
    TestResult r =
        runAgainst((m, path, body, n) -> new ScriptedGateway.Answer(503, "insufficient capacity"));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(r.errorClass()).isEqualTo(ErrorClass.ORCHESTRATOR_REFUSED);
    assertThat(r.errorMessage()).contains("503").contains("insufficient capacity");
    assertThat(r.startupMs()).isNull();
  }

  @Test
  void noOrchestratorsAvailable_isNoOrchestrator() throws Exception {
    TestResult r = runAgainst((m, path, body, n) -> okStart(path) != null ? okStart(path)
        : ScriptedGateway.Answer.json(status("LOADING", 0, 1, "", "no orchestrators available")));
    assertThat(r.errorClass()).isEqualTo(ErrorClass.NO_ORCHESTRATOR);
    assertThat(r.errorMessage()).isEqualTo("no orchestrators available");
  }

  @Test
  void noOutputBeforeTheStartupTimeout_isTimeout() throws Exception {
    TestResult r = runAgainst((m, path, body, n) -> okStart(path) != null ? okStart(path)
        : ScriptedGateway.Answer.json(status("LOADING", 0, 1, PIN, null)));
    assertThat(r.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    assertThat(r.errorMessage()).contains("no output within").contains("LOADING");
    assertThat(r.endedAt().toEpochMilli() - r.startedAt().toEpochMilli()).isBetween(800L, 3_000L);
  }

  @Test
  void aGatewayThatDoesNotAnswer_isTimeout() throws Exception {
    TestResult r;
    try (ScriptedGateway gw = new ScriptedGateway((m, path, body, n) -> {
      Thread.sleep(5_000);
      return ScriptedGateway.Answer.json("{}");
    })) {
      r = runAgainst(gw.url(), Duration.ofMillis(300), STALL_PLAN);
    }
    assertThat(r.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    assertThat(r.errorMessage()).contains("no answer within");
  }

  @Test
  void aStatusThatStallsMidBody_isTimeout_andTheTestEndsInTime() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer gw = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        16);
    gw.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    gw.createContext("/", ex -> {
      if (ex.getRequestURI().getPath().endsWith("/status")) {
        GatewayClientTest.stallMidBody(ex, release);
      } else {
        ex.sendResponseHeaders(200, -1);
      }
      ex.close();
    });
    gw.start();
    TestResult r;
    long t0 = System.nanoTime();
    try {
      r = runAgainst(URI.create("http://127.0.0.1:" + gw.getAddress().getPort()),
          Duration.ofMillis(300), STALL_PLAN);
    } finally {
      release.countDown();
      gw.stop(0);
    }
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    // Three polls in a row fail at 300 ms each: the test ends with them, not with the server.
    assertThat(r.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    assertThat(r.errorMessage()).contains("/status: no answer within PT0.3S");
    assertThat(tookMs).isLessThan(5_000L);
  }

  @Test
  void runnerInErrorState_isRunnerError() throws Exception {
    TestResult r = runAgainst((m, path, body, n) -> okStart(path) != null ? okStart(path)
        : ScriptedGateway.Answer.json(status("ERROR", 0, 1, PIN, null)));
    assertThat(r.errorClass()).isEqualTo(ErrorClass.RUNNER_ERROR);
    assertThat(r.errorMessage()).contains("CUDA error");
  }

  @Test
  void ingestDisconnect_isIngestError() throws Exception {
    TestResult r = runAgainst((m, path, body, n) -> okStart(path) != null ? okStart(path)
        : ScriptedGateway.Answer.json(status("ONLINE", 20, 1, PIN, "whip disconnected")));
    assertThat(r.errorClass()).isEqualTo(ErrorClass.INGEST_ERROR);
  }

  @Test
  void servedByAnotherOrchestrator_isSwapped() throws Exception {
    TestResult r =
        runAgainst(
            (m, path, body, n) ->
                okStart(path) != null
                    ? okStart(path)
                    : ScriptedGateway.Answer.json(
                        status("ONLINE", 20, 1, "https://orch-b.example:8935", null)));
    assertThat(r.errorClass()).isEqualTo(ErrorClass.ORCHESTRATOR_SWAPPED);
    assertThat(r.servedBy()).isEqualTo("https://orch-b.example:8935");
  }

  @Test
  void aPromptChangeThatNeverShows_isPromptNotApplied() throws Exception {
    TestResult r = runAgainst((m, path, body, n) -> okStart(path) != null ? okStart(path)
        : ScriptedGateway.Answer.json(status("ONLINE", 20, 1, PIN, null)));
    assertThat(r.errorClass()).isEqualTo(ErrorClass.PROMPT_NOT_APPLIED);
    assertThat(r.startupMs()).isNotNull();
    assertThat(r.outputFps()).isEqualTo(20.0);
    assertThat(r.promptChangesSent()).isEqualTo(1);
    assertThat(r.promptChangesSeen()).isZero();
  }

  @Test
  void aHealthyGateway_passes_andThePromptChangeIsTimed() throws Exception {
    AtomicLong appliedAt = new AtomicLong(1);
    TestResult r = runAgainst((m, path, body, n) -> {
      if (path.endsWith("/update")) {
        appliedAt.set(System.currentTimeMillis());
      }
      return okStart(path) != null ? okStart(path)
          : ScriptedGateway.Answer.json(status("ONLINE", 24, appliedAt.get(), PIN, null));
    });
    assertThat(r.outcome()).as(r.errorMessage()).isEqualTo(Outcome.SUCCESS);
    assertThat(r.promptChangesSeen()).isEqualTo(1);
    assertThat(r.promptChangeMs()).isBetween(0L, 500L);
    assertThat(r.servedBy()).isEqualTo(PIN);
  }

  @Test
  void stoppingARun_recordsItsRunningTestsAsAborted() throws Exception {
    TestPlan slow = new TestPlan("abort", PLAN.targets(), PLAN.dataset(), Duration.ofSeconds(30),
        Duration.ofMinutes(10), 2, List.of(PIN, "https://orch-b.example:8935"), 0, 1,
        Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofSeconds(10), 0);
    try (ScriptedGateway gw =
        new ScriptedGateway(
            (m, path, body, n) ->
                okStart(path) != null
                    ? okStart(path)
                    : ScriptedGateway.Answer.json(status("LOADING", 0, 1, "", null)))) {
      GatewayClient client =
          new GatewayClient(gw.url(), Duration.ofMillis(500), Duration.ofSeconds(2));
      PlanRunner runner =
          new PlanRunner(
              slow,
              dataset,
              client,
              new LiveVideoDriver(client, new HookIngest(client), writes, TimeSource.system()),
              new BatchDriver(client, TimeSource.system()),
              writes,
              LoadtestMetrics.unregistered(),
              TimeSource.system());
      var thrown = new java.util.concurrent.atomic.AtomicReference<Throwable>();
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          runner.runOnce();
        } catch (Throwable e) {
          thrown.set(e);
        }
      });
      Thread.sleep(500);
      t.interrupt();
      t.join(5_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }
    assertThat(
            store.queryText(
                "SELECT orchestrator, outcome, error_message FROM test_load_results FINAL"
                    + " WHERE plan = 'abort' ORDER BY orchestrator",
                Map.of()))
        .isEqualTo(
            PIN
                + "\taborted\tstopped while running\n"
                + "https://orch-b.example:8935\taborted\tstopped while running\n");
  }

  @Test
  void aGatewayThatIsDown_isGatewayUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestResult r =
        runAgainst(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(1), PLAN);
    assertThat(r.errorClass()).isEqualTo(ErrorClass.GATEWAY_UNAVAILABLE);
  }
}
