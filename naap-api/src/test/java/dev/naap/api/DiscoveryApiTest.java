package dev.naap.api;

import static dev.naap.api.ApiNetwork.A;
import static dev.naap.api.ApiNetwork.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.metrics.LiveEvents;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/discover/orchestrators} over HTTP against {@link ApiNetwork}: A's node advertises
 * streamdiffusion on an RTX 4090 in the network's capabilities snapshots; B's node is made to
 * advertise it on an A100 in the last hour. A (FPS 20, startup 0.8 s, one failure in 11) and B
 * (FPS 16.5, startup 2 s, no failure) are ranked by their scores from {@code /v1/scores}.
 */
class DiscoveryApiTest {

  static final String CAP = "live-video-to-video/streamdiffusion";
  static final Instant END = ApiNetwork.START.plus(Duration.ofMinutes(9 * 60 + 30));
  static final String RANGE = "&start=" + ApiNetwork.START + "&end=" + END;

  private static Store store;
  private static MetricsQueries queries;
  private final MutableClock clock = new MutableClock(END);
  private ApiServer server;
  private Http http;

  @BeforeAll
  static void feed() {
    store = TestStores.store("api_discovery");
    ApiNetwork.feed(store);
    advertiseB(store);
    queries = TestStores.queries(store);
  }

  /** B's node advertises streamdiffusion on an A100 ten minutes before {@link #END}. */
  static void advertiseB(Store store) {
    store.execute(
        "INSERT INTO network_capability_node_gpus (event_id, event_time, gateway, address,"
            + " local_address, orch_uri, node_url, pipeline, model_id, gpu_slot, gpu_id, gpu_name)"
            + " VALUES ('b-caps', fromUnixTimestamp64Milli("
            + END.minusSeconds(600).toEpochMilli()
            + ", 'UTC'), 'gw', '"
            + B
            + "', '"
            + B
            + "', '"
            + LiveEvents.nodeUrl(B)
            + "', '"
            + LiveEvents.nodeUrl(B)
            + "', 'live-video-to-video', "
            + "'streamdiffusion', '0', 'GPU-b', 'NVIDIA A100')");
  }

  @BeforeEach
  void start() {
    server =
        new ApiServer(
                ApiConfig.defaults().withQuotas(100_000, Map.of(), 10).withAddress("127.0.0.1", 0),
                queries,
                DatasetCatalog.empty(),
                new StoreReadiness(queries, null, clock),
                new PrometheusRegistry(),
                clock)
            .start();
    http = new Http(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode discover(String params) {
    Http.Answer a = http.get(DiscoverEndpoint.PATH + "?caps=" + CAP + RANGE + params);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json().get("data");
  }

  private static List<String> signers(JsonNode data) {
    List<String> s = new ArrayList<>();
    data.forEach(r -> s.add(r.get("signer").asText()));
    return s;
  }

  private double score(String orch) {
    JsonNode rows = http.get("/v1/scores?orchestrator=" + orch + RANGE).json().get("data");
    assertThat(rows).hasSize(1);
    return rows.get(0).get("score").asDouble();
  }

  @Test
  void ranksTheNodesThatServeTheCapability_byTheirSignersScore() {
    JsonNode data = discover("");
    double a = score(A);
    double b = score(B);
    assertThat(a).isNotEqualTo(b);
    assertThat(signers(data)).containsExactly(a > b ? A : B, a > b ? B : A);
    JsonNode first = data.get(0);
    assertThat(first.get("score").asDouble()).isCloseTo(Math.max(a, b), within(1e-9));
    assertThat(first.get("address").asText())
        .isEqualTo(LiveEvents.nodeUrl(first.get("signer").asText()));
    assertThat(first.get("capabilities").asText()).isEqualTo(CAP);
    assertThat(first.get("segments").asLong()).isPositive();
    assertThat(first.get("last_seen").asText()).isNotEmpty();
    assertThat(first.has("score_low") && first.has("score_high") && first.has("reliability"))
        .isTrue();
  }

  @Test
  void webhookFormat_isWhatGoLivepeerUnmarshals() throws Exception {
    Http.Answer a = http.get(DiscoverEndpoint.PATH + "?caps=" + CAP + RANGE + "&format=webhook");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Content-Type")).startsWith("application/json");
    // go-livepeer: json.Unmarshal into []struct{Address string `json:"address"`; Score float32},
    // then
    // url.ParseRequestURI on each address, skipping any that fails.
    JsonNode body = new ObjectMapper().readTree(a.body());
    assertThat(body.isArray()).isTrue();
    List<String> addresses = new ArrayList<>();
    for (JsonNode o : body) {
      assertThat(o.isObject()).isTrue();
      assertThat(o.properties()).hasSize(1);
      URI uri = new URI(o.get("address").asText());
      assertThat(uri.isAbsolute()).isTrue();
      assertThat(uri.getScheme()).isEqualTo("https");
      assertThat(uri.getPort()).isEqualTo(8935);
      addresses.add(uri.toString());
    }
    List<String> ranked = new ArrayList<>();
    discover("").forEach(r -> ranked.add(r.get("address").asText()));
    assertThat(addresses).isEqualTo(ranked).hasSize(2);
  }

  @Test
  void everyHardFilter() {
    JsonNode all = discover("");
    double top = all.get(0).get("score").asDouble();
    double second = all.get(1).get("score").asDouble();
    assertThat(signers(discover("&min_score=" + ((top + second) / 2))))
        .containsExactly(all.get(0).get("signer").asText());
    assertThat(signers(discover("&min_score=100"))).isEmpty();
    assertThat(signers(discover("&gpu_model=NVIDIA%20A100"))).containsExactly(B);
    assertThat(signers(discover("&gpu_model=NVIDIA%20GeForce%20RTX%204090"))).containsExactly(A);
    assertThat(signers(discover("&min_fps=18"))).containsExactly(A);
    assertThat(signers(discover("&max_startup_ms=1000"))).containsExactly(A);
    assertThat(signers(discover("&exclude=" + A.toUpperCase().replace("0X", "0x"))))
        .containsExactly(B);
    assertThat(signers(discover("&exclude=" + LiveEvents.nodeUrl(B) + "/"))).containsExactly(A);
    assertThat(signers(discover("&region=nowhere"))).isEmpty();
    // A's RTX 4090 has 25 757 220 864 bytes; B advertised no memory (unknown fails a bound).
    assertThat(signers(discover("&min_vram_gb=25.7"))).containsExactly(A);
    assertThat(signers(discover("&min_vram_gb=25.8"))).isEmpty();
    assertThat(
            discover("&gpu_model=NVIDIA%20GeForce%20RTX%204090")
                .get(0)
                .get("vram_gb_max")
                .asDouble())
        .isCloseTo(25.757220864, within(1e-9));
    assertThat(discover("&limit=1")).hasSize(1);
    // No node advertised a price here: a price bound keeps none, and every row says null.
    assertThat(signers(discover("&max_price=1000000"))).isEmpty();
    assertThat(all.get(0).get("price").isNull()).isTrue();
    assertThat(all.get(0).get("recent_work").isIntegralNumber()).isTrue();
  }

  @Test
  void weights_reliabilityAlone_scoresOneHundredTimesReliability_andEqualWeightsAreNormalised() {
    for (JsonNode r : discover("&reliability_weight=1")) {
      assertThat(r.get("score").asDouble())
          .isCloseTo(100 * r.get("reliability").asDouble(), within(1e-9));
    }
    JsonNode halves = discover("&reliability_weight=2&quality_weight=2");
    for (JsonNode r : halves) {
      assertThat(r.get("score").asDouble())
          .isCloseTo(
              50 * (r.get("reliability").asDouble() + r.get("quality").asDouble()), within(1e-9));
    }
    for (String bad :
        List.of(
            "&reliability_weight=1.5",
            "&quality_weight=-1",
            "&reliability_weight=0&quality_weight=0",
            "&reliability_weight=Infinity",
            "&max_price=-1")) {
      assertThat(http.get(DiscoverEndpoint.PATH + "?caps=" + CAP + RANGE + bad).status())
          .as(bad)
          .isEqualTo(400);
    }
  }

  @Test
  void scoreHistory_hasOneRowPerHourWithSegments_andTheFailedHourScoresLowest() {
    Http.Answer a = http.get("/v1/orchestrators/" + A + "/scores?" + RANGE.substring(1));
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonNode rows = a.json().get("data");
    // START is 20 min past an hour: the hours that start in the range are START's next nine.
    assertThat(rows).hasSize(9);
    assertThat(a.json().get("meta").get("granularity").asText()).as("its rows are hours")
        .isEqualTo("1h");
    JsonNode worst = rows.get(0);
    for (JsonNode r : rows) {
      assertThat(r.get("pipeline").asText()).isEqualTo("streamdiffusion");
      worst = r.get("score").asDouble() < worst.get("score").asDouble() ? r : worst;
    }
    assertThat(worst.get("window_start").asText())
        .isEqualTo(
            ApiNetwork.START
                .plus(Duration.ofHours(3))
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                .toString());
    assertThat(worst.get("segments").asLong()).isEqualTo(2);
    assertThat(http.get("/v1/orchestrators/0x12/scores").status()).isEqualTo(400);

    // Per GPU model: every row names its model; the hours' segments add up to the same.
    Http.Answer byModel =
        http.get("/v1/orchestrators/" + A + "/scores?group_by=gpu_model&" + RANGE.substring(1));
    assertThat(byModel.status()).as(byModel.body()).isEqualTo(200);
    long segments = 0;
    for (JsonNode r : byModel.json().get("data")) {
      assertThat(r.has("gpu_model")).as(r.toString()).isTrue();
      segments += r.get("segments").asLong();
    }
    long perPipeline = 0;
    for (JsonNode r : rows) {
      perPipeline += r.get("segments").asLong();
    }
    assertThat(segments).isEqualTo(perPipeline).isPositive();
    assertThat(http.get("/v1/orchestrators/" + A + "/scores?group_by=region").status())
        .isEqualTo(400);
    assertThat(http.get("/v1/orchestrators/0x" + "9".repeat(40) + "/scores").json().get("data"))
        .isEmpty();
  }

  @Test
  void unknownCapability_isEmpty_andBadRequestsAre400() {
    Http.Answer none = http.get(DiscoverEndpoint.PATH + "?caps=text-to-image/sdxl" + RANGE);
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().get("data")).isEmpty();
    assertThat(http.get(DiscoverEndpoint.PATH + "?" + RANGE.substring(1)).status()).isEqualTo(400);
    assertThat(
            http.get(DiscoverEndpoint.PATH + "?caps=streamdiffusion" + RANGE)
                .json()
                .get("parameter")
                .asText())
        .isEqualTo("caps");
    assertThat(http.get(DiscoverEndpoint.PATH + "?caps=" + CAP + "&min_score=NaN").status())
        .isEqualTo(400);
    assertThat(http.get(DiscoverEndpoint.PATH + "?caps=" + CAP + "&format=xml").status())
        .isEqualTo(400);
    assertThat(http.get(DiscoverEndpoint.PATH + "?caps=" + CAP + "&pipeline=x").status())
        .isEqualTo(400);
  }
}
