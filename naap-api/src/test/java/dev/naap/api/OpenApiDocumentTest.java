package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json is the document the code generates; this test fails when they differ. To
 * regenerate it: {@code mvn -pl naap-api test -Dtest=OpenApiDocumentTest
 * -Dnaap.openapi.write=true}.
 */
class OpenApiDocumentTest {

  static final Path COMMITTED = Path.of("..", "docs", "openapi.json");

  @Test
  void committedCopy_equalsTheGeneratedDocument() throws IOException {
    String generated = generated();
    if (Boolean.getBoolean("naap.openapi.write")) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    String committed =
        Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
    assertThat(committed)
        .as("docs/openapi.json differs from what the code generates; regenerate it with "
            + "mvn -pl naap-api test -Dtest=OpenApiDocumentTest -Dnaap.openapi.write=true")
        .isEqualTo(generated);
  }

  @Test
  void document_isOpenApi31_withEveryRouteAndItsParameters() throws IOException {
    JsonNode doc = new ObjectMapper().readTree(generated());
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    for (String path :
        new String[] {
          "/v1/gpu/metrics",
          "/v1/network/demand",
          "/v1/sla/compliance",
          "/v1/orchestrators",
          "/v1/orchestrators/{address}",
          "/v1/network/overview",
          "/v1/datasets",
          "/v1/datasets/{id}",
          "/v1/datasets/{id}/download",
          "/v1/test-load/results",
          "/v1/test-load/coverage",
          "/health",
          "/ready",
          "/openapi.json",
          "/docs"
        }) {
      assertThat(doc.get("paths").has(path)).as(path).isTrue();
    }
    JsonNode params = doc.get("paths").get("/v1/gpu/metrics").get("get").get("parameters");
    assertThat(params.findValuesAsText("name"))
        .contains(
            "start",
            "end",
            "window",
            "granularity",
            "orchestrator",
            "gpu_id",
            "gpu_model",
            "pipeline",
            "region",
            "gateway",
            "group_by",
            "sort",
            "limit",
            "cursor",
            "include_test_load",
            "format");
    JsonNode row = doc.get("components").get("schemas").get("GpuMetricsRow").get("properties");
    for (String column :
        new String[] {
          "window_start",
          "orchestrator_address",
          "gpu_id",
          "gpu_model",
          "region",
          "pipeline",
          "segments",
          "output_fps_mean",
          "output_fps_p05",
          "output_fps_p50",
          "output_fps_p95",
          "fps_samples",
          "ptff_ms_p50",
          "ptff_ms_p95",
          "jitter_coefficient_mean",
          "failure_rate",
          "failed_segments",
          "bandwidth_up_kbps_mean",
          "bandwidth_down_kbps_mean"
        }) {
      assertThat(row.has(column)).as(column).isTrue();
    }
    JsonNode results = doc.get("paths").get("/v1/test-load/results").get("get").get("parameters");
    assertThat(results.findValuesAsText("name"))
        .containsExactly(
            "start",
            "end",
            "window",
            "orchestrator",
            "pipeline",
            "outcome",
            "limit",
            "cursor",
            "format");
    assertThat(
            doc.get("paths")
                .get("/v1/test-load/coverage")
                .get("get")
                .get("parameters")
                .findValuesAsText("name"))
        .containsExactly("start", "end", "window", "orchestrator", "pipeline", "format");
    JsonNode schemas = doc.get("components").get("schemas");
    assertThat(
            schemas
                .get("TestLoadResult")
                .get("properties")
                .get("prompt_change_ms")
                .get("description")
                .asText())
        .startsWith("median /update to the first status")
        .endsWith("(ms)");
    assertThat(schemas.get("TestLoadCoverageRow").get("properties").has("success_rate")).isTrue();
  }

  /** caps was "required": false (only path parameters were required); limit had no bounds. */
  @Test
  void requiredQueryParameters_andTheBoundsOfLimit_areDeclared() throws IOException {
    JsonNode paths = new ObjectMapper().readTree(generated()).get("paths");
    Map<String, JsonNode> discover = byName(paths.get("/v1/discover/orchestrators"));
    assertThat(discover.get("caps").get("required").asBoolean()).isTrue();
    assertThat(discover.get("caps").get("schema").get("type").asText()).isEqualTo("array");
    assertThat(discover.get("min_score").get("required").asBoolean()).isFalse();
    for (String path : new String[] {"/v1/discover/orchestrators", "/v1/gpu/metrics"}) {
      JsonNode limit = byName(paths.get(path)).get("limit").get("schema");
      assertThat(limit.get("type").asText()).as(path).isEqualTo("integer");
      assertThat(limit.get("minimum").asInt()).as(path).isEqualTo(1);
      assertThat(limit.get("maximum").asInt()).as(path).isEqualTo(1000);
      assertThat(limit.get("default").asInt()).as(path).isEqualTo(100);
    }
    Map<String, JsonNode> scores = byName(paths.get("/v1/orchestrators/{address}/scores"));
    assertThat(scores.get("address").get("required").asBoolean()).isTrue();
    assertThat(scores.get("start").get("required").asBoolean()).isFalse();
  }

  private static Map<String, JsonNode> byName(JsonNode path) {
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    path.get("get").get("parameters").forEach(p -> byName.put(p.get("name").asText(), p));
    return byName;
  }

  /** The document of a server over the real query layer (its column catalogue needs no data). */
  static String generated() {
    try (var store = TestStores.store("openapi_doc")) {
      var server =
          new ApiServer(
              ApiConfig.defaults(),
              TestStores.queries(store),
              DatasetCatalog.empty(),
              () -> new Readiness.Status(true, Map.of()),
              new PrometheusRegistry(),
              InstantSource.system());
      return server.openApiDocument();
    }
  }
}
