package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.naap.store.StoreException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP layer over a fake query layer: conventions that do not depend on the data (quotas,
 * cursors, caching, static files, CORS). The same conventions over the real store are in
 * {@link ApiIntegrationTest}.
 */
class HttpLayerTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-08T12:00:30Z"));
  private final FakeQueries queries = new FakeQueries(250);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private ApiServer server;
  private Http http;

  private void start(ApiConfig config) {
    server = new ApiServer(config.withAddress("127.0.0.1", 0), queries, DatasetCatalog.empty(),
        () -> new Readiness.Status(true, Map.of()), registry, clock)
        .mount("/", "dev/naap/api/site/").start();
    http = new Http(server.url());
  }

  private void start() {
    start(ApiConfig.defaults());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void envelope_hasDataMetaAndPagination() {
    start();
    JsonNode body = http.get("/v1/gpu/metrics?limit=2").json();
    assertThat(body.get("data")).hasSize(2);
    assertThat(body.get("data").get(1).get("fps_mean").isNull()).isTrue();
    assertThat(body.get("data").get(0).get("window_start").asText())
        .isEqualTo("2026-01-08T00:00:00Z");
    JsonNode meta = body.get("meta");
    assertThat(meta.get("end").asText()).isEqualTo("2026-01-08T12:01:00Z");
    assertThat(meta.get("start").asText()).isEqualTo("2026-01-07T12:01:00Z");
    assertThat(meta.get("granularity").asText()).isEqualTo("5m");
    assertThat(meta.get("data_as_of").asText()).isEqualTo("2026-01-08T12:00:00Z");
    assertThat(meta.get("generated_at").asText()).isEqualTo("2026-01-08T12:00:30Z");
    assertThat(meta.get("definitions_version").asText()).isEqualTo(Meta.DEFINITIONS_VERSION);
    assertThat(meta.get("filters").isObject()).isTrue();
    assertThat(body.get("pagination").get("has_more").asBoolean()).isTrue();
    assertThat(body.get("pagination").get("next_cursor").asText()).isNotEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bogus=1|bogus",
      "window=2h|window",
      "window=24h&start=2026-01-01T00:00:00Z|window",
      "start=yesterday|start",
      "start=2026-01-08T00:00:00Z&end=2026-01-07T00:00:00Z|end",
      "start=2024-01-01T00:00:00Z&end=2026-01-01T00:00:00Z|start",
      "granularity=2m|granularity",
      "granularity=1m&window=7d|granularity",
      "limit=0|limit",
      "limit=1001|limit",
      "limit=ten|limit",
      "limit=1&limit=2|limit",
      "include_test_load=yes|include_test_load",
      "format=xml|format",
      "group_by=region|group_by",
      "group_by=orchestrator,orchestrator|group_by",
      "sort=-nothing|sort",
      "cursor=abc|cursor",
      "orchestrator=|orchestrator",
      "gpu_model=%E2%82|gpu_model",
      "pipeline=%C3%28|pipeline"})
  void badParameter_is400ProblemNamingIt(String query, String parameter) {
    start();
    Http.Answer a = http.raw("/v1/gpu/metrics?" + query);
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(a.json().get("parameter").asText()).isEqualTo(parameter);
    assertThat(a.json().get("status").asInt()).isEqualTo(400);
    assertThat(a.json().get("detail").asText()).isNotBlank();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "reliability_weight=1e308&quality_weight=1e308|reliability_weight",
      "reliability_weight=9e307&quality_weight=1.7e308|quality_weight",
      "reliability_weight=1e309|reliability_weight",
      "quality_weight=NaN|quality_weight",
      "reliability_weight=-0.5|reliability_weight",
      "reliability_weight=1.5|reliability_weight",
      "min_score=Infinity|min_score"})
  void discover_hostileNumbers_are400ProblemNamingThem(String query, String parameter) {
    start();
    Http.Answer a = http.raw(
        DiscoverEndpoint.PATH + "?caps=live-video-to-video/streamdiffusion&" + query);
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(a.json().get("parameter").asText()).isEqualTo(parameter);
    assertThat(http.raw(DiscoverEndpoint.PATH
            + "?caps=live-video-to-video/streamdiffusion&reliability_weight=1e308"
            + "&quality_weight=1e-308").status())
        .as("a finite sum is normalised")
        .isEqualTo(200);
  }

  /**
   * One excluded value holding a comma ({@code "A, B"}) and two values ({@code A}, {@code B}) once
   * shared a cache key (the sets' toString): the second request got the first one's list, and so
   * did its stale answer while the store failed.
   */
  @Test
  void discover_excludeOneValueWithAComma_andTwoValues_areAnsweredEachTheirOwn() {
    start();
    String a = FakeQueries.SIGNERS.get(0).toUpperCase(java.util.Locale.ROOT).replace("0X", "0x");
    String b = FakeQueries.SIGNERS.get(1);
    String base = DiscoverEndpoint.PATH
        + "?caps=live-video-to-video/streamdiffusion&format=webhook&exclude=";
    String one = base + a + "%2C%20" + b;
    String two = base + a + "&exclude=" + b;
    String all = "[{\"address\":\"https://a.example:8935\"},"
        + "{\"address\":\"https://b.example:8935\"},{\"address\":\"https://c.example:8935\"}]";
    String onlyC = "[{\"address\":\"https://c.example:8935\"}]";
    // "A, B" is no signer: nothing is left out.
    assertThat(http.get(one).body()).isEqualTo(all);
    assertThat(http.get(two).body()).isEqualTo(onlyC);
    assertThat(http.get(one).body()).isEqualTo(all);
    assertThat(queries.runs.get()).isEqualTo(2);

    // The store fails once the cached answers expired: each shape has its own last good answer.
    queries.failure = new StoreException(0, "down", "SELECT 1");
    clock.advance(Duration.ofSeconds(31));
    Http.Answer staleTwo = http.get(two);
    assertThat(staleTwo.header("X-Naap-Stale")).isEqualTo("age=31");
    assertThat(staleTwo.body()).isEqualTo(onlyC);
    Http.Answer staleOne = http.get(one);
    assertThat(staleOne.header("X-Naap-Stale")).isEqualTo("age=31");
    assertThat(staleOne.body()).isEqualTo(all);
    // A shape never answered has no last good answer: the store's 503.
    assertThat(http.get(base + b + "%2C%20" + a).status()).isEqualTo(503);
  }

  /**
   * The score history is hourly, and hours are queried over at most 92 days: a longer range once
   * reached the query layer and came back as "Invalid query" without a parameter.
   */
  @Test
  void scoreHistory_overNinetyTwoDays_is400NamingStart_beforeTheStore() {
    start();
    String path = "/v1/orchestrators/0x" + "1".repeat(40) + "/scores?end=2026-01-08T00:00:00Z";
    Http.Answer tooLong = http.get(path + "&start=2025-10-07T23:00:00Z");
    assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
    assertThat(tooLong.json().get("title").asText()).isEqualTo("Invalid parameter");
    assertThat(tooLong.json().get("parameter").asText()).isEqualTo("start");
    assertThat(tooLong.json().get("detail").asText())
        .isEqualTo("the range is longer than the maximum of 92 days");
    assertThat(queries.runs.get()).isZero();
    // 92 days exactly is allowed.
    assertThat(http.get(path + "&start=2025-10-08T00:00:00Z").status()).isEqualTo(200);
    assertThat(queries.runs.get()).isEqualTo(1);
  }

  @Test
  void csv_byFormatOrAccept_givesTheSameRows() {
    start();
    Http.Answer byFormat = http.get("/v1/gpu/metrics?limit=3&format=csv");
    Http.Answer byAccept = http.get("/v1/gpu/metrics?limit=3", "Accept", "text/csv");
    assertThat(byFormat.header("Content-Type")).startsWith("text/csv");
    assertThat(byFormat.body())
        .isEqualTo(byAccept.body())
        .isEqualTo(
            """
            window_start,orchestrator_address,segments,fps_mean\r
            2026-01-08T00:00:00Z,0x0000000000000000000000000000000000000000,0,20.5\r
            2026-01-08T01:00:00Z,0x0000000000000000000000000000000000000001,1,\r
            2026-01-08T02:00:00Z,0x0000000000000000000000000000000000000002,2,20.5\r
            """);
    assertThat(byFormat.header("Link")).contains("rel=\"next\"").contains("cursor=");
    assertThat(
            http.get("/v1/gpu/metrics", "Accept", "application/json, text/csv")
                .header("Content-Type"))
        .isEqualTo("application/json");
    assertThat(
            http.get("/v1/gpu/metrics", "Accept", "application/json;q=0.5, text/csv;q=0.9")
                .header("Content-Type"))
        .startsWith("text/csv");
  }

  /** q=0 means "not acceptable" (RFC 9110): such a type is never chosen. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "text/csv;q=0|application/json",
      "text/csv; q=0.000|application/json",
      "text/csv;q=NaN|application/json",
      "text/csv;q=-1, application/json;q=0.1|application/json",
      "application/json;q=0, text/csv;q=0.001|text/csv; charset=utf-8; header=present",
      "text/csv;q=0.5|text/csv; charset=utf-8; header=present"})
  void accept_aTypeOfQualityZero_isNotChosen(String accept, String contentType) {
    start();
    assertThat(http.get("/v1/gpu/metrics?limit=1", "Accept", accept).header("Content-Type"))
        .isEqualTo(contentType);
  }

  @Test
  void pagination_visitsEveryRowOnce_andTheCursorKeepsTheRange() {
    start();
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode body =
          http.get(
                  "/v1/gpu/metrics?limit=100&window=24h"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      body.get("data")
          .forEach(row -> assertThat(seen.add(row.get("orchestrator_address").asText())).isTrue());
      assertThat(body.get("meta").get("start").asText()).isEqualTo("2026-01-07T12:01:00Z");
      cursor =
          body.get("pagination").get("next_cursor").isNull()
              ? null
              : body.get("pagination").get("next_cursor").asText();
      pages++;
      // A later page keeps the first page's range even as the clock moves.
      clock.advance(Duration.ofMinutes(3));
    } while (cursor != null);
    assertThat(seen).hasSize(250);
    assertThat(pages).isEqualTo(3);
  }

  /**
   * A start finer than a millisecond: the cursor keeps milliseconds, so page 2 once ran from the
   * whole millisecond and its buckets began an hour before page 1's (a row repeated). Times are
   * taken to the millisecond when parsed, so every page has the same range.
   */
  @Test
  void pagination_withASubMillisecondStart_visitsEveryHourOnce() {
    start();
    queries.hourly = true;
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode body = http.get("/v1/gpu/metrics?limit=50&granularity=1h"
          + "&start=2026-01-01T00:00:00.0000005Z&end=2026-01-08T00:00:00Z"
          + (cursor == null ? "" : "&cursor=" + cursor)).json();
      assertThat(body.get("meta").get("start").asText()).isEqualTo("2026-01-01T00:00:00Z");
      body.get("data").forEach(row -> seen.add(row.get("window_start").asText()));
      JsonNode next = body.get("pagination").get("next_cursor");
      cursor = next.isNull() ? null : next.asText();
    } while (cursor != null);
    assertThat(seen).hasSize(7 * 24).doesNotHaveDuplicates();
    assertThat(seen.getFirst()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(seen.getLast()).isEqualTo("2026-01-07T23:00:00Z");
  }

  @Test
  void cursor_withOtherParameters_isRefused() {
    start();
    String cursor =
        http.get("/v1/gpu/metrics?limit=10").json().get("pagination").get("next_cursor").asText();
    Http.Answer other = http.get("/v1/gpu/metrics?limit=10&pipeline=x&cursor=" + cursor);
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.json().get("parameter").asText()).isEqualTo("cursor");
    assertThat(http.get("/v1/network/demand?limit=10&cursor=" + cursor).status()).isEqualTo(400);
    assertThat(http.get("/v1/gpu/metrics?limit=10&cursor=" + cursor).status()).isEqualTo(200);
  }

  /**
   * {@code %63ursor} decodes to {@code cursor}: the Link once kept it beside the new cursor, and
   * from the cache that Link went to every later client, whose next request was a 400.
   */
  @Test
  void link_isBuiltFromTheDecodedParameters_soACachedLinkHoldsOneCursor() {
    start();
    JsonNode first = http.get("/v1/gpu/metrics?limit=100&pipeline=a%20b").json();
    String c2 = first.get("pagination").get("next_cursor").asText();
    Http.Answer oddly = http.raw("/v1/gpu/metrics?%6Cimit=100&%63ursor=" + c2 + "&pipeline=a+b");
    assertThat(oddly.status()).isEqualTo(200);
    String c3 = oddly.json().get("pagination").get("next_cursor").asText();
    String link = "</v1/gpu/metrics?limit=100&pipeline=a%20b&cursor=" + c3 + ">; rel=\"next\"";
    assertThat(oddly.header("Link")).isEqualTo(link);
    // The same page from the cache, asked for plainly: the same Link, and it works.
    Http.Answer plain = http.get("/v1/gpu/metrics?limit=100&pipeline=a%20b&cursor=" + c2);
    assertThat(queries.runs.get()).isEqualTo(2);
    assertThat(plain.header("Link")).isEqualTo(link);
    String next = link.substring(1, link.indexOf('>'));
    Http.Answer last = http.get(next);
    assertThat(last.status()).isEqualTo(200);
    assertThat(last.json().get("data")).hasSize(50);
    assertThat(last.header("Link")).isNull();
  }

  @Test
  void etag_ifNoneMatch_is304_andFreeOfQuota() {
    start();
    Http.Answer first = http.get("/v1/gpu/metrics");
    assertThat(first.header("ETag")).startsWith("\"");
    assertThat(first.header("Last-Modified")).isEqualTo("Thu, 8 Jan 2026 12:00:00 GMT");
    assertThat(first.header("Cache-Control")).isEqualTo("public, max-age=30");
    assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("99");
    Http.Answer again = http.get("/v1/gpu/metrics", "If-None-Match", first.header("ETag"));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.header("X-RateLimit-Remaining")).isEqualTo("99");
    assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
  }

  /**
   * {@code If-None-Match: *} matches any ETag, so a request that misses the cache was answered 304
   * after the store computed it, and refunded: free queries without end (found by an attack over
   * loopback). Only a 304 from the cache is free now.
   */
  @Test
  void ifNoneMatchStar_onACacheMiss_is304_butCountsAgainstTheQuota() {
    start();
    for (int i = 1; i <= 3; i++) {
      Http.Answer a = http.get("/v1/sla/compliance?limit=" + (600 + i), "If-None-Match", "*");
      assertThat(a.status()).isEqualTo(304);
      assertThat(a.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(100 - i));
    }
    // Now in the cache: revalidating it costs nothing.
    Http.Answer cached = http.get("/v1/sla/compliance?limit=601", "If-None-Match", "*");
    assertThat(cached.status()).isEqualTo(304);
    assertThat(cached.header("X-RateLimit-Remaining")).isEqualTo("97");
  }

  @Test
  void cache_answersTheSameNormalisedRequestWithoutTheStore() {
    start();
    http.get("/v1/gpu/metrics?pipeline=b&pipeline=a&limit=5");
    http.get("/v1/gpu/metrics?limit=5&pipeline=a&pipeline=b");
    assertThat(queries.runs.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(31));
    http.get("/v1/gpu/metrics?limit=5&pipeline=a&pipeline=b&end=2026-01-08T12:01:00Z");
    assertThat(queries.runs.get()).isEqualTo(2);
    assertThat(Scrape.text(registry)).contains("naap_api_cache_requests_total{result=\"hit\"} 1.0");
  }

  @Test
  void cache_concurrentMissesForOneRequest_runOneQuery() throws Exception {
    start();
    queries.delayMs = 300;
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var answers = new java.util.ArrayList<java.util.concurrent.Future<Http.Answer>>();
      for (int i = 0; i < 20; i++) {
        answers.add(threads.submit(() -> http.get("/v1/gpu/metrics?limit=7")));
      }
      for (var a : answers) {
        assertThat(a.get().status()).isEqualTo(200);
      }
    }
    assertThat(queries.runs.get()).isEqualTo(1);
  }

  @Test
  void refreshAhead_nearAnExpiryOrAMinuteBoundary_computesTheNextResponseInTheBackground()
      throws Exception {
    start();
    String relative = "/v1/gpu/metrics?limit=3";
    String fixed = "/v1/gpu/metrics?limit=3&end=2026-01-08T12:01:00Z";
    http.get(relative); // 12:00:30; 5m buckets are cached for 30 s, until 12:01:00
    http.get(fixed);
    Thread.sleep(300);
    assertThat(queries.runs.get()).isEqualTo(2); // nothing is near: nothing runs ahead

    // 12:00:56, 4 s before the boundary and the entries' expiry, two hits: the relative request's
    // key moves at 12:01, so its next minute's response is computed; the fixed one's entry is
    // computed again.
    clock.advance(Duration.ofSeconds(26));
    http.get(relative);
    http.get(fixed);
    awaitRuns(4);

    clock.advance(Duration.ofSeconds(5)); // 12:01:01: both answered from the cache
    Http.Answer next = http.get(relative);
    assertThat(next.json().get("meta").get("end").asText()).isEqualTo("2026-01-08T12:02:00Z");
    http.get(fixed);
    assertThat(queries.runs.get()).isEqualTo(4);
    assertThat(Scrape.text(registry))
        .contains("naap_api_cache_requests_total{result=\"hit\"} 4.0");
  }

  private void awaitRuns(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (queries.runs.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(queries.runs.get()).isEqualTo(n);
  }

  @Test
  void rateLimit_the101stRequestInAnHour_is429_andTheWindowRenews() {
    start();
    for (int i = 1; i <= 100; i++) {
      Http.Answer a = http.get("/v1/gpu/metrics?limit=1");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(100 - i));
    }
    clock.advance(Duration.ofMinutes(20));
    Http.Answer refused = http.get("/v1/gpu/metrics?limit=1");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.header("Retry-After")).isEqualTo("2400");
    assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("100");
    assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(refused.header("X-RateLimit-Reset")).isEqualTo(Long.toString(
        Instant.parse("2026-01-08T13:00:30Z").getEpochSecond()));
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"default\";q=100;w=3600");
    assertThat(refused.header("RateLimit")).isEqualTo("\"default\";r=0;t=2400");
    assertThat(Scrape.text(registry))
        .contains("naap_api_rate_limited_total{policy=\"default\"} 1.0");
    // Health and readiness never count.
    assertThat(http.get("/health").status()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(40));
    assertThat(http.get("/v1/gpu/metrics?limit=1").status()).isEqualTo(200);
  }

  @Test
  void rateLimit_overQuota_stillRevalidatesCachedResponsesFor304() {
    start(ApiConfig.defaults().withQuotas(2, Map.of(), 10));
    String etag = http.get("/v1/gpu/metrics").header("ETag");
    http.get("/v1/network/demand");
    assertThat(http.get("/v1/network/demand").status()).isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics", "If-None-Match", etag).status()).isEqualTo(304);
    assertThat(http.get("/v1/gpu/metrics", "If-None-Match", "\"stale\"").status()).isEqualTo(429);
  }

  @Test
  void apiKeys_haveTheirOwnQuota_andAnUnknownKeyIs401() {
    start(ApiConfig.defaults().withQuotas(1, Map.of("k-123", 3), 10));
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/v1/gpu/metrics", "X-API-Key", "k-123").status()).isEqualTo(200);
    }
    Http.Answer spent = http.get("/v1/gpu/metrics", "X-API-Key", "k-123");
    assertThat(spent.status()).isEqualTo(429);
    assertThat(spent.header("RateLimit-Policy")).isEqualTo("\"key\";q=3;w=3600");
    assertThat(http.get("/v1/gpu/metrics", "X-API-Key", "nope").status()).isEqualTo(401);
    // The unknown key spent the address's only request.
    assertThat(http.get("/v1/gpu/metrics").status()).isEqualTo(429);
  }

  @Test
  void dashboardPage_issuesACookie_whoseRequestsHaveTheDashboardQuota() {
    start(ApiConfig.defaults().withQuotas(1, Map.of(), 5));
    Http.Answer page = http.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    String cookie = page.header("Set-Cookie").split(";")[0];
    assertThat(page.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Strict");
    for (int i = 0; i < 5; i++) {
      Http.Answer a = http.get("/v1/gpu/metrics?limit=" + (i + 1), "Cookie", cookie);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("RateLimit-Policy")).isEqualTo("\"dashboard\";q=5;w=3600");
    }
    assertThat(http.get("/v1/gpu/metrics", "Cookie", cookie).status()).isEqualTo(429);
    // Anonymous requests from the same address keep their own quota; a forged token is worth
    // nothing.
    assertThat(http.get("/v1/gpu/metrics").status()).isEqualTo(200);
    assertThat(
            http.get("/v1/gpu/metrics", "Cookie", DashboardTokens.COOKIE + "=99999999999.forged")
                .status())
        .isEqualTo(429);
  }

  @Test
  void staticFiles_haveTypesAndETags_andNothingOutsideTheMountIsReachable() {
    start();
    Http.Answer js = http.get("/js/app.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(js.header("Cache-Control")).as("a new release's modules load at once")
        .isEqualTo("no-cache");
    assertThat(http.get("/js/app.js", "If-None-Match", js.header("ETag")).status()).isEqualTo(304);
    for (String hostile :
        new String[] {
          "/../secret.txt",
          "/js/../../secret.txt",
          "/%2e%2e/secret.txt",
          "/..%2fsecret.txt",
          "/js",
          "/js/",
          "/nothing.js",
          "/index.html/..",
          "//etc/passwd"
        }) {
      // 400 where the server refuses a path that climbs out of the root before any route.
      assertThat(http.raw(hostile).status()).as(hostile).isIn(400, 404);
    }
  }

  @Test
  void everyAnswer_forbidsFraming_andPagesRunOnlyTheirOwnCode() {
    start();
    for (String path : new String[] {"/", "/js/app.js", "/v1/gpu/metrics", "/docs", "/nothing"}) {
      Http.Answer a = http.get(path);
      assertThat(a.header("X-Frame-Options")).as(path).isEqualTo("DENY");
      assertThat(a.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
    }
    assertThat(http.get("/").header("Content-Security-Policy"))
        .as("the dashboard: its own files, nothing inline")
        .isEqualTo(Dispatcher.PAGE_POLICY).doesNotContain("unsafe");
    assertThat(http.get("/v1/gpu/metrics").header("Content-Security-Policy"))
        .as("data runs nothing").startsWith("default-src 'none';");
    // The reference's inline blocks are allowed by their hashes only (a browser checks them:
    // DashboardBrowserTest.theApiReference_rendersUnderItsPolicy_…).
    assertThat(http.get("/docs").header("Content-Security-Policy"))
        .containsPattern("style-src 'sha256-[A-Za-z0-9+/]{43}='; "
            + "script-src 'sha256-[A-Za-z0-9+/]{43}=';")
        .doesNotContain("unsafe");
  }

  @Test
  void cors_preflightAndHeaders_andOnlyReadMethods() {
    start();
    Http.Answer preflight = http.send("OPTIONS", "/v1/gpu/metrics", "Origin", "https://example.org",
        "Access-Control-Request-Method", "GET");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("GET");
    Http.Answer get = http.get("/v1/gpu/metrics", "Origin", "https://example.org");
    assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(get.header("Access-Control-Expose-Headers")).contains("ETag").contains("RateLimit");
    Http.Answer post = http.send("POST", "/v1/gpu/metrics");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).contains("GET");
    assertThat(http.send("HEAD", "/v1/gpu/metrics").status()).isEqualTo(200);
  }

  @Test
  void brokenPercentEscape_isRefusedBeforeAnyRoute() {
    start();
    // The JDK server refuses a request line that is not a URI itself, with its own 400.
    assertThat(http.raw("/v1/gpu/metrics?gpu_model=%ZZ").status()).isEqualTo(400);
  }

  @Test
  void slowStore_is503WithRetryAfterAtTheQueryTimeout_andTheSlotIsFreed() {
    start(ApiConfig.defaults().withQueryLimits(Duration.ofMillis(300), 1));
    queries.delayMs = 1_500;
    Http.Answer slow = http.get("/v1/gpu/metrics?limit=1");
    assertThat(slow.status()).isEqualTo(503);
    assertThat(slow.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(slow.header("Retry-After"))
        .isEqualTo(Long.toString(QueryRunner.RETRY_AFTER_SECONDS));
    // The timed-out call was cancelled and gave its only slot back.
    queries.delayMs = 0;
    assertThat(http.get("/v1/gpu/metrics?limit=2").status()).isEqualTo(200);
  }

  /**
   * A client that hangs up cancels its query (the store cancels a read whose caller is
   * interrupted) and frees its slot; but a computation other requests wait for is left to them,
   * and is cancelled only when the last of them has left too.
   */
  @Test
  void aClientThatHangsUp_cancelsItsQuery_unlessOthersWaitForIt() throws Exception {
    start(ApiConfig.defaults().withQueryLimits(Duration.ofSeconds(10), 2));
    queries.delayMs = 4_000;
    String get = "GET /v1/gpu/metrics?limit=7 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    long t0;
    try (java.net.Socket alone = new java.net.Socket("127.0.0.1", server.url().getPort())) {
      alone.getOutputStream().write(get.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      while (queries.runs.get() == 0) {
        Thread.sleep(5);
      }
      t0 = System.nanoTime();
    }
    while (queries.interrupted.get() == 0 && System.nanoTime() - t0 < 3_000_000_000L) {
      Thread.sleep(10);
    }
    assertThat(queries.interrupted.get()).as("queries cancelled").isEqualTo(1);
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to cancel").isLessThan(2_000);

    // Two requests for one key: the first leaves, the second still gets the one computation.
    String shared = get.replace("limit=7", "limit=8");
    java.net.Socket first = new java.net.Socket("127.0.0.1", server.url().getPort());
    first.getOutputStream().write(shared.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    while (queries.runs.get() == 1) {
      Thread.sleep(5);
    }
    var second = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> http.get("/v1/gpu/metrics?limit=8"));
    Thread.sleep(300);
    first.close();
    Http.Answer answer = second.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("data")).hasSize(8);
    assertThat(queries.runs.get()).as("computations").isEqualTo(2);
    assertThat(queries.interrupted.get()).as("queries cancelled").isEqualTo(1);

    // Both leave: the computation is cancelled.
    String both = get.replace("limit=7", "limit=9");
    java.net.Socket a = new java.net.Socket("127.0.0.1", server.url().getPort());
    java.net.Socket b = new java.net.Socket("127.0.0.1", server.url().getPort());
    a.getOutputStream().write(both.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.getOutputStream().write(both.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    while (queries.runs.get() == 2) {
      Thread.sleep(5);
    }
    Thread.sleep(300);
    a.close();
    Thread.sleep(500);
    assertThat(queries.interrupted.get()).as("cancelled with one waiter left").isEqualTo(1);
    b.close();
    t0 = System.nanoTime();
    while (queries.interrupted.get() == 1 && System.nanoTime() - t0 < 3_000_000_000L) {
      Thread.sleep(10);
    }
    assertThat(queries.interrupted.get()).as("cancelled when the last left").isEqualTo(2);
    assertThat(queries.runs.get()).isEqualTo(3);
  }

  @Test
  void fullServer_answersTheHoldersNextRequest503AtOnce_andANewcomerAfterItsWait()
      throws Exception {
    // Two clients behind the proxy; one slot, held longer than a newcomer waits.
    start(ApiConfig.defaults().withQueryLimits(Duration.ofSeconds(5), 1)
        .withTrustedProxies(List.of("127.0.0.1")));
    queries.delayMs = 2_500;
    Thread holder = Thread.ofVirtual().start(
        () -> http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "10.0.0.1"));
    while (queries.runs.get() == 0) {
      Thread.sleep(5);
    }
    long t0 = System.nanoTime();
    Http.Answer busy = http.get("/v1/gpu/metrics?limit=2", "X-Forwarded-For", "10.0.0.1");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.header("Retry-After")).isNotNull();
    assertThat(busy.json().get("detail").asText()).contains("busy");
    assertThat(ms).as("ms to answer the holder's second request").isLessThan(500);
    assertThat(http.get("/health").status()).isEqualTo(200);

    t0 = System.nanoTime();
    Http.Answer waited = http.get("/v1/gpu/metrics?limit=3", "X-Forwarded-For", "10.0.0.2");
    ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(waited.status()).isEqualTo(503);
    assertThat(ms).as("ms a newcomer waited for a slot")
        .isBetween(StoreSlots.WAIT.toMillis() - 100, StoreSlots.WAIT.toMillis() + 1_000);
    holder.join();
  }

  @Test
  void oneAddressHoldingEverySlot_losesTheNextFreedOneToANewcomer() throws Exception {
    start(ApiConfig.defaults().withQueryLimits(Duration.ofSeconds(5), 2)
        .withTrustedProxies(List.of("127.0.0.1")));
    queries.delayMs = 600;
    List<Thread> hog = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      String url = "/v1/gpu/metrics?limit=" + i;
      hog.add(Thread.ofVirtual().start(() -> http.get(url, "X-Forwarded-For", "10.0.0.1")));
    }
    while (queries.runs.get() < 2) {
      Thread.sleep(5);
    }
    var newcomer = new AtomicReference<Http.Answer>();
    Thread visitor = Thread.ofVirtual().start(() -> newcomer.set(
        http.get("/v1/gpu/metrics?limit=9", "X-Forwarded-For", "10.0.0.2")));
    Thread.sleep(150); // the newcomer is waiting for a slot
    // The hog's next request finds no slot and, holding more than its share, does not wait.
    assertThat(http.get("/v1/gpu/metrics?limit=3", "X-Forwarded-For", "10.0.0.1").status())
        .isEqualTo(503);
    visitor.join();
    assertThat(newcomer.get().status()).as("the newcomer had the first slot freed").isEqualTo(200);
    for (Thread t : hog) {
      t.join();
    }
  }

  @Test
  void failingStore_is503WithRetryAfter_neverA500() {
    start();
    queries.failure = new StoreException(0, "cannot reach ClickHouse server http://127.0.0.1:1/",
        "SELECT secret_sql_text");
    for (int i = 0; i < 3; i++) {
      Http.Answer a = http.get("/v1/gpu/metrics?limit=" + (i + 1));
      assertThat(a.status()).isEqualTo(503);
      assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(a.header("Retry-After")).isNotNull();
      assertThat(a.body()).doesNotContain("secret_sql_text");
    }
    queries.failure = null;
    assertThat(http.get("/v1/gpu/metrics?limit=9").status()).isEqualTo(200);
  }

  @Test
  void overlongRequestTarget_is414() {
    start();
    Http.Answer a = http.raw("/v1/gpu/metrics?" + "pipeline=p&".repeat(400));
    assertThat(a.status()).isEqualTo(414);
    assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
    // A static path too (it was looked for, and not found: 404).
    Http.Answer file = http.raw("/" + "x".repeat(4_999));
    assertThat(file.status()).isEqualTo(414);
    assertThat(file.header("Content-Type")).isEqualTo("application/problem+json");
    // No query counts nothing (it counted as the four letters of "null"): 4 093 characters.
    String route = "/v1/orchestrators/0x" + "a".repeat(4_073);
    Http.Answer within = http.raw(route);
    assertThat(within.status()).as(within.body()).isEqualTo(400);
    assertThat(within.json().get("parameter").asText()).isEqualTo("address");
    assertThat(http.raw(route + "aaaa").status()).isEqualTo(414);
    // The target is the path, '?' and the query: 4 096 characters is the most.
    assertThat(http.raw(route + "?ab").status()).isEqualTo(400);
    assertThat(http.raw(route + "?abc").status()).isEqualTo(414);
  }

  @Test
  void operations_withAnUnknownParameter_is400NamingIt_andTheProbesTakeAnything() {
    start();
    Http.Answer bogus = http.get("/v1/operations?bogus=1");
    assertThat(bogus.status()).isEqualTo(400);
    assertThat(bogus.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(bogus.json().get("parameter").asText()).isEqualTo("bogus");
    assertThat(http.get("/v1/operations").status()).isEqualTo(200);
    // Probes and pages are no /v1 route: a load balancer's cache-buster is no fault.
    assertThat(http.get("/health?bogus=1").status()).isEqualTo(200);
    assertThat(http.get("/ready?bogus=1").status()).isEqualTo(200);
  }

  @Test
  void unknownRoute_is404Problem() {
    start();
    Http.Answer a = http.get("/v1/nothing");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
  }
}
