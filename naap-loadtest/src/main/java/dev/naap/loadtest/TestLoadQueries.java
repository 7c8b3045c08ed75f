package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The read side of the load tester, for {@code /v1/test-load/results} and
 * {@code /v1/test-load/coverage}: pages of {@code test_load_results} and the coverage of
 * orchestrator × pipeline. Null where there is no measurement. Thread-safe.
 */
public final class TestLoadQueries {
  /** The most rows one results page holds. */
  public static final int MAX_LIMIT = 1_000;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter CLICKHOUSE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

  /** The columns of {@link #results}, in row order. */
  public static final List<Column> RESULT_COLUMNS = List.of(
      new Column("run_id", Type.STRING, "", "the run the test belongs to"),
      new Column("plan", Type.STRING, "", "the test plan's name"),
      new Column("test_id", Type.STRING, "", "the test: its stream id (live) or request id (batch)"),
      new Column("kind", Type.STRING, "", "live or batch"),
      new Column("orchestrator", Type.STRING, "", "the orchestrator the test was pinned to; empty: the gateway chose"),
      new Column("served_by", Type.STRING, "", "the orchestrator URL the stream's status reported"),
      new Column("pipeline", Type.STRING, "", "pipeline tested"),
      new Column("model", Type.STRING, "", "model tested"),
      new Column("dataset", Type.STRING, "", "prompt dataset as id@version"),
      new Column("prompt_id", Type.STRING, "", "the dataset entry of the first prompt"),
      new Column("prompt", Type.STRING, "", "the first prompt's text"),
      new Column("started_at", Type.TIMESTAMP, "", "when the test started"),
      new Column("ended_at", Type.TIMESTAMP, "", "when the test ended"),
      new Column("outcome", Type.STRING, "", "success, failure or aborted"),
      new Column("error_class", Type.STRING, "", "why it failed (none when it did not)"),
      new Column("error_message", Type.STRING, "", "what the gateway or tester said"),
      new Column("startup_ms", Type.INTEGER, "ms", "start request to the first status with output (upper bound)"),
      new Column("prompt_change_ms", Type.INTEGER, "ms", "median /update to the first status showing the new params with output (upper bound on prompt to first frame)"),
      new Column("prompt_applied_ms", Type.INTEGER, "ms", "median /update to the runner applying the params (estimate)"),
      new Column("prompt_changes_sent", Type.INTEGER, "", "prompt changes sent"),
      new Column("prompt_changes_seen", Type.INTEGER, "", "prompt changes the status showed in time"),
      new Column("output_fps", Type.DECIMAL, "fps", "mean inference FPS over status samples with output"),
      new Column("fps_jitter", Type.DECIMAL, "", "standard deviation over mean of those FPS samples"),
      new Column("status_samples", Type.INTEGER, "", "distinct status reports seen"),
      new Column("latency_ms", Type.INTEGER, "ms", "batch: request to answer"));

  /** The columns of {@link #coverage}, in row order. */
  public static final List<Column> COVERAGE_COLUMNS = List.of(
      new Column("orchestrator", Type.STRING, "", "the orchestrator tests were pinned to; empty: the gateway chose"),
      new Column("pipeline", Type.STRING, "", "pipeline tested"),
      new Column("tests", Type.INTEGER, "", "tests in the range, aborted ones excluded"),
      new Column("successes", Type.INTEGER, "", "tests with outcome success"),
      new Column("success_rate", Type.DECIMAL, "", "successes / tests"),
      new Column("last_tested_at", Type.TIMESTAMP, "", "start of the latest test"),
      new Column("last_outcome", Type.STRING, "", "outcome of the latest test"),
      new Column("last_error_class", Type.STRING, "", "error class of the latest test"),
      new Column("startup_ms_p50", Type.DECIMAL, "ms", "median startup over the tests that measured it"),
      new Column("prompt_change_ms_p50", Type.DECIMAL, "ms", "median prompt change over the tests that measured it"),
      new Column("output_fps_avg", Type.DECIMAL, "fps", "mean of the tests' output FPS"));

  private final Store store;
  private final String resultsSql = sql("results.sql");
  private final String coverageSql = sql("coverage.sql");

  public TestLoadQueries(Store store) {
    this.store = store;
  }

  /** Optional filters of {@link #results}: null matches everything. */
  public record ResultFilter(String orchestrator, String pipeline, String outcome) {
    public static ResultFilter none() {
      return new ResultFilter(null, null, null);
    }
  }

  /**
   * Tests started in [{@code from}, {@code to}), newest first, {@code limit} (1..{@value
   * #MAX_LIMIT}) from {@code offset}.
   */
  public Page results(Instant from, Instant to, ResultFilter filter, int limit, int offset) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: expected 1.." + MAX_LIMIT + ", got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset: expected >= 0, got " + offset);
    }
    Map<String, Object> params = new HashMap<>(range(from, to));
    params.put("orchestrator", filter.orchestrator());
    params.put("pipeline", filter.pipeline());
    params.put("outcome", filter.outcome());
    params.put("limit", limit + 1);
    params.put("offset", offset);
    List<List<Object>> rows = rows(resultsSql, params, RESULT_COLUMNS);
    boolean more = rows.size() > limit;
    return new Page(RESULT_COLUMNS, more ? rows.subList(0, limit) : rows, more);
  }

  /** Coverage of every orchestrator × pipeline tested in [{@code from}, {@code to}). */
  public Page coverage(Instant from, Instant to) {
    return new Page(COVERAGE_COLUMNS, rows(coverageSql, range(from, to), COVERAGE_COLUMNS), false);
  }

  private static Map<String, Object> range(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from: expected before to, got " + from + " >= " + to);
    }
    return Map.of("from", from, "to", to);
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
