package dev.naap.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two real {@code /getNetworkCapabilities} answers, served on loopback by two gateways: what
 * the store holds afterwards is counted against the files, read independently with Jackson.
 */
@Timeout(60)
class RealAnswersScrapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LIVE = LoopbackServer.sharedData("getNetworkCapabilities-live.json");
  private static final Path BATCH =
      LoopbackServer.sharedData("getNetworkCapabilities-batch-byoc.json");

  private static LoopbackServer live;
  private static LoopbackServer batch;

  @BeforeAll
  static void serve() throws Exception {
    live = new LoopbackServer().file("/getNetworkCapabilities", LIVE);
    batch = new LoopbackServer().file("/getNetworkCapabilities", BATCH);
  }

  @AfterAll
  static void stop() {
    live.close();
    batch.close();
  }

  static ScraperConfig config(List<java.net.URI> gateways) {
    return ScraperConfig.builder(gateways)
        .interval(Duration.ofSeconds(30)).attemptTimeout(Duration.ofSeconds(5)).attempts(1)
        .reachability(false)  // the files name real hosts: tests never leave the loopback
        .build();
  }

  @Test
  void realAnswers_storeEveryOrchestratorModelPriceAndGpuOfTheFiles() throws Exception {
    try (Store store = TestEngine.uniqueStore("scrape_real");
        Scraper scraper = new Scraper(config(List.of(live.url(), batch.url())), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      Scraper.RunSummary run = scraper.runOnce();

      assertThat(run.status()).isEqualTo("ok");
      for (var server : List.of(live, batch)) {
        Path file = server == live ? LIVE : BATCH;
        String source = Scraper.sourceName(server.url());
        Expected want = Expected.of(file);
        Map<String, Object> at = Map.of("at", run.finishedAt(), "source", source);

        assertThat(
                lines(
                    store,
                    "SELECT orch_uri, address, local_address, version FROM orchestrators_at(at ="
                        + " {at:DateTime64(3, 'UTC')}) WHERE source = {source:String}",
                    at))
            .isEqualTo(want.orchestrators);
        assertThat(
                lines(
                    store,
                    "SELECT orch_uri, capability, model_id, warm, capacity_idle, capacity_in_use,"
                        + " runner_version FROM orchestrator_models_at(at = {at:DateTime64(3,"
                        + " 'UTC')}) WHERE source = {source:String}",
                    at))
            .isEqualTo(want.models);
        assertThat(lines(store, "SELECT orch_uri, capability, model_constraint, price_per_unit,"
            + " pixels_per_unit FROM orchestrator_prices_at(at = {at:DateTime64(3, 'UTC')})"
            + " WHERE source = {source:String}", at)).isEqualTo(want.prices);
        assertThat(lines(store, "SELECT orch_uri, pipeline, model_id, gpu_slot, gpu_id, gpu_name,"
            + " memory_total_bytes FROM orchestrator_gpus_at(at = {at:DateTime64(3, 'UTC')})"
            + " WHERE source = {source:String}", at)).isEqualTo(want.gpus);
        assertThat(
                lines(
                    store,
                    "SELECT orch_uri, toString(price_per_unit), toString(pixels_per_unit) FROM"
                        + " orchestrators_at(at = {at:DateTime64(3, 'UTC')}) WHERE source ="
                        + " {source:String} AND price_per_unit IS NOT NULL",
                    at))
            .isEqualTo(want.defaultPrices);
        assertThat(run.sources()).filteredOn(o -> o.source().equals(source)
                && o.endpoint().equals(Scraper.CAPABILITIES))
            .singleElement()
            .satisfies(o -> {
              assertThat(o.orchestrators()).isEqualTo(want.orchestrators.size());
              assertThat(o.versionsWritten()).isEqualTo(want.orchestrators.size());
            });
      }
      // Neither loopback gateway serves /registeredOrchestrators: recorded, not a failure.
      assertThat(run.sources()).filteredOn(o -> o.endpoint().equals(Scraper.REGISTERED))
          .extracting(Scraper.SourceOutcome::status).containsOnly("unavailable");
      assertThat(store.queryText("SELECT status, sources, sources_failed FROM scrape_runs FINAL"
          + " WHERE run_id = {id:String}", Map.of("id", run.runId())))
          .isEqualTo("ok\t2\t0\n");
    }
  }

  @Test
  void unchangedAnswers_writeNoNewVersions() throws Exception {
    try (Store store = TestEngine.uniqueStore("scrape_same");
        Scraper scraper = new Scraper(config(List.of(live.url())), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      scraper.runOnce();
      Scraper.RunSummary second = scraper.runOnce();

      assertThat(second.sources()).filteredOn(o -> o.endpoint().equals(Scraper.CAPABILITIES))
          .singleElement().satisfies(o -> {
            assertThat(o.versionsWritten()).isZero();
            assertThat(o.versionsClosed()).isZero();
          });
      int orchestrators = Expected.of(LIVE).orchestrators.size();
      assertThat(store.queryText("SELECT count() FROM orchestrator_versions FINAL", Map.of()))
          .isEqualTo(orchestrators + "\n");
      assertThat(store.queryText("SELECT count() FROM scrape_runs FINAL WHERE status = 'ok'",
          Map.of())).isEqualTo("2\n");
    }
  }

  @Test
  void aChangedGpuId_opensANewVersionAndAsOfQueriesFollowIt() throws Exception {
    ObjectNode answer = (ObjectNode) JSON.readTree(Files.readAllBytes(LIVE));
    ObjectNode orch = null;
    for (JsonNode o : answer.get("orchestrators")) {
      if (o.path("hardware").isArray() && o.get("hardware").get(0).has("gpu_info")) {
        orch = (ObjectNode) o;
        break;
      }
    }
    assertThat(orch).as("the live file has an orchestrator with GPUs").isNotNull();
    String uri = orch.get("orch_uri").asText();
    ObjectNode gpu = (ObjectNode) orch.get("hardware").get(0).get("gpu_info").properties()
        .iterator().next().getValue();
    String oldId = gpu.get("id").asText();
    String newId = "GPU-00000000-0000-0000-0000-000000000001";

    try (LoopbackServer gateway = new LoopbackServer().file("/getNetworkCapabilities", LIVE);
        Store store = TestEngine.uniqueStore("scrape_gpu");
        Scraper scraper = new Scraper(config(List.of(gateway.url())), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      Scraper.RunSummary before = scraper.runOnce();
      Thread.sleep(5);
      gpu.put("id", newId);
      gateway.json("/getNetworkCapabilities", JSON.writeValueAsBytes(answer));
      Scraper.RunSummary after = scraper.runOnce();

      // Exactly the changed orchestrator got a new version; the old one was closed at that time.
      assertThat(after.sources()).filteredOn(o -> o.endpoint().equals(Scraper.CAPABILITIES))
          .singleElement().satisfies(o -> {
            assertThat(o.versionsWritten()).isEqualTo(1);
            assertThat(o.versionsClosed()).isEqualTo(1);
          });
      String sql = "SELECT groupArray(gpu_id) FROM (SELECT gpu_id FROM orchestrator_gpus_at("
          + "at = {at:DateTime64(3, 'UTC')}) WHERE orch_uri = {uri:String} ORDER BY gpu_id)";
      assertThat(store.queryText(sql, Map.of("at", before.finishedAt(), "uri", uri)))
          .contains(oldId).doesNotContain(newId);
      assertThat(store.queryText(sql, Map.of("at", after.finishedAt(), "uri", uri)))
          .contains(newId);
      assertThat(store.queryText(sql, Map.of("at", Instant.parse("2020-01-01T00:00:00Z"),
          "uri", uri))).isEqualTo("[]\n");
      assertThat(store.queryText("SELECT countIf(valid_to IS NULL), countIf(valid_to IS NOT NULL)"
          + " FROM orchestrator_versions FINAL WHERE orch_uri = {uri:String}", Map.of("uri", uri)))
          .isEqualTo("1\t1\n");
    }
  }

  @Test
  void aChangeOfLoadAlone_rewritesTheOpenVersionInPlace() throws Exception {
    ObjectNode answer = (ObjectNode) JSON.readTree(Files.readAllBytes(LIVE));
    ObjectNode orch = null;
    for (JsonNode o : answer.get("orchestrators")) {
      if (o.path("hardware").isArray() && o.get("hardware").get(0).has("gpu_info")
          && o.path("capabilities").path("constraints").path("PerCapability").has("35")) {
        orch = (ObjectNode) o;
        break;
      }
    }
    assertThat(orch).as("the live file has a live-video orchestrator with GPUs").isNotNull();
    String uri = orch.get("orch_uri").asText();
    var models = (ObjectNode) orch.at("/capabilities/constraints/PerCapability/35/models");
    ObjectNode model = (ObjectNode) models.properties().iterator().next().getValue();
    long idle = model.path("capacity").asLong();
    long inUse = model.path("capacityInUse").asLong();
    Map<String, Object> byUri = Map.of("uri", uri);
    String models35 = "SELECT capacity_idle, capacity_in_use FROM orchestrator_version_models FINAL"
        + " WHERE orch_uri = {uri:String} AND capability = 35";

    try (LoopbackServer gateway = new LoopbackServer().file("/getNetworkCapabilities", LIVE);
        Store store = TestEngine.uniqueStore("scrape_load");
        Scraper scraper = new Scraper(config(List.of(gateway.url())), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      Scraper.RunSummary quiet = scraper.runOnce();
      String opened = store.queryText("SELECT valid_from, run_id FROM orchestrator_versions FINAL"
          + " WHERE orch_uri = {uri:String}", byUri);

      // A stream starts: one container moves from idle to in use.
      Thread.sleep(5);
      model.put("capacity", idle + 1);
      model.put("capacityInUse", inUse + 1);
      gateway.json("/getNetworkCapabilities", JSON.writeValueAsBytes(answer));
      Scraper.RunSummary busy = scraper.runOnce();

      assertThat(busy.sources()).filteredOn(o -> o.endpoint().equals(Scraper.CAPABILITIES))
          .singleElement().satisfies(o -> {
            assertThat(o.versionsWritten()).isZero();
            assertThat(o.versionsClosed()).isZero();
          });
      // Still one version, open since the first scrape, now with the load of the second.
      assertThat(store.queryText("SELECT valid_from, run_id FROM orchestrator_versions FINAL"
          + " WHERE orch_uri = {uri:String}", byUri)).isEqualTo(opened);
      assertThat(store.queryText("SELECT count(), countIf(valid_to IS NULL)"
          + " FROM orchestrator_versions FINAL WHERE orch_uri = {uri:String}", byUri))
          .isEqualTo("1\t1\n");
      String busyLoad = (idle + 1) + "\t" + (inUse + 1) + "\n";
      assertThat(store.queryText(models35, byUri)).isEqualTo(busyLoad);
      // ... and what was true at each time is still known, from the load readings.
      String modelsAt = "SELECT capacity_idle, capacity_in_use FROM orchestrator_models_at("
          + "at = {at:DateTime64(3, 'UTC')}) WHERE orch_uri = {uri:String} AND capability = 35";
      assertThat(store.queryText(modelsAt, Map.of("at", quiet.finishedAt(), "uri", uri)))
          .isEqualTo(idle + "\t" + inUse + "\n");
      assertThat(store.queryText(modelsAt, Map.of("at", busy.finishedAt(), "uri", uri)))
          .isEqualTo(busyLoad);
      assertThat(store.queryText("SELECT count() FROM orchestrator_load_readings"
          + " WHERE orch_uri = {uri:String} AND capability = 35", byUri)).isEqualTo("2\n");

      // What the orchestrator is changes (its runner): a new version, the old one closed.
      Thread.sleep(5);
      model.put("runnerVersion", "0.99.0");
      gateway.json("/getNetworkCapabilities", JSON.writeValueAsBytes(answer));
      scraper.runOnce();
      assertThat(store.queryText("SELECT countIf(valid_to IS NULL), countIf(valid_to IS NOT NULL)"
          + " FROM orchestrator_versions FINAL WHERE orch_uri = {uri:String}", byUri))
          .isEqualTo("1\t1\n");
      assertThat(store.queryText(models35 + " AND runner_version = '0.99.0'", byUri))
          .isEqualTo(busyLoad);
    }
  }

  private static Set<String> lines(Store store, String sql, Map<String, ?> params) {
    Set<String> out = new TreeSet<>();
    for (String line : store.queryText(sql, params).split("\n")) {
      if (!line.isEmpty()) {
        out.add(line);
      }
    }
    return out;
  }

  /** The file's content as TSV lines, computed with Jackson alone. */
  record Expected(Set<String> orchestrators, Set<String> models, Set<String> prices,
      Set<String> gpus, Set<String> defaultPrices) {
    static Expected of(Path file) throws Exception {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      Set<String> uris = new HashSet<>();
      Expected e = new Expected(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(),
          new TreeSet<>(), new TreeSet<>());
      for (JsonNode o : root.get("orchestrators")) {
        String uri = o.get("orch_uri").asText();
        if (!uris.add(uri)) {
          continue;
        }
        JsonNode caps = o.get("capabilities");
        e.orchestrators.add(String.join("\t", uri, lower(o.get("address")),
            lower(o.get("local_address")), caps.path("version").asText()));
        caps.path("constraints")
            .path("PerCapability")
            .properties()
            .forEach(
                c ->
                    c.getValue()
                        .path("models")
                        .properties()
                        .forEach(
                            m ->
                                e.models.add(
                                    String.join(
                                        "\t",
                                        uri,
                                        c.getKey(),
                                        m.getKey(),
                                        m.getValue().path("warm").asBoolean() ? "true" : "false",
                                        Long.toString(m.getValue().path("capacity").asLong()),
                                        Long.toString(m.getValue().path("capacityInUse").asLong()),
                                        m.getValue().path("runnerVersion").asText()))));
        for (JsonNode p : o.path("capabilities_prices")) {
          e.prices.add(String.join("\t", uri, Integer.toString(p.path("capability").asInt()),
              p.path("constraint").asText(), Long.toString(p.path("pricePerUnit").asLong()),
              Long.toString(p.path("pixelsPerUnit").asLong())));
        }
        for (JsonNode h : o.path("hardware")) {
          h.path("gpu_info").properties().forEach(g -> e.gpus.add(String.join("\t", uri,
              h.path("pipeline").asText(), h.path("model_id").asText(), g.getKey(),
              g.getValue().path("id").asText(), g.getValue().path("name").asText(),
              Long.toString(g.getValue().path("memory_total").asLong()))));
        }
        if (o.has("price_info") && !o.get("price_info").isNull()) {
          e.defaultPrices.add(String.join("\t", uri,
              Long.toString(o.get("price_info").path("pricePerUnit").asLong()),
              Long.toString(o.get("price_info").path("pixelsPerUnit").asLong())));
        }
      }
      assertThat(e.orchestrators).isNotEmpty();
      return e;
    }

    private static String lower(JsonNode n) {
      return n.asText().toLowerCase(Locale.ROOT);
    }
  }
}
