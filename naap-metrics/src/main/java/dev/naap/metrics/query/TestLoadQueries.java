package dev.naap.metrics.query;

import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of the load tester's results, {@link TestLoadResults} over the store, for {@code
 * /v1/test-load/results} and {@code /v1/test-load/coverage}: pages of {@code test_load_results}
 * and the coverage of orchestrator × pipeline. Null where there is no measurement. Thread-safe.
 */
public final class TestLoadQueries implements TestLoadResults {
  /** The most rows one results page holds. */
  public static final int MAX_LIMIT = 1_000;

  private final Store store;
  private final String resultsSql = Sql.load(TestLoadQueries.class, "test_load_results.sql");
  private final String coverageSql = Sql.load(TestLoadQueries.class, "test_load_coverage.sql");

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
    List<List<Object>> rows = Results.read(store, resultsSql, params, RESULT_COLUMNS);
    boolean more = rows.size() > limit;
    return new Page(RESULT_COLUMNS, more ? rows.subList(0, limit) : rows, more);
  }

  @Override
  public Page coverage(Instant from, Instant to, Filter filter) {
    return new Page(COVERAGE_COLUMNS, Results.read(store, coverageSql, filtered(from, to, filter),
        COVERAGE_COLUMNS), false);
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
}
