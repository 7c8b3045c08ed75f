package dev.naap.api;

import static dev.naap.api.ApiNetwork.A;
import static dev.naap.api.ApiNetwork.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every route over HTTP against a real embedded store fed with {@link ApiNetwork}, whose numbers
 * are worked out by hand in the assertions. The clock stands 12 h after the network starts, so the
 * default window (24 h) holds all of it.
 */
class ApiIntegrationTest {

  private static Store store;
  private static MetricsQueries queries;
  private final MutableClock clock = new MutableClock(ApiNetwork.START.plus(Duration.ofHours(12)));
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private ApiServer server;
  private Http http;

  @BeforeAll
  static void feed() {
    store = TestStores.store("api_it");
    ApiNetwork.feed(store);
    queries = TestStores.queries(store);
  }

  private void start(ApiConfig config) {
    server = new ApiServer(config.withAddress("127.0.0.1", 0), queries, DatasetCatalog.empty(),
        new StoreReadiness(queries, null, clock), registry, clock).start();
    http = new Http(server.url());
  }

  private void start() {
    // A quota no test of this class reaches, except the one about quotas.
    start(ApiConfig.defaults().withQuotas(100_000, Map.of(), 10));
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

  private static List<JsonNode> rows(JsonNode body, String column, String value) {
    List<JsonNode> rows = new ArrayList<>();
    body.get("data").forEach(r -> {
      if (r.get(column).asText().equals(value)) {
        rows.add(r);
      }
    });
    return rows;
  }

  @Test
  void gpuMetrics_hourly_givesTheNumbersWorkedOutByHand() {
    start();
    JsonNode body = ok("/v1/gpu/metrics?granularity=1h&limit=1000");
    assertThat(body.get("meta").get("granularity").asText()).isEqualTo("1h");
    assertThat(body.get("meta").get("group_by").toString())
        .isEqualTo("[\"orchestrator\",\"gpu_id\",\"gpu_model\",\"region\",\"pipeline\"]");
    List<JsonNode> a = rows(body, "orchestrator_address", A);
    assertThat(a).hasSize(ApiNetwork.HOURS);
    JsonNode first = a.getFirst();
    assertThat(first.get("window_start").asText()).isEqualTo("2026-01-08T19:00:00Z");
    assertThat(first.get("gpu_id").asText()).isEqualTo(ApiNetwork.GPU);
    assertThat(first.get("gpu_model").asText()).isEqualTo("NVIDIA GeForce RTX 4090");
    assertThat(first.get("region").asText()).isEqualTo("eu");
    assertThat(first.get("segments").asLong()).isEqualTo(1);
    // FPS 20, 21, 19: mean 20 over 3 samples.
    assertThat(first.get("output_fps_mean").asDouble()).isCloseTo(20.0, within(1e-9));
    assertThat(first.get("fps_samples").asLong()).isEqualTo(3);
    assertThat(first.get("ptff_ms_p50").asDouble()).isCloseTo(1_500, within(1.0));
    assertThat(first.get("failure_rate").asDouble()).isZero();
    // Bytes received 1 000 → 126 000 over 10 s: 8 × 125 000 / 10 / 1000 = 100 kbit/s; sent 100 → 1
    // 350: 1 kbit/s.
    assertThat(first.get("bandwidth_up_kbps_mean").asDouble()).isCloseTo(100.0, within(1e-6));
    assertThat(first.get("bandwidth_down_kbps_mean").asDouble()).isCloseTo(1.0, within(1e-6));
    // Hour 3 also holds the failed session: 2 segments, 1 failed, its FPS 0 sample not counted.
    JsonNode hour3 = a.get(3);
    assertThat(hour3.get("segments").asLong()).isEqualTo(2);
    assertThat(hour3.get("failed_segments").asLong()).isEqualTo(1);
    assertThat(hour3.get("failure_rate").asDouble()).isCloseTo(0.5, within(1e-9));
    assertThat(hour3.get("fps_samples").asLong()).isEqualTo(3);
    List<JsonNode> b = rows(body, "orchestrator_address", B);
    assertThat(b).hasSize(ApiNetwork.HOURS);
    assertThat(b.getFirst().get("output_fps_mean").asDouble()).isCloseTo(16.5, within(1e-9));
    assertThat(b.getFirst().get("ptff_ms_p50").asDouble()).isCloseTo(3_000, within(1.0));
    // Two samples give no jitter coefficient: null with its count 0, never a 0 that looks measured.
    assertThat(b.getFirst().get("jitter_coefficient_mean").isNull()).isTrue();
    assertThat(b.getFirst().get("jitter_samples").asLong()).isZero();
  }

  @Test
  void filters_everyDimension_keepOnlyTheirRows() {
    start();
    assertThat(ok("/v1/gpu/metrics?granularity=1h&gpu_id=" + ApiNetwork.GPU).get("data"))
        .hasSize(ApiNetwork.HOURS);
    assertThat(
            ok("/v1/gpu/metrics?granularity=1h&gpu_model=NVIDIA%20GeForce%20RTX%204090")
                .get("data"))
        .hasSize(ApiNetwork.HOURS);
    assertThat(ok("/v1/gpu/metrics?granularity=1h&region=us").get("data")).hasSize(ApiNetwork.HOURS)
        .allSatisfy(r -> assertThat(r.get("orchestrator_address").asText()).isEqualTo(B));
    assertThat(
            ok("/v1/gpu/metrics?granularity=1h&orchestrator=" + A.toUpperCase().replace("0X", "0x"))
                .get("data"))
        .hasSize(ApiNetwork.HOURS);
    assertThat(ok("/v1/gpu/metrics?granularity=1h&region=us&region=eu").get("data"))
        .hasSize(2 * ApiNetwork.HOURS);
    assertThat(
            ok("/v1/gpu/metrics?granularity=1h&gateway=gw-1&pipeline=streamdiffusion").get("data"))
        .hasSize(2 * ApiNetwork.HOURS);
    JsonNode none = ok("/v1/gpu/metrics?granularity=1h&gateway=elsewhere");
    assertThat(none.get("data")).isEmpty();
    assertThat(none.get("meta").get("filters").get("gateway").toString())
        .isEqualTo("[\"elsewhere\"]");
    Http.Answer notFilterable = http.get("/v1/network/demand?orchestrator=" + A);
    assertThat(notFilterable.status()).isEqualTo(400);
    assertThat(notFilterable.json().get("parameter").asText()).isEqualTo("orchestrator");
  }

  @Test
  void groupBySortAndTestLoad_shapeTheRows() {
    start();
    JsonNode byRegion =
        ok(
            "/v1/gpu/metrics?granularity=1d&start=2026-01-08T00:00:00Z&end=2026-01-10T00:00:00Z"
                + "&group_by=region&sort=-segments");
    assertThat(byRegion.get("meta").get("group_by").toString()).isEqualTo("[\"region\"]");
    List<String> regions = new ArrayList<>();
    byRegion.get("data").forEach(r -> regions.add(r.get("region").asText()));
    assertThat(regions).containsOnly("eu", "us");
    assertThat(byRegion.get("data").get(0).has("orchestrator_address")).isFalse();
    long previous = Long.MAX_VALUE;
    for (JsonNode r : byRegion.get("data")) {
      assertThat(r.get("segments").asLong()).isLessThanOrEqualTo(previous);
      previous = r.get("segments").asLong();
    }
    String hour5 =
        "/v1/network/demand?granularity=1h&start=2026-01-09T00:00:00Z&end=2026-01-09T01:00:00Z";
    assertThat(sum(ok(hour5), "sessions_requested")).isEqualTo(2);
    assertThat(sum(ok(hour5 + "&include_test_load=true"), "sessions_requested")).isEqualTo(3);
  }

  private static long sum(JsonNode body, String column) {
    long total = 0;
    for (JsonNode r : body.get("data")) {
      total += r.get(column).asLong();
    }
    return total;
  }

  @Test
  void everyGranularity_countsTheSameSegments() {
    start();
    String day = "start=2026-01-08T19:00:00Z&end=2026-01-09T19:00:00Z";
    // Ten sessions on A, ten on B and the failed one; the test-load session is left out.
    // Buckets that start in the range count: the range starts at midnight so the first day counts.
    for (String g : List.of("1h", "1d")) {
      JsonNode body = ok("/v1/gpu/metrics?limit=1000&granularity=" + g
          + "&start=2026-01-08T00:00:00Z&end=2026-01-10T00:00:00Z");
      assertThat(body.get("meta").get("granularity").asText()).isEqualTo(g);
      assertThat(sum(body, "segments")).as(g).isEqualTo(21);
    }
    // Minute buckets are kept only about a week back from now (docs/METRICS.md): this network is
    // older.
    for (String g : List.of("1m", "5m")) {
      assertThat(
              ok("/v1/gpu/metrics?granularity=" + g + "&" + day)
                  .get("meta")
                  .get("granularity")
                  .asText())
          .isEqualTo(g);
    }
    assertThat(ok("/v1/gpu/metrics?" + day).get("meta").get("granularity").asText())
        .isEqualTo("5m");
    assertThat(ok("/v1/gpu/metrics?window=7d").get("meta").get("granularity").asText())
        .isEqualTo("1h");
    assertThat(ok("/v1/gpu/metrics?window=30d").get("meta").get("granularity").asText())
        .isEqualTo("1h");
    assertThat(ok("/v1/gpu/metrics?window=1h").get("meta").get("granularity").asText())
        .isEqualTo("1m");
    JsonNode lastHour = ok("/v1/gpu/metrics?window=1h&end=2026-01-09T05:00:00Z&granularity=1h");
    assertThat(lastHour.get("meta").get("start").asText()).isEqualTo("2026-01-09T04:00:00Z");
    assertThat(lastHour.get("data")).hasSize(2);
  }

  @Test
  void granularityAll_isOneRowPerGroup_withTheBucketsCounts() {
    start();
    String range = "&start=2026-01-08T00:00:00Z&end=2026-01-10T00:00:00Z";
    JsonNode all = ok("/v1/gpu/metrics?granularity=all&group_by=orchestrator" + range);
    JsonNode hours = ok("/v1/gpu/metrics?granularity=1h&group_by=orchestrator&limit=1000" + range);

    assertThat(all.get("meta").get("granularity").asText()).isEqualTo("all");
    assertThat(all.get("data")).hasSize(2);
    for (JsonNode row : all.get("data")) {
      assertThat(row.get("window_start").asText()).isEqualTo("2026-01-08T00:00:00Z");
      String orchestrator = row.get("orchestrator_address").asText();
      List<JsonNode> itsHours = rows(hours, "orchestrator_address", orchestrator);
      for (String count : List.of("segments", "fps_samples", "ptff_samples", "failed_segments")) {
        assertThat(row.get(count).asLong()).as(count)
            .isEqualTo(itsHours.stream().mapToLong(h -> h.get(count).asLong()).sum());
      }
    }
    assertThat(sum(all, "segments")).isEqualTo(21);
    // Off the hour and older than the minute rollups: the hours that start in the range, as at 1h.
    String offHour = "&start=2026-01-08T19:30:00Z&end=2026-01-09T19:30:00Z";
    assertThat(sum(ok("/v1/gpu/metrics?granularity=all" + offHour), "segments"))
        .isEqualTo(sum(ok("/v1/gpu/metrics?granularity=1h&limit=1000" + offHour), "segments"));
    String csv = http.get("/v1/gpu/metrics?granularity=all&group_by=orchestrator" + range,
        "Accept", "text/csv").body();
    assertThat(csv.strip().split("\n")).hasSize(3);
  }

  @Test
  void demand_countsRequestsStartsAndUnmetDemand() {
    start();
    JsonNode body = ok("/v1/network/demand?granularity=1h");
    long requested = 0;
    long started = 0;
    long unmet = 0;
    for (JsonNode r : body.get("data")) {
      requested += r.get("sessions_requested").asLong();
      started += r.get("sessions_started").asLong();
      unmet += r.get("sessions_no_orchestrator").asLong();
    }
    // Two sessions an hour for ten hours, the failed one and the unmet one; test load excluded.
    assertThat(requested).isEqualTo(22);
    assertThat(started).isEqualTo(20);
    assertThat(unmet).isEqualTo(1);
  }

  @Test
  void slaCompliance_countsViolations_andCarriesTheTargets() {
    start();
    JsonNode body = ok("/v1/sla/compliance");
    JsonNode a = rows(body, "orchestrator_address", A).getFirst();
    // Ten good sessions and the failed one.
    assertThat(a.get("eligible_segments").asLong()).isEqualTo(11);
    assertThat(a.get("compliant_segments").asLong()).isEqualTo(10);
    assertThat(a.get("violations_failure").asLong()).isEqualTo(1);
    assertThat(a.get("compliance_rate").asDouble()).isCloseTo(10.0 / 11, within(1e-9));
    // 1 - (1/11) / (1 - 0.99): the budget is overspent.
    assertThat(a.get("error_budget_remaining").asDouble())
        .isCloseTo(1 - (1.0 / 11) / 0.01, within(1e-6));
    JsonNode targets = body.get("meta").get("sla_targets");
    assertThat(targets.get(0).get("ptff_ms").asLong()).isEqualTo(5_000);
    assertThat(targets.get(0).get("objective").asDouble()).isEqualTo(0.99);
  }

  @Test
  void orchestrators_listAndDetail() {
    start();
    JsonNode list = ok("/v1/orchestrators");
    assertThat(rows(list, "orchestrator_address", A)).hasSize(1);
    assertThat(rows(list, "orchestrator_address", B)).hasSize(1);
    JsonNode detail = ok("/v1/orchestrators/" + A + "?granularity=1h");
    assertThat(detail.get("data").get("metadata").get("orchestrator_address").asText())
        .isEqualTo(A);
    assertThat(detail.get("data").get("gpus").get(0).get("gpu_id").asText())
        .isEqualTo(ApiNetwork.GPU);
    assertThat(detail.get("data").get("history")).hasSize(ApiNetwork.HOURS);
    assertThat(detail.get("meta").get("metadata_columns").isArray()).isTrue();
    assertThat(http.get("/v1/orchestrators/" + A + "?format=csv").body())
        .startsWith("window_start,orchestrator_address,");
    Http.Answer unknown = http.get("/v1/orchestrators/0x" + "c".repeat(40));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
    Http.Answer bad = http.get("/v1/orchestrators/0x12");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("parameter").asText()).isEqualTo("address");
    assertThat(http.get("/v1/orchestrators/" + A + "?region=eu").status()).isEqualTo(400);
  }

  @Test
  void overview_givesHeadlinesWithThePreviousPeriod() {
    start();
    JsonNode body = ok("/v1/network/overview?window=24h");
    assertThat(body.get("data").size()).isPositive();
    body.get("data").forEach(h -> {
      assertThat(h.has("name")).isTrue();
      assertThat(h.has("previous")).isTrue();
      assertThat(h.get("count").isIntegralNumber()).isTrue();
    });
    assertThat(rows(body, "name", "sessions").getFirst().get("value").asDouble())
        .as(body.toString())
        .isEqualTo(22.0);
    // Nothing happened the day before: no mean FPS (null, with its count 0), never a 0 that looks
    // measured.
    JsonNode fps = rows(body, "name", "output_fps_mean").getFirst();
    assertThat(fps.get("previous").isNull()).as(body.toString()).isTrue();
    assertThat(fps.get("previous_count").asLong()).isZero();
    assertThat(body.get("meta").get("previous_end").asText())
        .isEqualTo(body.get("meta").get("start").asText());
    assertThat(body.get("meta").get("granularity").isNull()).as("headlines have no buckets")
        .isTrue();
    assertThat(http.get("/v1/network/overview?limit=5").status()).isEqualTo(400);
  }

  @Test
  void datasets_dailyExportsWithChecksumsThatMatchTheDownload() throws Exception {
    start();
    JsonNode list = ok("/v1/datasets");
    assertThat(rows(list, "id", "gpu-metrics-2026-01-08")).hasSize(1);
    JsonNode detail = ok("/v1/datasets/gpu-metrics-2026-01-08").get("data");
    Http.Answer download = http.get(detail.get("download_url").asText());
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.header("Content-Type")).isEqualTo("text/csv");
    byte[] bytes = download.body().getBytes(StandardCharsets.UTF_8);
    assertThat(detail.get("sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(detail.get("bytes").asLong()).isEqualTo(bytes.length);
    // 2026-01-08 holds hours 19:00 to 23:00: five hours of A and of B.
    assertThat(detail.get("records").asLong()).isEqualTo(10);
    assertThat(download.body()).startsWith("window_start,orchestrator_address,");
    assertThat(http.get("/v1/datasets/gpu-metrics-2026-01-09").status())
        .as("today is not complete")
        .isEqualTo(404);
    assertThat(http.raw("/v1/datasets/..").status()).isEqualTo(400);
    assertThat(http.get("/v1/datasets?format=csv").body()).startsWith("id,kind,title,");
  }

  @Test
  void csv_givesTheSameRowsAsJson() {
    start();
    JsonNode json = ok("/v1/gpu/metrics?granularity=1h&orchestrator=" + A);
    String[] csv =
        http.get("/v1/gpu/metrics?granularity=1h&orchestrator=" + A, "Accept", "text/csv")
            .body()
            .split("\r\n");
    assertThat(csv).hasSize(ApiNetwork.HOURS + 1);
    assertThat(csv[0].split(",")).hasSize(json.get("data").get(0).size());
    assertThat(csv[1]).startsWith("2026-01-08T19:00:00Z," + A + "," + ApiNetwork.GPU + ",");
  }

  @Test
  void pagination_visitsEveryRowExactlyOnce() {
    start();
    JsonNode all = ok("/v1/gpu/metrics?granularity=1h&limit=1000");
    Set<String> expected = new HashSet<>();
    all.get("data").forEach(r -> expected.add(r.toString()));
    Set<String> seen = new HashSet<>();
    String cursor = null;
    do {
      JsonNode page =
          ok(
              "/v1/gpu/metrics?granularity=1h&limit=3"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      page.get("data")
          .forEach(r -> assertThat(seen.add(r.toString())).as("seen twice: " + r).isTrue());
      cursor = page.get("pagination").get("has_more").asBoolean()
          ? page.get("pagination").get("next_cursor").asText() : null;
    } while (cursor != null);
    assertThat(seen).isEqualTo(expected).hasSize(2 * ApiNetwork.HOURS);
  }

  @Test
  void etagAndLastModified_give304() {
    start();
    Http.Answer first = http.get("/v1/sla/compliance");
    assertThat(first.header("Last-Modified")).isNotNull();
    assertThat(first.header("Cache-Control")).startsWith("public, max-age=");
    assertThat(http.get("/v1/sla/compliance", "If-None-Match", first.header("ETag")).status())
        .isEqualTo(304);
  }

  @Test
  void rateLimit_101stRequestInAnHourIs429_and304sAreFree() {
    start(ApiConfig.defaults());
    String etag = http.get("/v1/gpu/metrics").header("ETag");
    for (int i = 2; i <= 100; i++) {
      Http.Answer a = i % 10 == 0
          ? http.get("/v1/gpu/metrics", "If-None-Match", etag)
          : http.get("/v1/gpu/metrics?limit=" + i);
      assertThat(a.status()).isEqualTo(i % 10 == 0 ? 304 : 200);
    }
    // Ten of those were 304s, which are free: ten requests are left.
    for (int i = 0; i < 10; i++) {
      assertThat(http.get("/v1/network/demand?limit=" + (i + 1)).status()).isEqualTo(200);
    }
    Http.Answer refused = http.get("/v1/network/demand");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
    assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(refused.header("RateLimit")).startsWith("\"default\";r=0;t=");
    assertThat(refused.json().get("status").asInt()).isEqualTo(429);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/v1/gpu/metrics?window=90d|window",
      "/v1/gpu/metrics?granularity=5m&window=30d|granularity",
      "/v1/network/demand?group_by=orchestrator|group_by",
      "/v1/sla/compliance?sort=window_start|sort",
      "/v1/orchestrators?limit=-1|limit",
      "/v1/network/overview?granularity=1h|granularity",
      "/v1/datasets?window=24h|window",
      "/v1/datasets/x?format=csv|format"})
  void errors_name_theParameter(String pathAndQuery, String parameter) {
    start();
    Http.Answer a = http.get(pathAndQuery);
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(a.json().get("parameter").asText()).isEqualTo(parameter);
  }

  @Test
  void operationalRoutes() throws InterruptedException {
    start();
    assertThat(ok("/health").get("status").asText()).isEqualTo("ok");
    JsonNode ready = ok("/ready");
    assertThat(ready.get("ready").asBoolean()).isTrue();
    assertThat(ready.get("checks").get("store").asText()).isEqualTo("reachable");
    ok("/v1/gpu/metrics");
    // The server counts a request once its response is sent, which may be just after the client
    // has read it.
    String metrics = Scrape.text(registry);
    for (int i = 0; i < 100 && !metrics.contains("route=\"/v1/gpu/metrics\""); i++) {
      Thread.sleep(20);
      metrics = Scrape.text(registry);
    }
    assertThat(http.get("/metrics").status()).as("metrics stay off the public port").isEqualTo(404);
    assertThat(metrics)
        .as(metrics)
        .contains("naap_api_requests_total{route=\"/v1/gpu/metrics\",status=\"200\"} 1.0")
        .contains(
            "naap_api_request_duration_seconds_bucket{route=\"/v1/gpu/metrics\",status=\"200\",le=\"0.001\"}")
        .contains("naap_api_cache_requests_total{result=\"miss\"}");
    assertThat(http.get("/openapi.json").body()).isEqualTo(server.openApiDocument());
    Http.Answer docs = http.get("/docs");
    assertThat(docs.header("Content-Type")).startsWith("text/html");
    assertThat(docs.body()).contains("/openapi.json").doesNotContain("https://");
  }
}
