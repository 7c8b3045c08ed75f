package dev.naap.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.naap.metrics.query.Column;
import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.DiscoveryQuery;
import dev.naap.metrics.query.LiveStreams;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.Report;
import dev.naap.metrics.query.TestLoadResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.1 document, generated from the routes' descriptors and the query layer's column
 * catalogue, so routes, parameters and columns cannot drift from the code; what every route shares
 * (the problem, page and meta schemas, the 304/400/429/503 answers, the info block) is written
 * here once. Deterministic: the same code gives the same bytes, which is what the test against
 * {@code docs/openapi.json} needs.
 */
final class OpenApi {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String PROBLEM = "application/problem+json";

  private final MetricsQueries queries;
  private final Map<String, Object> schemas = new LinkedHashMap<>();

  private OpenApi(MetricsQueries queries) {
    this.queries = queries;
  }

  /** The document for {@code routes}, as indented JSON ending in a newline. */
  static String document(List<Route> routes, MetricsQueries queries) {
    return new OpenApi(queries).render(routes);
  }

  private String render(List<Route> routes) {
    commonSchemas();
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Route r : routes) {
      paths.put(r.template(), ordered("get", operation(r)));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        ordered(
            "title",
            "NaaP public API",
            "version",
            "1.0.0",
            "description",
            "Measured performance of the Livepeer AI network: GPU metrics, network demand, SLA"
                + " compliance, orchestrators, datasets, load test results. Every /v1 route answers"
                + " in one envelope {data, meta, pagination}, or as CSV; errors are RFC 9457"
                + " problems. Metric definitions: docs/METRICS.md (definitions_version "
                + Meta.DEFINITIONS_VERSION
                + ")."));
    doc.put("servers", List.of(ordered("url", "/")));
    doc.put("paths", paths);
    doc.put("components", ordered("schemas", schemas, "headers", headers()));
    try {
      return JSON.writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the document is plain maps and lists", e);
    }
  }

  private Map<String, Object> operation(Route r) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("operationId", r.operationId());
    op.put("summary", r.summary());
    op.put("description", r.description());
    op.put(
        "tags",
        List.of(r.template().startsWith("/v1/") ? r.template().split("/")[2] : "operations"));
    op.put("parameters", r.params().stream().map(OpenApi::parameter).toList());
    Map<String, Object> responses = new LinkedHashMap<>();
    responses.put("200", ok(r));
    if (r.template().startsWith("/v1/")) {
      responses.put(
          "304",
          ordered(
              "description", "Not modified: the If-None-Match ETag is current. Free of quota."));
      responses.put("400", problem("A parameter is invalid or unknown; `parameter` names it."));
      responses.put("401", problem("The X-API-Key header holds an unknown key."));
      if (r.template().contains("{")) {
        responses.put("404", problem("No such orchestrator or dataset."));
      }
      responses.put("429", ordered("description", "Quota spent; retry after Retry-After seconds.",
          "headers", ordered("Retry-After", ordered("$ref", "#/components/headers/Retry-After")),
          "content", ordered(PROBLEM, ordered("schema", ref("Problem")))));
      responses.put("503", problem("The store is busy or the query took too long, or the"
          + " answer does not fit beside the answers being sent now."));
    } else {
      responses.put("503", problem("Not ready (only /ready)."));
    }
    op.put("responses", responses);
    return op;
  }

  private static Map<String, Object> parameter(ParamSpec p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("in", p.inPath() ? "path" : "query");
    m.put("required", p.required());
    m.put("description", p.description());
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("type", p.type());
    if (!p.allowed().isEmpty()) {
      value.put("enum", p.allowed());
    }
    if (p.minimum() != null) {
      value.put("minimum", p.minimum());
    }
    if (p.maximum() != null) {
      value.put("maximum", p.maximum());
    }
    if (p.defaultValue() != null) {
      value.put("default", switch (p.type()) {
        case "integer" -> Integer.parseInt(p.defaultValue());
        case "boolean" -> Boolean.parseBoolean(p.defaultValue());
        default -> p.defaultValue();
      });
    }
    if (p.repeatable()) {
      m.put("style", "form");
      m.put("explode", true);
      m.put("schema", ordered("type", "array", "items", value));
    } else {
      m.put("schema", value);
    }
    return m;
  }

  private Map<String, Object> ok(Route r) {
    Map<String, Object> content = new LinkedHashMap<>();
    String description = "OK";
    switch (r.body()) {
      case Route.ReportRows(Report report) -> {
        String name = pascal(report.name());
        schemas.put(name + "Row", rowSchema(reportColumns(report), "One row of " + r.template()));
        schemas.put(name + "Page", envelope(ordered("type", "array", "items", ref(name + "Row"))));
        content.put("application/json", ordered("schema", ref(name + "Page")));
        content.put("text/csv", ordered("schema", ordered("type", "string")));
        description =
            "One page of rows (JSON envelope, or CSV with format=csv or Accept: text/csv)";
      }
      case Route.Described(String schemaName, boolean csv) -> {
        content.put("application/json", ordered("schema", ref(schemaName)));
        if (csv) {
          content.put("text/csv", ordered("schema", ordered("type", "string")));
        }
      }
      case Route.Raw(String mediaType, String schemaName) ->
          content.put(mediaType, ordered("schema", schemaName != null ? ref(schemaName)
              : mediaType.contains("json") ? ordered("type", "object")
              : mediaType.contains("octet") ? ordered("type", "string", "format", "binary")
              : ordered("type", "string")));
    }
    Map<String, Object> ok = new LinkedHashMap<>();
    ok.put("description", description);
    if (r.limited()) {
      Map<String, Object> headers = new LinkedHashMap<>();
      for (String h :
          List.of(
              "ETag",
              "Last-Modified",
              "Cache-Control",
              "RateLimit-Policy",
              "RateLimit",
              "X-RateLimit-Limit",
              "X-RateLimit-Remaining",
              "X-RateLimit-Reset")) {
        headers.put(h, ordered("$ref", "#/components/headers/" + h));
      }
      ok.put("headers", headers);
    }
    ok.put("content", content);
    return ok;
  }

  /** Every column a report's rows can carry: its default grouping's, then those grouping adds. */
  private List<Column> reportColumns(Report report) {
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    List<Column> all = new ArrayList<>();
    List<Dimension> everything = queries.groupable(report);
    for (List<Column> cs :
        List.of(queries.columns(report, List.of()), queries.columns(report, everything))) {
      for (Column c : cs) {
        if (seen.add(c.name())) {
          all.add(c);
        }
      }
    }
    return all;
  }

  static Map<String, Object> rowSchema(List<Column> columns, String description) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Column c : columns) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", List.of(switch (c.type()) {
        case STRING, TIMESTAMP -> "string";
        case INTEGER -> "integer";
        case DECIMAL -> "number";
        case BOOLEAN -> "boolean";
      }, "null"));
      if (c.type() == Column.Type.TIMESTAMP) {
        p.put("format", "date-time");
      } else if (c.type() == Column.Type.INTEGER) {
        p.put("format", "int64");
      } else if (c.type() == Column.Type.DECIMAL) {
        p.put("format", "double");
      }
      p.put("description", c.description() + (c.unit().isEmpty() ? "" : " (" + c.unit() + ")"));
      properties.put(c.name(), p);
    }
    return ordered("type", "object", "description", description, "properties", properties);
  }

  private static Map<String, Object> envelope(Map<String, Object> data) {
    return ordered(
        "type",
        "object",
        "required",
        List.of("data", "meta", "pagination"),
        "properties",
        ordered("data", data, "meta", ref("Meta"), "pagination", ref("Pagination")));
  }

  private void commonSchemas() {
    schemas.put(
        "Problem",
        ordered(
            "type",
            "object",
            "description",
            "RFC 9457 problem details",
            "properties",
            ordered(
                "type",
                ordered("type", "string"),
                "title",
                ordered("type", "string"),
                "status",
                ordered("type", "integer", "format", "int32"),
                "detail",
                ordered("type", "string"),
                "instance",
                ordered("type", "string"),
                "parameter",
                ordered(
                    "type", List.of("string", "null"), "description", "The parameter at fault"))));
    schemas.put(
        "Pagination",
        ordered(
            "type",
            "object",
            "properties",
            ordered(
                "next_cursor",
                    ordered(
                        "type",
                        List.of("string", "null"),
                        "description",
                        "Pass as `cursor` for the next page"),
                "has_more", ordered("type", "boolean"))));
    schemas.put(
        "ColumnInfo",
        ordered(
            "type",
            "object",
            "properties",
            ordered(
                "name",
                ordered("type", "string"),
                "type",
                ordered("type", "string"),
                "unit",
                ordered("type", "string"),
                "description",
                ordered("type", "string"))));
    Map<String, Object> time = ordered("type", List.of("string", "null"), "format", "date-time");
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("start", time);
    meta.put("end", time);
    meta.put("granularity", ordered("type", List.of("string", "null")));
    meta.put("filters", ordered("type", "object", "additionalProperties",
        ordered("type", "array", "items", ordered("type", "string"))));
    meta.put("group_by", ordered("type", "array", "items", ordered("type", "string")));
    meta.put("include_test_load", ordered("type", "boolean"));
    meta.put("generated_at", ordered("type", "string", "format", "date-time"));
    meta.put("data_as_of", time);
    meta.put("definitions_version", ordered("type", "string"));
    meta.put("columns", ordered("type", "array", "items", ref("ColumnInfo")));
    schemas.put("Meta", ordered("type", "object", "description",
        "What the rows are about; routes add their own entries (sla_targets, previous_start, ...)",
        "properties", meta, "additionalProperties", true));
    schemas.put("OverviewRow", rowSchema(OverviewEndpoint.COLUMNS, "One headline number"));
    schemas.put("OverviewPage", envelope(ordered("type", "array", "items", ref("OverviewRow"))));
    schemas.put(
        "DiscoveryRow",
        rowSchema(DiscoveryQuery.COLUMNS, "One node able to serve the capabilities"));
    schemas.put("DiscoveryPage", envelope(ordered("type", "array", "items", ref("DiscoveryRow"))));
    schemas.put("ScoreHistoryRow",
        rowSchema(MetricsQueries.scoreHistoryColumns(List.of(Dimension.GPU_MODEL)),
            "One hour of one orchestrator's score for one pipeline (and GPU model, when asked)"));
    schemas.put("LiveStreamsRow", rowSchema(LiveStreams.COLUMNS, "One session in flight"));
    schemas.put(
        "LiveStreamsPage", envelope(ordered("type", "array", "items", ref("LiveStreamsRow"))));
    schemas.put(
        "ScoreHistoryPage", envelope(ordered("type", "array", "items", ref("ScoreHistoryRow"))));
    schemas.put("Dataset", rowSchema(DatasetEndpoints.COLUMNS, "One dataset"));
    schemas.put("DatasetsPage", envelope(ordered("type", "array", "items", ref("Dataset"))));
    schemas.put("DatasetPage", envelope(ref("Dataset")));
    schemas.put("TestLoadResult", rowSchema(TestLoadResults.RESULT_COLUMNS, "One load test"));
    schemas.put(
        "TestLoadResultsPage", envelope(ordered("type", "array", "items", ref("TestLoadResult"))));
    schemas.put("TestLoadCoverageRow", rowSchema(TestLoadResults.COVERAGE_COLUMNS,
        "The load tests of one orchestrator × pipeline"));
    schemas.put(
        "TestLoadCoveragePage",
        envelope(ordered("type", "array", "items", ref("TestLoadCoverageRow"))));
    schemas.put("OrchestratorMetadata", rowSchema(queries.columns(Report.ORCHESTRATORS, List.of()),
        "The orchestrator's row of /v1/orchestrators"));
    schemas.put("OrchestratorHistoryRow", rowSchema(queries.columns(Report.GPU_METRICS,
        List.of(Dimension.ORCHESTRATOR)), "One bucket of the orchestrator's GPU metrics"));
    // The query layer publishes no catalogue for the GPU rows; meta.gpu_columns describes them.
    schemas.put(
        "OrchestratorDetail",
        ordered(
            "type",
            "object",
            "properties",
            ordered(
                "metadata", ref("OrchestratorMetadata"),
                "gpus",
                    ordered(
                        "type",
                        "array",
                        "items",
                        ordered("type", "object", "additionalProperties", true)),
                "history", ordered("type", "array", "items", ref("OrchestratorHistoryRow")))));
    schemas.put("OrchestratorPage", envelope(ref("OrchestratorDetail")));
    schemas.put(
        "Health",
        ordered("type", "object", "properties", ordered("status", ordered("type", "string"))));
    schemas.put(
        "Ready",
        ordered(
            "type",
            "object",
            "properties",
            ordered(
                "ready",
                ordered("type", "boolean"),
                "checks",
                ordered("type", "object", "additionalProperties", true))));
  }

  private static Map<String, Object> headers() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("ETag", header("string", "Strong validator of the body; send it back in If-None-Match"));
    h.put("Last-Modified", header("string", "The data's data_as_of"));
    h.put("Cache-Control", header("string", "How long the response may be kept"));
    h.put("RateLimit-Policy", header("string", "The quota: \"<policy>\";q=<requests>;w=<seconds>"));
    h.put(
        "RateLimit",
        header("string", "What is left: \"<policy>\";r=<remaining>;t=<seconds to reset>"));
    h.put("X-RateLimit-Limit", header("integer", "Requests allowed per window"));
    h.put("X-RateLimit-Remaining", header("integer", "Requests left in the window"));
    h.put("X-RateLimit-Reset", header("integer", "When the window ends, Unix seconds"));
    h.put("Retry-After", header("integer", "Seconds until the quota is renewed"));
    return h;
  }

  private static Map<String, Object> header(String type, String description) {
    return ordered("description", description, "schema", ordered("type", type));
  }

  private static Map<String, Object> problem(String description) {
    return ordered(
        "description", description, "content", ordered(PROBLEM, ordered("schema", ref("Problem"))));
  }

  private static Map<String, Object> ref(String schema) {
    return ordered("$ref", "#/components/schemas/" + schema);
  }

  private static String pascal(String enumName) {
    StringBuilder b = new StringBuilder();
    for (String part : enumName.toLowerCase(Locale.ROOT).split("_")) {
      b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
