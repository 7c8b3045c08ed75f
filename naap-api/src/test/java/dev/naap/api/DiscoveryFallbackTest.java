package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.store.Store;
import dev.naap.store.StoreException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery with the store stopped: the last good answer is served, marked stale with its age, and
 * not cached; before any good answer, the configured fallback list, else the 503.
 */
class DiscoveryFallbackTest {

  private static final String WEBHOOK = DiscoverEndpoint.PATH + "?caps=" + DiscoveryApiTest.CAP
      + DiscoveryApiTest.RANGE + "&format=webhook";
  private static final String JSON =
      DiscoverEndpoint.PATH + "?caps=" + DiscoveryApiTest.CAP + DiscoveryApiTest.RANGE;

  /** The real store, or a store that refuses every statement, as a stopped server does. */
  private static final class Switch implements Store {
    private final Store real;
    private volatile boolean down;

    Switch(Store real) {
      this.real = real;
    }

    @Override
    public byte[] query(String sql, Map<String, ?> params, String format) {
      if (down) {
        throw new StoreException(0, "cannot reach ClickHouse server: connection refused", sql);
      }
      return real.query(sql, params, format);
    }

    @Override
    public void insert(String insertStatement, byte[] data) {
      real.insert(insertStatement, data);
    }

    @Override
    public String database() {
      return real.database();
    }

    @Override
    public String description() {
      return "switchable " + real.description();
    }

    @Override
    public void close() {}
  }

  private static Switch feed() {
    Store store = TestStores.store("api_discovery_stale");
    ApiNetwork.feed(store);
    DiscoveryApiTest.advertiseB(store);
    return new Switch(store);
  }

  private static ApiServer server(Switch store, MutableClock clock) {
    var queries = new ClickHouseMetricsQueries(store);
    return new ApiServer(
        ApiConfig.defaults().withQuotas(100_000, Map.of(), 10).withAddress("127.0.0.1", 0),
        queries,
        DatasetCatalog.empty(),
        new StoreReadiness(queries, null, clock),
        new PrometheusRegistry(),
        clock);
  }

  @Test
  void storeStopped_servesTheLastGoodAnswer_markedStaleWithItsAge_thenTheFallback() {
    Switch store = feed();
    MutableClock clock = new MutableClock(DiscoveryApiTest.END);
    try (ApiServer server =
        server(store, clock).discoveryFallback(List.of("https://fallback.example:8935")).start()) {
      Http http = new Http(server.url());
      Http.Answer fresh = http.get(WEBHOOK);
      assertThat(fresh.status()).isEqualTo(200);
      assertThat(fresh.header("X-Naap-Stale")).isNull();
      JsonNode good = http.get(JSON).json();
      assertThat(good.get("meta").get("stale").asBoolean()).isFalse();

      store.down = true;
      clock.advance(Duration.ofSeconds(95));
      Http.Answer stale = http.get(WEBHOOK);
      assertThat(stale.status()).isEqualTo(200);
      assertThat(stale.body()).isEqualTo(fresh.body());
      assertThat(stale.header("X-Naap-Stale")).isEqualTo("age=95");
      assertThat(stale.header("Cache-Control")).doesNotContain("max-age=30");
      JsonNode staleJson = http.get(JSON).json();
      assertThat(staleJson.get("meta").get("stale").asBoolean()).isTrue();
      assertThat(staleJson.get("meta").get("stale_age_seconds").asLong()).isEqualTo(95);
      assertThat(staleJson.get("data")).isEqualTo(good.get("data"));

      // A request never answered before: the fallback list.
      Http.Answer none = http.get(WEBHOOK + "&limit=1");
      assertThat(none.status()).isEqualTo(200);
      assertThat(none.body()).isEqualTo("[{\"address\":\"https://fallback.example:8935\"}]");
      assertThat(none.header("X-Naap-Stale")).isEqualTo("fallback");

      // The store is back: fresh again.
      store.down = false;
      clock.advance(Duration.ofSeconds(1));
      Http.Answer back = http.get(WEBHOOK);
      assertThat(back.header("X-Naap-Stale")).isNull();
      assertThat(back.body()).isEqualTo(fresh.body());
    }
  }

  @Test
  void storeStopped_withoutFallback_is503() {
    Switch store = feed();
    store.down = true;
    MutableClock clock = new MutableClock(DiscoveryApiTest.END);
    try (ApiServer server = server(store, clock).start()) {
      Http.Answer a = new Http(server.url()).get(WEBHOOK);
      assertThat(a.status()).isEqualTo(503);
      assertThat(a.header("Retry-After")).isNotNull();
    }
  }
}
