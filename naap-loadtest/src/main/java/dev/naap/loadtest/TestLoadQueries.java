package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.api.TestLoadResults;
import dev.naap.metrics.query.Column;
import dev.naap.metrics.query.Column.Type;
import dev.naap.metrics.query.Page;
import dev.naap.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of the load tester, the API's {@link TestLoadResults} (whose column lists it
 * fills) for {@code /v1/test-load/results} and {@code /v1/test-load/coverage}: pages of {@code test_load_results} and the coverage of
 * orchestrator × pipeline. Null where there is no measurement. Thread-safe.
 */
public final class TestLoadQueries implements TestLoadResults {
  /** The most rows one results page holds. */
  public static final int MAX_LIMIT = 1_000;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter CLICKHOUSE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

  private final Store store;
  private final String resultsSql = sql("results.sql");
  private final String coverageSql = sql("coverage.sql");

  public TestLoadQueries(Store store) {
    this.store = store;
  }

  @Override
  public Page results(Instant from, Instant to, Filter filter, int limit, int offset) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: expected 1.." + MAX_LIMIT + ", got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset: expected >= 0, got " + offset);
    }
    Map<String, Object> params = filtered(from, to, filter);
    params.put("outcomes", List.copyOf(filter.outcomes()));
    params.put("limit", limit + 1);
    params.put("offset", offset);
    List<List<Object>> rows = rows(resultsSql, params, RESULT_COLUMNS);
    boolean more = rows.size() > limit;
    return new Page(RESULT_COLUMNS, more ? rows.subList(0, limit) : rows, more);
  }

  @Override
  public Page coverage(Instant from, Instant to, Filter filter) {
    List<List<Object>> rows = rows(coverageSql, filtered(from, to, filter), COVERAGE_COLUMNS);
    return new Page(COVERAGE_COLUMNS, rows, false);
  }

  /** The range and the orchestrator and pipeline filters (an empty list keeps every test). */
  private static Map<String, Object> filtered(Instant from, Instant to, Filter filter) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from: expected before to, got " + from + " >= " + to);
    }
    Map<String, Object> params = new HashMap<>();
    params.put("from", from);
    params.put("to", to);
    params.put("orchestrators", List.copyOf(filter.orchestrators()));
    params.put("pipelines", List.copyOf(filter.pipelines()));
    return params;
  }

  private List<List<Object>> rows(String sql, Map<String, ?> params, List<Column> columns) {
    String text = new String(store.query(sql, params, "JSONCompactEachRow"), StandardCharsets.UTF_8);
    List<List<Object>> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode values = MAPPER.readTree(line);
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
          row.add(value(values.get(i), columns.get(i).type()));
        }
        rows.add(row);
      } catch (IOException e) {
        throw new UncheckedIOException("unexpected row from the store: " + line, e);
      }
    }
    return rows;
  }

  private static Object value(JsonNode v, Type type) {
    if (v == null || v.isNull()) {
      return null;
    }
    return switch (type) {
      case STRING -> v.asText();
      case INTEGER -> Long.parseLong(v.asText());
      case DECIMAL -> Double.isFinite(v.asDouble()) ? v.asDouble() : null;
      case BOOLEAN -> v.asBoolean();
      case TIMESTAMP -> LocalDateTime.parse(v.asText(), CLICKHOUSE_TIME).toInstant(ZoneOffset.UTC);
    };
  }

  private static String sql(String name) {
    try (InputStream in = TestLoadQueries.class.getResourceAsStream("sql/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource dev/naap/loadtest/sql/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
