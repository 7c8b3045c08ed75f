package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two API instances behind no proxy and one Redis (issue 17): a client's quota is spent across
 * both; with Redis down, each instance counts alone and says so; with Redis back, they share
 * again. Cursors and dashboard tokens signed by one are honoured by the other (shared secret).
 */
class SharedQuotasTest {

  private static final String SECRET = "shared-secret-of-the-instances";

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-08T12:00:30Z"));
  private final List<ApiServer> servers = new ArrayList<>();
  private final List<PrometheusRegistry> registries = new ArrayList<>();
  private RedisServer redis;

  private Http instance(ApiConfig config) {
    PrometheusRegistry registry = new PrometheusRegistry();
    ApiServer server = new ApiServer(config.withAddress("127.0.0.1", 0).withSecret(SECRET),
        new FakeQueries(2_000), DatasetCatalog.empty(), () -> new Readiness.Status(true, Map.of()),
        registry, clock).mount("/", "dev/naap/api/site/").sharedQuotas(redis.url()).start();
    servers.add(server);
    registries.add(registry);
    return new Http(server.url());
  }

  @AfterEach
  void stop() throws InterruptedException {
    servers.forEach(ApiServer::close);
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void theHundredAndFirstRequest_acrossTwoInstances_is429() {
    redis = RedisServer.start(dir);
    Http a = instance(ApiConfig.defaults());
    Http b = instance(ApiConfig.defaults());
    for (int i = 0; i < 100; i++) {
      Http.Answer r = (i % 2 == 0 ? a : b).get("/v1/gpu/metrics?limit=" + (1 + i % 7));
      assertThat(r.status()).as("request %d", i + 1).isEqualTo(200);
      assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(99 - i));
    }
    for (Http instance : List.of(a, b)) {
      Http.Answer refused = instance.get("/v1/gpu/metrics?limit=1");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
      assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"default\";q=100;w=3600");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3500L, 3600L);
    }
    assertThat(a.get("/ready").body()).contains("shared in Redis").doesNotContain("127.0.0.1");
    assertThat(gauge(0, "naap_api_quota_shared")).isEqualTo(1.0);
  }

  @Test
  void redisDown_eachInstanceCountsAlone_andSaysSo_untilRedisIsBack() throws Exception {
    redis = RedisServer.start(dir);
    Http a = instance(ApiConfig.defaults().withQuotas(10, Map.of(), 300));
    Http b = instance(ApiConfig.defaults().withQuotas(10, Map.of(), 300));
    for (int i = 0; i < 10; i++) {
      assertThat((i % 2 == 0 ? a : b).get("/v1/gpu/metrics?limit=1").status()).isEqualTo(200);
    }
    assertThat(a.get("/v1/gpu/metrics?limit=1").status()).isEqualTo(429);

    // Redis dies: each instance counts alone, from its own (empty) local table.
    redis.stop();
    for (int i = 0; i < 10; i++) {
      assertThat(a.get("/v1/gpu/metrics?limit=1").status()).as("a alone, %d", i).isEqualTo(200);
      assertThat(b.get("/v1/gpu/metrics?limit=1").status()).as("b alone, %d", i).isEqualTo(200);
    }
    assertThat(a.get("/v1/gpu/metrics?limit=1").status()).isEqualTo(429);
    Http.Answer ready = a.get("/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).contains("local: Redis fails").doesNotContain("127.0.0.1");
    assertThat(gauge(0, "naap_api_quota_shared")).isEqualTo(0.0);

    // Redis is back (empty): within the retry interval both count in it again.
    redis.restart();
    Thread.sleep(RedisRateLimiter.RETRY_EVERY.toMillis() + 200);
    for (int i = 0; i < 10; i++) {
      assertThat((i % 2 == 0 ? a : b).get("/v1/gpu/metrics?limit=2").status()).isEqualTo(200);
    }
    assertThat(b.get("/v1/gpu/metrics?limit=2").status()).isEqualTo(429);
    assertThat(a.get("/ready").body()).contains("shared in Redis");
    assertThat(gauge(0, "naap_api_quota_shared")).isEqualTo(1.0);
    assertThat(gauge(1, "naap_api_quota_shared")).isEqualTo(1.0);
  }

  @Test
  void cursorsAndDashboardTokens_ofOneInstance_workOnTheOther() {
    redis = RedisServer.start(dir);
    Http a = instance(ApiConfig.defaults());
    Http b = instance(ApiConfig.defaults());
    String body = a.get("/v1/gpu/metrics?granularity=1h&limit=3").body();
    int at = body.indexOf("\"next_cursor\":\"");
    assertThat(at).as("a next cursor in %s", body).isPositive();
    String cursor = body.substring(at + 15, body.indexOf('"', at + 15));
    Http.Answer next = b.get("/v1/gpu/metrics?granularity=1h&limit=3&cursor=" + cursor);
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.body()).isNotEqualTo(body);

    String cookie = a.get("/").header("Set-Cookie").split(";")[0];
    Http.Answer dashboard = b.get("/v1/gpu/metrics?limit=5", "Cookie", cookie);
    assertThat(dashboard.status()).isEqualTo(200);
    assertThat(dashboard.header("RateLimit-Policy")).startsWith("\"dashboard\"");
  }

  private double gauge(int instance, String name) {
    return registries.get(instance).scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().getFirst().getValue()).findFirst()
        .orElse(-1.0);
  }
}
