package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.metrics.LiveEvents;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Orchestrator metadata without the scraper (docs/METRICS.md, "Orchestrator metadata"): events
 * with network_capabilities and no scraped version give /v1/orchestrators and
 * /v1/orchestrators/{address} the metadata those events carry, and a scraped version wins over
 * them. Over HTTP against a real store.
 */
class OrchestratorEventMetadataTest {

  private static final String SIGNER = "0x1111000000000000000000000000000000000001";
  private static final long MINUTE = 60_000;
  private static final String RANGE =
      "start=2026-01-08T00:00:00Z&end=2026-01-10T00:00:00Z";

  private final MutableClock clock =
      new MutableClock(Instant.ofEpochMilli(LiveEvents.T0).plus(Duration.ofHours(1)));
  private ApiServer server;
  private Http http;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void serve(Store store) {
    // No response cache: the test changes the store under the same watermark.
    server = new ApiServer(ApiConfig.defaults().withAddress("127.0.0.1", 0).withCacheBytes(0),
        TestStores.queries(store), DatasetCatalog.empty(),
        new StoreReadiness(TestStores.queries(store), null, clock), new PrometheusRegistry(),
        clock).start();
    http = new Http(server.url());
  }

  private JsonNode ok(String pathAndQuery) {
    Http.Answer a = http.get(pathAndQuery);
    assertThat(a.status()).as(pathAndQuery + " → " + a.body()).isEqualTo(200);
    return a.json();
  }

  private JsonNode listed(String address) {
    List<JsonNode> rows = new ArrayList<>();
    ok("/v1/orchestrators?limit=1000&" + RANGE).get("data").forEach(r -> {
      if (r.get("orchestrator_address").asText().equals(address)) {
        rows.add(r);
      }
    });
    assertThat(rows).as(address).hasSize(1);
    return rows.getFirst();
  }

  /** One orchestrator entry of a network_capabilities snapshot. */
  private static String node(String uri, String version, int liveSlots, String priceInfo,
      String hardware) {
    return "{\"address\":\"0xD1D1000000000000000000000000000000000001\",\"local_address\":\""
        + SIGNER.toUpperCase().replace("0X", "0x") + "\",\"orch_uri\":\"" + uri + "\","
        + "\"capabilities\":{\"bitstring\":[1],\"capacities\":{\"0\":1,\"35\":" + liveSlots
        + "},\"version\":\"" + version + "\",\"constraints\":{\"minVersion\":\"0.8.0\"}},"
        + (priceInfo == null ? "" : "\"price_info\":" + priceInfo + ",")
        + "\"capabilities_prices\":null,\"hardware\":" + hardware + "}";
  }

  private static String gpu(String model, String id, long memory) {
    return "{\"pipeline\":\"live-video-to-video\",\"model_id\":\"" + model + "\",\"gpu_info\":"
        + "{\"0\":{\"id\":\"" + id + "\",\"name\":\"NVIDIA GeForce RTX 4090\",\"major\":8,"
        + "\"memory_free\":1,\"memory_total\":" + memory + "}}}";
  }

  @Test
  void eventsGiveTheMetadata_andAScrapedVersionWins() {
    Store store = TestStores.store("event_metadata");
    LiveEvents ev = new LiveEvents().onGateway("gw-1");
    String n1 = node("https://n1.example:8935/", "0.8.7", 2,
        "{\"pricePerUnit\":1100,\"pixelsPerUnit\":1}",
        "[" + gpu("streamdiffusion", "GPU-e1", 25_757_220_864L) + ","
            + gpu("streamdiffusion", "GPU-e2", 25_757_220_864L) + ","
            // One GPU serving two models is one GPU.
            + gpu("streamdiffusion-sdxl", "GPU-e1", 25_757_220_864L) + "]");
    LiveEvents.write(store, List.of(
        // A node its signer's latest listing is more than a day newer than: no longer counted.
        ev.envelope("network_capabilities", -2 * 24 * 60 * MINUTE,
            "[" + node("https://gone.example:8935", "0.7.0", 9, null,
                "[" + gpu("streamdiffusion", "GPU-gone", 1) + "]") + "]"),
        ev.envelope("network_capabilities", 0, "[" + n1 + "]"),
        ev.envelope("network_capabilities", 10 * MINUTE,
            "[" + node("https://n2.example:8935", "0.8.8", 3, null, "null") + "]"),
        ev.envelope("network_capabilities", 20 * MINUTE,
            "[" + node("https://N2.example:8935", "0.8.9", 4,
                "{\"pricePerUnit\":1500,\"pixelsPerUnit\":2}",
                "[" + gpu("streamdiffusion", "GPU-e3", 34_190_917_632L) + "]") + "]")),
        Clock.systemUTC());
    // A listing older than n2's latest, delivered last: the latest listing still wins.
    LiveEvents.write(store, List.of(ev.envelope("network_capabilities", 5 * MINUTE,
        "[" + node("https://n2.example:8935", "0.8.0", 8, null, "null") + "]")),
        Clock.systemUTC());
    serve(store);

    JsonNode row = listed(SIGNER);
    assertThat(row.get("metadata_source").asText()).isEqualTo("events");
    assertThat(row.get("service_uri").asText()).isEqualTo("https://N2.example:8935");
    assertThat(row.get("version").asText()).isEqualTo("0.8.9");
    assertThat(row.get("nodes").asLong()).isEqualTo(2);
    assertThat(row.get("capacity").asLong()).isEqualTo(2 + 4);
    assertThat(row.get("gpu_count").asLong()).isEqualTo(3);
    assertThat(row.get("price_per_unit").asLong()).isEqualTo(1500);
    assertThat(row.get("pixels_per_unit").asLong()).isEqualTo(2);
    // No event tells a region.
    assertThat(row.get("metadata_region").isNull()).isTrue();
    assertThat(row.get("metadata_region_source").asText()).isEqualTo("unknown");
    assertThat(row.get("segments").asLong()).isZero();

    JsonNode detail = ok("/v1/orchestrators/" + SIGNER + "?" + RANGE).get("data");
    assertThat(detail.get("metadata").get("version").asText()).isEqualTo("0.8.9");
    assertThat(detail.get("metadata").get("metadata_source").asText()).isEqualTo("events");
    List<String> gpus = new ArrayList<>();
    detail.get("gpus").forEach(g -> gpus.add(g.get("gpu_id").asText() + " "
        + g.get("gpu_model").asText() + " " + g.get("memory_bytes").asLong()));
    assertThat(gpus).containsExactly(
        "GPU-e1 NVIDIA GeForce RTX 4090 25757220864",
        "GPU-e2 NVIDIA GeForce RTX 4090 25757220864",
        "GPU-e3 NVIDIA GeForce RTX 4090 34190917632");

    // The scraper's current version of the signer wins, whole: its node, version, region, GPUs.
    store.execute("INSERT INTO orchestrator_versions (source, orch_uri, address, local_address,"
        + " version, capacities, price_per_unit, pixels_per_unit, region, region_source,"
        + " valid_from, written_at) VALUES ('gw', 'https://scraped.example:8935', '0xd1', '"
        + SIGNER + "', '0.9.0', map(35, 7), 999, 1, 'eu-west', 'mapping',"
        + " now64(3) - 60, now64(3))");
    store.execute("INSERT INTO orchestrator_version_gpus (source, orch_uri, valid_from, pipeline,"
        + " model_id, gpu_slot, gpu_id, gpu_name, memory_total_bytes) SELECT source, orch_uri,"
        + " valid_from, 'live-video-to-video', 'streamdiffusion', '0', 'GPU-s1',"
        + " 'NVIDIA GeForce RTX 5090', 34190917632 FROM orchestrator_versions");
    row = listed(SIGNER);
    assertThat(row.get("metadata_source").asText()).isEqualTo("scraper");
    assertThat(row.get("service_uri").asText()).isEqualTo("https://scraped.example:8935");
    assertThat(row.get("version").asText()).isEqualTo("0.9.0");
    assertThat(row.get("nodes").asLong()).isEqualTo(1);
    assertThat(row.get("capacity").asLong()).isEqualTo(7);
    assertThat(row.get("gpu_count").asLong()).isEqualTo(1);
    assertThat(row.get("price_per_unit").asLong()).isEqualTo(999);
    assertThat(row.get("metadata_region").asText()).isEqualTo("eu-west");
    assertThat(row.get("metadata_region_source").asText()).isEqualTo("operator");
    detail = ok("/v1/orchestrators/" + SIGNER + "?" + RANGE).get("data");
    assertThat(detail.get("gpus")).hasSize(1);
    assertThat(detail.get("gpus").get(0).get("gpu_id").asText()).isEqualTo("GPU-s1");
  }

  @Test
  void theRealCapture_importedWithoutTheScraper_listsItsOrchestratorsMetadata() {
    Store store = TestStores.store("event_metadata_capture");
    new FileImport(new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.STORE,
        IngestMetrics.unregistered(), Clock.systemUTC()))
        .importFile(sharedData("kafka-capture-live-session-2026-01-08.json"));
    serve(store);

    // The capture's one network_capabilities entry (real-network.md): a signer whose on-chain
    // address differs, one node, a dirty build, live-video capacity 1, one RTX 5090, no price_info.
    JsonNode row = listed("0x52cf2968b3dc6016778742d3539449a6597d5954");
    assertThat(row.get("metadata_source").asText()).isEqualTo("events");
    assertThat(row.get("service_uri").asText()).isEqualTo("https://rtav-orch2.xodeapp.xyz:28935");
    assertThat(row.get("version").asText()).isEqualTo("0.8.8-3a5678ec-dirty");
    assertThat(row.get("nodes").asLong()).isEqualTo(1);
    assertThat(row.get("capacity").asLong()).isEqualTo(1);
    assertThat(row.get("gpu_count").asLong()).isEqualTo(1);
    assertThat(row.get("price_per_unit").isNull()).isTrue();
    assertThat(row.get("pixels_per_unit").isNull()).isTrue();
    assertThat(row.get("metadata_region").isNull()).isTrue();
    JsonNode gpus = ok("/v1/orchestrators/0x52cf2968b3dc6016778742d3539449a6597d5954?" + RANGE)
        .get("data").get("gpus");
    assertThat(gpus).hasSize(1);
    assertThat(gpus.get(0).get("gpu_id").asText())
        .isEqualTo("GPU-a8d13655-197b-2226-d09f-b4b81e07504b");
    assertThat(gpus.get(0).get("gpu_model").asText()).isEqualTo("NVIDIA GeForce RTX 5090");
    assertThat(gpus.get(0).get("memory_bytes").asLong()).isEqualTo(34_190_917_632L);
  }

  /** A file of the shared reference data, found by walking up to the directory beside shared/. */
  private static Path sharedData(String file) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared").resolve("reference/data").resolve(file);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("../shared/reference/data/" + file + " not found");
  }
}
