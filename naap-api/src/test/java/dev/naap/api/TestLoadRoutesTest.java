package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.naap.metrics.query.TestLoadResults;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /v1/test-load/results} and {@code /v1/test-load/coverage} over HTTP with results held in
 * memory ({@link FakeTestLoadResults}): the conventions every route follows. The same routes over
 * the real store and the load tester's queries are tested in naap-app ({@code TestLoadApiTest}).
 */
class TestLoadRoutesTest {

  private static final int TESTS = 57;
  private final MutableClock clock =
      new MutableClock(FakeTestLoadResults.FIRST.plus(Duration.ofHours(12)));
  private final FakeTestLoadResults results = new FakeTestLoadResults(TESTS);
  private ApiServer server;
  private Http http;

  private void start(TestLoadResults testLoad) {
    server =
        new ApiServer(
                ApiConfig.defaults().withAddress("127.0.0.1", 0),
                new FakeQueries(1),
                DatasetCatalog.empty(),
                testLoad,
                () -> new Readiness.Status(true, Map.of()),
                new PrometheusRegistry(),
                clock)
            .start();
    http = new Http(server.url());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JsonNode ok(String pathAndQuery) {
    Http.Answer a = http.get(pathAndQuery);
    assertThat(a.status()).as(pathAndQuery + " → " + a.body()).isEqualTo(200);
    return a.json();
  }

  @Test
  void results_envelope_describesTheRangeFiltersAndColumns() {
    start(results);
    JsonNode body = ok("/v1/test-load/results?limit=2&pipeline=streamdiffusion");
    assertThat(body.get("data")).hasSize(2);
    // Newest first: test 56 started last.
    assertThat(body.get("data").get(0).get("test_id").asText()).isEqualTo("test-56");
    assertThat(body.get("data").get(0).get("started_at").asText())
        .isEqualTo("2026-01-08T01:56:00Z");
    assertThat(body.get("data").get(0).get("latency_ms").isNull()).isTrue();
    JsonNode meta = body.get("meta");
    assertThat(meta.get("start").asText()).isEqualTo("2026-01-07T13:00:00Z");
    assertThat(meta.get("end").asText()).isEqualTo("2026-01-08T13:00:00Z");
    assertThat(meta.get("granularity").isNull()).isTrue();
    assertThat(meta.get("filters").toString()).isEqualTo("{\"pipeline\":[\"streamdiffusion\"]}");
    assertThat(meta.has("group_by")).isFalse();
    assertThat(meta.has("include_test_load")).isFalse();
    assertThat(meta.get("data_as_of").isNull()).isTrue();
    List<String> columns = new ArrayList<>();
    meta.get("columns").forEach(c -> columns.add(c.get("name").asText()));
    assertThat(columns)
        .isEqualTo(TestLoadResults.RESULT_COLUMNS.stream().map(c -> c.name()).toList());
    assertThat(meta.get("columns").get(16).get("unit").asText()).isEqualTo("ms");
    assertThat(body.get("pagination").get("has_more").asBoolean()).isTrue();
  }

  @Test
  void results_filters_reachTheSource_andKeepOnlyTheirRows() {
    start(results);
    JsonNode body =
        ok(
            "/v1/test-load/results?limit=1000&orchestrator=https%3A%2F%2Fo1%3A8935&outcome=failure"
                + "&pipeline=streamdiffusion");
    assertThat(results.filters.getLast())
        .isEqualTo(new TestLoadResults.Filter(Set.of("https://o1:8935"), Set.of("streamdiffusion"),
            Set.of("failure")));
    // Tests 10, 25, 40, 55 fail on o1 (i % 5 == 0, i % 3 == 1); 55 is a batch test (i % 4 == 3).
    List<String> ids = new ArrayList<>();
    body.get("data").forEach(r -> ids.add(r.get("test_id").asText()));
    assertThat(ids).containsExactly("test-40", "test-25", "test-10");
    assertThat(body.get("meta").get("filters").toString())
        .isEqualTo(
            "{\"orchestrator\":[\"https://o1:8935\"],\"pipeline\":[\"streamdiffusion\"],\"outcome\":[\"failure\"]}");
    assertThat(ok("/v1/test-load/results?outcome=aborted").get("data")).isEmpty();
  }

  @Test
  void filters_takeSeveralValues_oneRequestForEveryCombination() {
    start(results);
    JsonNode body = ok("/v1/test-load/results?limit=1000&orchestrator=https%3A%2F%2Fo1%3A8935"
        + "&orchestrator=https%3A%2F%2Fo0%3A8935&outcome=failure&outcome=aborted");
    assertThat(results.filters.getLast()).isEqualTo(new TestLoadResults.Filter(
        Set.of("https://o0:8935", "https://o1:8935"), Set.of(), Set.of("failure", "aborted")));
    // Failures are i % 5 == 0; on o0 or o1, i % 3 != 2: 0, 10, 15, 25, 30, 40, 45, 55.
    List<String> ids = new ArrayList<>();
    body.get("data").forEach(r -> ids.add(r.get("test_id").asText()));
    assertThat(ids)
        .containsExactly(
            "test-55", "test-45", "test-40", "test-30", "test-25", "test-15", "test-10", "test-0");
    assertThat(body.get("meta").get("filters").toString()).isEqualTo(
        "{\"orchestrator\":[\"https://o0:8935\",\"https://o1:8935\"],"
            + "\"outcome\":[\"aborted\",\"failure\"]}");
    // The order of the values does not matter: the same cache entry answers.
    ok("/v1/test-load/results?limit=1000&orchestrator=https%3A%2F%2Fo0%3A8935"
        + "&orchestrator=https%3A%2F%2Fo1%3A8935&outcome=aborted&outcome=failure");
    assertThat(results.calls.get()).isEqualTo(1);

    JsonNode coverage = ok("/v1/test-load/coverage?pipeline=text-to-image&pipeline=streamdiffusion"
        + "&orchestrator=https%3A%2F%2Fo2%3A8935");
    assertThat(results.filters.getLast()).isEqualTo(new TestLoadResults.Filter(
        Set.of("https://o2:8935"), Set.of("streamdiffusion", "text-to-image"), Set.of()));
    assertThat(coverage.get("data").get(0).get("tests").asLong()).isEqualTo(TESTS / 3);

    // As on the metric routes, at most MAX_FILTER_VALUES values of one filter.
    String tooMany = "pipeline=p" + String.join("&pipeline=p", Collections.nCopies(
        QueryParser.MAX_FILTER_VALUES + 1, "x"));
    Http.Answer refused = http.get("/v1/test-load/results?" + tooMany);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("parameter").asText()).isEqualTo("pipeline");
  }

  @Test
  void results_timeParameters_chooseTheRange() {
    start(results);
    JsonNode window = ok("/v1/test-load/results?window=1h&end=2026-01-08T01:30:00Z&limit=1000");
    assertThat(window.get("meta").get("start").asText()).isEqualTo("2026-01-08T00:30:00Z");
    assertThat(window.get("data")).hasSize(30);
    JsonNode range =
        ok("/v1/test-load/results?start=2026-01-08T01:10:00Z&end=2026-01-08T01:20:00Z&limit=1000");
    assertThat(range.get("data")).hasSize(10);
    assertThat(range.get("data").get(9).get("test_id").asText()).isEqualTo("test-10");
    assertThat(ok("/v1/test-load/results?window=1h").get("data")).isEmpty();
    assertThat(ok("/v1/test-load/results?window=30d&limit=1000").get("data")).hasSize(TESTS);
  }

  @Test
  void results_pagination_visitsEveryRowOnce_andTheCursorKeepsTheRange() {
    start(results);
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      Http.Answer a =
          http.get("/v1/test-load/results?limit=10" + (cursor == null ? "" : "&cursor=" + cursor));
      JsonNode body = a.json();
      body.get("data")
          .forEach(
              r -> assertThat(seen.add(r.get("test_id").asText())).as("seen twice: " + r).isTrue());
      assertThat(body.get("meta").get("end").asText()).isEqualTo("2026-01-08T13:00:00Z");
      boolean more = body.get("pagination").get("has_more").asBoolean();
      assertThat(a.header("Link") != null).isEqualTo(more);
      cursor = more ? body.get("pagination").get("next_cursor").asText() : null;
      pages++;
      // The window would slide an hour; the cursor keeps the first page's range.
      clock.advance(Duration.ofHours(1));
    } while (cursor != null);
    assertThat(seen).hasSize(TESTS);
    assertThat(pages).isEqualTo(6);
  }

  @Test
  void results_cursor_withOtherParameters_isRefused() {
    start(results);
    String cursor =
        ok("/v1/test-load/results?limit=10&outcome=success")
            .get("pagination")
            .get("next_cursor")
            .asText();
    assertThat(http.get("/v1/test-load/results?limit=10&outcome=success&cursor=" + cursor).status())
        .isEqualTo(200);
    Http.Answer other = http.get("/v1/test-load/results?limit=10&outcome=failure&cursor=" + cursor);
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.json().get("parameter").asText()).isEqualTo("cursor");
    assertThat(http.get("/v1/gpu/metrics?limit=10&cursor=" + cursor).status()).isEqualTo(400);
  }

  @Test
  void csv_byFormatOrAccept_givesTheSameRows() {
    start(results);
    Http.Answer byFormat = http.get("/v1/test-load/results?format=csv&limit=3");
    Http.Answer byAccept = http.get("/v1/test-load/results?limit=3", "Accept", "text/csv");
    assertThat(byFormat.header("Content-Type")).startsWith("text/csv");
    assertThat(byAccept.body()).isEqualTo(byFormat.body());
    String[] lines = byFormat.body().split("\r\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0])
        .startsWith("run_id,plan,test_id,kind,orchestrator,")
        .endsWith(",latency_ms");
    assertThat(lines[1]).contains(",test-56,").contains(",\"a prompt, with \"\"quotes\"\"\",")
        .contains(",2026-01-08T01:56:00Z,");
    assertThat(byFormat.header("Link")).contains("rel=\"next\"").contains("format=csv");
    String coverage = http.get("/v1/test-load/coverage?format=csv").body();
    assertThat(coverage).startsWith("orchestrator,pipeline,tests,successes,success_rate,");
  }

  @Test
  void coverage_isOnePage_groupedByOrchestratorAndPipeline() {
    start(results);
    JsonNode body = ok("/v1/test-load/coverage?window=7d");
    assertThat(body.get("data").get(0).get("tests").asLong()).isEqualTo(TESTS);
    assertThat(body.get("meta").get("group_by").toString())
        .isEqualTo("[\"orchestrator\",\"pipeline\"]");
    assertThat(body.get("meta").get("start").asText()).isEqualTo("2026-01-01T13:00:00Z");
    assertThat(body.get("pagination").get("has_more").asBoolean()).isFalse();
    assertThat(body.get("pagination").get("next_cursor").isNull()).isTrue();
  }

  @Test
  void withoutTheLoadTester_theRoutesAnswerWithNoRows() {
    start(TestLoadResults.none());
    JsonNode results = ok("/v1/test-load/results");
    assertThat(results.get("data")).isEmpty();
    assertThat(results.get("meta").get("columns")).hasSize(TestLoadResults.RESULT_COLUMNS.size());
    assertThat(ok("/v1/test-load/coverage").get("data")).isEmpty();
    assertThat(http.get("/v1/test-load/coverage?format=csv").body())
        .isEqualTo(
            "orchestrator,pipeline,tests,successes,success_rate,last_tested_at,last_outcome,"
                + "last_error_class,startup_ms_p50,startup_ms_p95,prompt_change_ms_p50,prompt_change_ms_p95,output_fps_avg,output_fps_p50,output_fps_p05\r\n");
  }

  @Test
  void cache_answersTheSameRequestWithoutTheSource_forTenSeconds() {
    start(results);
    String target =
        "/v1/test-load/results?outcome=success&start=2026-01-08T00:00:00Z&end=2026-01-08T02:00:00Z";
    Http.Answer first = http.get(target);
    assertThat(first.header("Cache-Control")).isEqualTo("public, max-age=10");
    assertThat(first.header("Last-Modified")).isNull();
    http.get(target);
    assertThat(results.calls.get()).isEqualTo(1);
    assertThat(http.get(target, "If-None-Match", first.header("ETag")).status()).isEqualTo(304);
    clock.advance(Duration.ofSeconds(10));
    http.get(target);
    assertThat(results.calls.get()).as("expired after ten seconds").isEqualTo(2);
  }

  @Test
  void rateLimit_countsTheseRoutes() {
    start(results);
    Http.Answer a = http.get("/v1/test-load/coverage");
    assertThat(a.header("X-RateLimit-Limit"))
        .isEqualTo(Integer.toString(ApiConfig.DEFAULT_REQUESTS_PER_WINDOW));
    assertThat(a.header("X-RateLimit-Remaining"))
        .isEqualTo(Integer.toString(ApiConfig.DEFAULT_REQUESTS_PER_WINDOW - 1));
    assertThat(http.get("/v1/test-load/results").header("RateLimit"))
        .startsWith("\"default\";r=98;");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/v1/test-load/results?outcome=passed|outcome",
      "/v1/test-load/results?outcome=success&outcome=|outcome",
      "/v1/test-load/results?orchestrator=|orchestrator",
      "/v1/test-load/results?pipeline=%20|pipeline",
      "/v1/test-load/results?limit=0|limit",
      "/v1/test-load/results?limit=1001|limit",
      "/v1/test-load/results?cursor=abc|cursor",
      "/v1/test-load/results?window=2h|window",
      "/v1/test-load/results?start=2026-01-08T00:00:00Z&window=1h|window",
      "/v1/test-load/results?start=yesterday|start",
      "/v1/test-load/results?start=2026-01-08T00:00:00Z&end=2026-01-07T00:00:00Z|end",
      "/v1/test-load/results?start=2025-01-01T00:00:00Z&end=2026-01-08T00:00:00Z|start",
      "/v1/test-load/results?format=xml|format",
      "/v1/test-load/results?granularity=1h|granularity",
      "/v1/test-load/results?include_test_load=true|include_test_load",
      "/v1/test-load/results?gpu_id=x|gpu_id",
      "/v1/test-load/coverage?limit=10|limit",
      "/v1/test-load/coverage?cursor=abc|cursor",
      "/v1/test-load/coverage?outcome=success|outcome",
      "/v1/test-load/coverage?window=365d|window"})
  void badParameter_is400ProblemNamingIt(String pathAndQuery, String parameter) {
    start(results);
    Http.Answer a = http.get(pathAndQuery);
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(a.json().get("parameter").asText()).isEqualTo(parameter);
    assertThat(results.calls.get()).as("a bad request never reaches the source").isZero();
  }
}
