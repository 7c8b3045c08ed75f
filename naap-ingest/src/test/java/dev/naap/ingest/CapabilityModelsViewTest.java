package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flattening of capabilities snapshots into network_capability_models (V003, V160). */
class CapabilityModelsViewTest {

  @TempDir Path dir;
  Store store;
  FileImport fileImport;

  @BeforeEach
  void freshDatabase() {
    store = TestEngine.uniqueStore("capability_models");
    fileImport =
        new FileImport(
            new EventWriter(
                store,
                new EventParser(),
                EventWriter.DuplicateCheck.STORE,
                IngestMetrics.unregistered(),
                Clock.systemUTC()),
            1000);
  }

  @Test
  void eachModel_getsTheFirstPriceListedForItsCapabilityAndModel_orNone() throws Exception {
    String models35 =
        "{\"a\":{\"warm\":true,\"capacity\":2,\"capacityInUse\":1,\"runnerVersion\":\"v1\"},"
            + "\"b\":{\"warm\":false,\"capacity\":1,\"capacityInUse\":0}}";
    String models7 = "{\"a\":{\"warm\":true,\"capacity\":5,\"capacityInUse\":0}}";
    // a of 35 is priced twice (the first, 100, holds); b of 35 has none; a of 7 is priced 9,
    // which must not leak to a of 35; a price of a model that is not listed makes no row.
    String prices =
        "[" + price(35, "a", 100, 1) + "," + price(7, "a", 9, 2) + "," + price(35, "a", 200, 1)
            + "," + price(35, "z", 1, 1) + "]";
    importLines(capabilities("cap-1", orchestrator(
        "{\"35\":{\"models\":" + models35 + "},\"7\":{\"models\":" + models7 + "}}", prices)));

    assertThat(rows("SELECT capability, model_id, warm, capacity_idle, capacity_in_use,"
            + " runner_version, price_per_unit, pixels_per_unit FROM network_capability_models"
            + " FINAL ORDER BY capability, model_id"))
        .containsExactly(
            "7\ta\ttrue\t5\t0\t\t9\t2",
            "35\ta\ttrue\t2\t1\tv1\t100\t1",
            "35\tb\tfalse\t1\t0\t\t\\N\t\\N");
  }

  /**
   * A valid snapshot near the message limit, with as many prices as models: the lookup stays in
   * linear memory, so the batch it came in is stored whole (before V160 the insert failed on the
   * engine's 4 GiB limit, and the Kafka ingest retried the batch for ever).
   */
  @Test
  void aSnapshotOfSevenThousandModelsAndPrices_isStored_withTheRestOfItsBatch() throws Exception {
    int n = 7_000;
    StringBuilder models = new StringBuilder("{");
    StringBuilder prices = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      models.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":{\"capacity\":1}");
      prices.append(i == 0 ? "" : ",").append(price(35, "m" + i, i, 1));
    }
    String big = capabilities("big", orchestrator(
        "{\"35\":{\"models\":" + models.append('}') + "}}", prices.append(']').toString()));
    assertThat(big.length()).isBetween(500_000, EventParser.DEFAULT_MAX_BYTES);

    BatchResult r = importLines(big, capabilities("small", orchestrator(
        "{\"35\":{\"models\":{\"x\":{\"capacity\":3}}}}", "[" + price(35, "x", 5, 1) + "]")));

    assertThat(r).isEqualTo(new BatchResult(2, 0, 0));
    assertThat(rows("SELECT event_id, count(), countIf(price_per_unit = if(model_id = 'x', 5,"
            + " toFloat64OrZero(substring(model_id, 2)))) FROM network_capability_models FINAL"
            + " GROUP BY event_id ORDER BY event_id"))
        .containsExactly("big\t7000\t7000", "small\t1\t1");
  }

  private static String price(int capability, String model, long perUnit, long pixels) {
    return "{\"pricePerUnit\":" + perUnit + ",\"pixelsPerUnit\":" + pixels + ",\"capability\":"
        + capability + ",\"constraint\":\"" + model + "\"}";
  }

  private static String orchestrator(String perCapability, String prices) {
    return "{\"address\":\"0xabc\",\"local_address\":\"0xabc\",\"orch_uri\":\"https://o.example:1\","
        + "\"capabilities\":{\"bitstring\":[1],\"version\":\"0.8.8\",\"constraints\":"
        + "{\"PerCapability\":" + perCapability + "}},\"capabilities_prices\":" + prices
        + ",\"hardware\":[]}";
  }

  private static String capabilities(String id, String orchestrator) {
    return "{\"id\":\"" + id + "\",\"type\":\"network_capabilities\",\"timestamp\":"
        + "\"1767908955607\",\"gateway\":\"gw\",\"data\":[" + orchestrator + "]}";
  }

  private BatchResult importLines(String... lines) throws Exception {
    Path file = dir.resolve("events.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return fileImport.importFile(file);
  }

  private List<String> rows(String sql) {
    return new ArrayList<>(
        new String(store.query(sql, Map.of(), "TabSeparated"), StandardCharsets.UTF_8)
            .lines().toList());
  }
}
