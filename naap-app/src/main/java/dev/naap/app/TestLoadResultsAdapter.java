package dev.naap.app;

import dev.naap.api.TestLoadResults;
import dev.naap.loadtest.TestLoadQueries;
import dev.naap.metrics.query.Column;
import dev.naap.metrics.query.Page;
import java.time.Instant;
import java.util.List;

/**
 * The load tester's store queries ({@link TestLoadQueries}) as the API's {@link TestLoadResults}.
 * The API declares the columns it publishes; a load tester whose columns differ is refused here, at
 * startup, rather than served under a contract that no longer describes it. Thread-safe.
 */
final class TestLoadResultsAdapter implements TestLoadResults {

  private final TestLoadQueries queries;

  TestLoadResultsAdapter(TestLoadQueries queries) {
    requireSame("results", TestLoadQueries.RESULT_COLUMNS, RESULT_COLUMNS);
    requireSame("coverage", TestLoadQueries.COVERAGE_COLUMNS, COVERAGE_COLUMNS);
    this.queries = queries;
  }

  @Override
  public Page results(Instant start, Instant end, Filter filter, int limit, int offset) {
    return queries.results(start, end,
        new TestLoadQueries.ResultFilter(filter.orchestrator(), filter.pipeline(), filter.outcome()), limit, offset);
  }

  @Override
  public Page coverage(Instant start, Instant end) {
    return queries.coverage(start, end);
  }

  private static void requireSame(String what, List<Column> loadtest, List<Column> api) {
    if (!loadtest.equals(api)) {
      throw new IllegalStateException("the load tester's " + what + " columns " + loadtest
          + " differ from those naap-api publishes " + api + "; update TestLoadResults and docs/openapi.json");
    }
  }
}
