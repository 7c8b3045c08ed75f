package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.api.DatasetCatalog;
import dev.naap.api.Readiness;
import dev.naap.loadtest.ErrorClass;
import dev.naap.loadtest.Outcome;
import dev.naap.metrics.query.TestLoadQueries;
import dev.naap.loadtest.TestLoadStore;
import dev.naap.loadtest.TestResult;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/test-load/results} and {@code /v1/test-load/coverage} as {@code naap serve} wires them
 * (the load tester's {@link TestLoadQueries}), over HTTP against a real embedded store holding rows
 * the load tester's own {@link TestLoadStore} wrote. Every answer is checked against a reference
 * model: the list of tests written.
 *
 * <p>The tests: {@value #TESTS} of them, test {@code i} starting {@code i × 90 s} after {@link
 * #T0}. Live tests are pinned to one of three orchestrators in turn; every fifth test is a batch
 * test (text-to-image, no pin). Every seventh fails with a timeout, every eleventh is aborted. One
 * test is written twice (its second write replaces the first), and one started a day earlier.
 */
class TestLoadApiTest {

  private static final int TESTS = 40;
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Instant NOW = T0.plus(Duration.ofHours(2));
  private static final List<String> PINS =
      List.of("https://o1:8935", "https://o2:8935", "https://o3:8935");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final List<TestResult> written = new ArrayList<>();
  private static ApiServer server;

  @BeforeAll
  static void writeTestsAndServe() {
    Store store = TestEngine.uniqueStore("test_load_api");
    var tests = new TestLoadStore(store);
    for (int i = 0; i < TESTS; i++) {
      written.add(test(i, T0.plus(Duration.ofSeconds(90L * i))));
    }
    for (TestResult t : written) {
      tests.write(t, t.endedAt());
    }
    // A second write of test 3, later, replaces the first: the API shows the test once, as
    // rewritten.
    TestResult rewritten = withOutcome(written.get(3), Outcome.FAILURE, ErrorClass.RUNNER_ERROR);
    tests.write(rewritten, rewritten.endedAt().plusSeconds(5));
    written.set(3, rewritten);
    tests.write(test(99, T0.minus(Duration.ofDays(1))), T0);

    var queries = new ClickHouseMetricsQueries(store);
    server =
        new ApiServer(
                ApiConfig.defaults().withAddress("127.0.0.1", 0).withQuotas(100_000, Map.of(), 10),
                queries,
                DatasetCatalog.empty(),
                new TestLoadQueries(store),
                () -> new Readiness.Status(true, Map.of()),
                new PrometheusRegistry(),
                Clock.fixed(NOW, ZoneOffset.UTC))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestResult test(int i, Instant started) {
    boolean batch = i % 5 == 4;
    Outcome outcome =
        i % 11 == 10 ? Outcome.ABORTED : i % 7 == 6 ? Outcome.FAILURE : Outcome.SUCCESS;
    boolean success = outcome == Outcome.SUCCESS;
    return new TestResult(
        "run-" + i / 8,
        "default",
        "t-" + i,
        batch ? "batch" : "live",
        batch ? "" : PINS.get(i % 3),
        batch ? "" : PINS.get(i % 3),
        batch ? "text-to-image" : "streamdiffusion",
        "stabilityai/sd-turbo",
        "good-prompts-v1@1",
        "p" + i,
        "a prompt, \"quoted\"",
        started,
        started.plusSeconds(60),
        outcome,
        outcome == Outcome.FAILURE ? ErrorClass.TIMEOUT : ErrorClass.NONE,
        success ? "" : "no output",
        success && !batch ? 11_000L + i : null,
        success && !batch ? 12_000L : null,
        success && !batch ? 900L : null,
        batch ? 0 : 2,
        success && !batch ? 2 : 0,
        success && !batch ? 20.0 + i % 3 : null,
        success && !batch ? 0.05 : null,
        success && !batch ? 60 : 0,
        batch && success ? 700L : null);
  }

  private static TestResult withOutcome(TestResult t, Outcome outcome, ErrorClass error) {
    return new TestResult(
        t.runId(),
        t.plan(),
        t.testId(),
        t.kind(),
        t.orchestrator(),
        t.servedBy(),
        t.pipeline(),
        t.model(),
        t.dataset(),
        t.promptId(),
        t.prompt(),
        t.startedAt(),
        t.endedAt(),
        outcome,
        error,
        "runner died",
        t.startupMs(),
        null,
        null,
        t.promptChangesSent(),
        0,
        t.outputFps(),
        t.fpsJitter(),
        t.statusSamples(),
        t.latencyMs());
  }

  private record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }

  private static Answer get(String pathAndQuery, String... headers) {
    var request = HttpRequest.newBuilder(server.url().resolve(URI.create(pathAndQuery)));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode ok(String pathAndQuery) {
    Answer a = get(pathAndQuery);
    assertThat(a.status()).as(pathAndQuery + " → " + a.body()).isEqualTo(200);
    return a.json();
  }

  private static List<String> ids(JsonNode body) {
    List<String> ids = new ArrayList<>();
    body.get("data").forEach(r -> ids.add(r.get("test_id").asText()));
    return ids;
  }

  /**
   * The ids of the written tests that {@code keep} selects, newest first: what the API must answer.
   */
  private static List<String> expected(Predicate<TestResult> keep) {
    return written.reversed().stream().filter(keep).map(TestResult::testId).toList();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void results_areTheStoredRows_newestFirst_withNullForMeasurementsNotTaken() {
    JsonNode body = ok("/v1/test-load/results?limit=1000");
    assertThat(ids(body)).isEqualTo(expected(t -> true));
    // t-39 is a batch test (no pin, a latency, no startup); t-38 a live test on the third
    // orchestrator.
    JsonNode batch = body.get("data").get(0);
    assertThat(batch.get("started_at").asText()).isEqualTo(written.get(39).startedAt().toString());
    assertThat(batch.get("kind").asText()).isEqualTo("batch");
    assertThat(batch.get("orchestrator").asText()).isEmpty();
    assertThat(batch.get("latency_ms").asLong()).isEqualTo(700);
    assertThat(batch.get("startup_ms").isNull()).isTrue();
    JsonNode live = body.get("data").get(1);
    assertThat(live.get("orchestrator").asText()).isEqualTo(PINS.get(2));
    assertThat(live.get("outcome").asText()).isEqualTo("success");
    assertThat(live.get("startup_ms").asLong()).isEqualTo(11_038);
    assertThat(live.get("output_fps").asDouble()).isEqualTo(22.0);
    assertThat(live.get("latency_ms").isNull()).isTrue();
    JsonNode rewritten = body.get("data").get(TESTS - 1 - 3);
    assertThat(rewritten.get("error_class").asText()).isEqualTo("runner_error");
    assertThat(body.get("meta").get("columns").get(0).get("description").asText())
        .isEqualTo("the run the test belongs to");
    assertThat(body.get("meta").get("data_as_of").isNull()).isTrue();
  }

  @Test
  void results_filters_keepExactlyTheMatchingTests() {
    assertThat(ids(ok("/v1/test-load/results?limit=1000&orchestrator=" + encode(PINS.get(1)))))
        .isEqualTo(expected(t -> t.orchestrator().equals(PINS.get(1))));
    assertThat(ids(ok("/v1/test-load/results?limit=1000&pipeline=text-to-image")))
        .isEqualTo(expected(t -> t.pipeline().equals("text-to-image"))).hasSize(8);
    for (Outcome o : Outcome.values()) {
      assertThat(ids(ok("/v1/test-load/results?limit=1000&outcome=" + o.label()))).as(o.label())
          .isEqualTo(expected(t -> t.outcome() == o)).isNotEmpty();
    }
    assertThat(
            ids(
                ok(
                    "/v1/test-load/results?limit=1000&orchestrator="
                        + encode(PINS.get(2))
                        + "&pipeline=streamdiffusion&outcome=failure")))
        .isEqualTo(
            expected(t -> t.orchestrator().equals(PINS.get(2)) && t.outcome() == Outcome.FAILURE))
        .isNotEmpty();
    // Repeated: any of the values (issue 21), in the store's own query.
    assertThat(ids(ok("/v1/test-load/results?limit=1000&orchestrator=" + encode(PINS.get(1))
        + "&orchestrator=" + encode(PINS.get(2)) + "&outcome=failure&outcome=aborted")))
        .isEqualTo(expected(t -> List.of(PINS.get(1), PINS.get(2)).contains(t.orchestrator())
            && (t.outcome() == Outcome.FAILURE || t.outcome() == Outcome.ABORTED))).isNotEmpty();
    // A substring of a pin is not the pin; a hostile value is only a value.
    assertThat(ids(ok("/v1/test-load/results?orchestrator=o1"))).isEmpty();
    assertThat(ids(ok("/v1/test-load/results?pipeline=" + encode("x' OR '1'='1")))).isEmpty();
    assertThat(
            ids(
                ok(
                    "/v1/test-load/results?orchestrator="
                        + encode("{orchestrator:Nullable(String)}"))))
        .isEmpty();
  }

  @Test
  void results_timeParameters_chooseTheTestsStartedInTheRange() {
    Instant from = written.get(10).startedAt();
    Instant to = written.get(20).startedAt();
    assertThat(ids(ok("/v1/test-load/results?limit=1000&start=" + from + "&end=" + to)))
        .isEqualTo(expected(t -> !t.startedAt().isBefore(from) && t.startedAt().isBefore(to)))
        .hasSize(10);
    // The hour before 10:30: the tests started in the first half hour.
    assertThat(
            ids(
                ok(
                    "/v1/test-load/results?limit=1000&window=1h&end="
                        + T0.plus(Duration.ofMinutes(30)))))
        .isEqualTo(expected(t -> t.startedAt().isBefore(T0.plus(Duration.ofMinutes(30)))))
        .hasSize(20);
    JsonNode week = ok("/v1/test-load/results?limit=1000&window=7d");
    assertThat(ids(week)).hasSize(TESTS + 1).contains("t-99");
    assertThat(week.get("meta").get("start").asText())
        .isEqualTo(NOW.minus(Duration.ofDays(7)).toString());
  }

  @Test
  void results_pagination_visitsEveryTestExactlyOnce() {
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          ok(
              "/v1/test-load/results?limit=7&outcome=success"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      for (String id : ids(page)) {
        assertThat(seen.add(id)).as("seen twice: " + id).isTrue();
        order.add(id);
      }
      cursor = page.get("pagination").get("has_more").asBoolean()
          ? page.get("pagination").get("next_cursor").asText() : null;
      pages++;
    } while (cursor != null);
    List<String> successes = expected(t -> t.outcome() == Outcome.SUCCESS);
    assertThat(order).isEqualTo(successes);
    assertThat(pages).isEqualTo((successes.size() + 6) / 7);
  }

  @Test
  void results_csv_holdsTheSameRows() {
    Answer csv =
        get("/v1/test-load/results?limit=1000&pipeline=text-to-image", "Accept", "text/csv");
    assertThat(csv.contentType()).startsWith("text/csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(9);
    assertThat(lines[0]).isEqualTo(TestLoadQueries.RESULT_COLUMNS.stream().map(c -> c.name())
        .collect(Collectors.joining(",")));
    assertThat(lines[1]).startsWith("run-4,default,t-39,batch,,,text-to-image,")
        .contains(",\"a prompt, \"\"quoted\"\"\",").endsWith(",700");
  }

  @Test
  void coverage_countsEachOrchestratorAndPipeline_abortedExcluded() {
    JsonNode body = ok("/v1/test-load/coverage");
    Map<String, List<TestResult>> groups =
        written.stream()
            .filter(t -> t.outcome() != Outcome.ABORTED)
            .collect(Collectors.groupingBy(t -> t.orchestrator() + "|" + t.pipeline()));
    assertThat(body.get("data")).hasSize(groups.size());
    for (JsonNode row : body.get("data")) {
      List<TestResult> tests =
          groups.get(row.get("orchestrator").asText() + "|" + row.get("pipeline").asText());
      long successes = tests.stream().filter(t -> t.outcome() == Outcome.SUCCESS).count();
      TestResult last = tests.getLast();
      assertThat(row.get("tests").asLong()).as(row.toString()).isEqualTo(tests.size());
      assertThat(row.get("successes").asLong()).as(row.toString()).isEqualTo(successes);
      assertThat(row.get("success_rate").asDouble()).isEqualTo((double) successes / tests.size());
      assertThat(row.get("last_tested_at").asText()).isEqualTo(last.startedAt().toString());
      assertThat(row.get("last_outcome").asText()).isEqualTo(last.outcome().label());
    }
    assertThat(body.get("meta").get("group_by").toString())
        .isEqualTo("[\"orchestrator\",\"pipeline\"]");
    assertThat(get("/v1/test-load/coverage?format=csv").body())
        .startsWith("orchestrator,pipeline,tests,successes,success_rate,last_tested_at,");
    assertThat(ok("/v1/test-load/coverage?end=" + T0).get("data")).hasSize(1);
    JsonNode filtered = ok("/v1/test-load/coverage?orchestrator=" + encode(PINS.get(1))
        + "&orchestrator=" + encode(PINS.get(2)) + "&pipeline=streamdiffusion");
    long kept = groups.keySet().stream().filter(k -> k.equals(PINS.get(1) + "|streamdiffusion")
        || k.equals(PINS.get(2) + "|streamdiffusion")).count();
    assertThat(filtered.get("data")).hasSize((int) kept).isNotEmpty();
    filtered.get("data").forEach(row ->
        assertThat(row.get("pipeline").asText()).isEqualTo("streamdiffusion"));
  }

  @Test
  void badParameters_are400ProblemsNamingThem() {
    for (String[] c : new String[][] {{"outcome=passed", "outcome"}, {"limit=1001", "limit"},
        {"orchestrator=a&orchestrator=", "orchestrator"}, {"region=eu", "region"},
        {"window=90d", "window"}}) {
      Answer a = get("/v1/test-load/results?" + c[0]);
      assertThat(a.status()).as(c[0]).isEqualTo(400);
      assertThat(a.contentType()).isEqualTo("application/problem+json");
      assertThat(a.json().get("parameter").asText()).isEqualTo(c[1]);
    }
    assertThat(get("/v1/test-load/coverage?outcome=success").json().get("parameter").asText())
        .isEqualTo("outcome");
  }
}
