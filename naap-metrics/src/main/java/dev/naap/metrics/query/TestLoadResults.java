package dev.naap.metrics.query;

import dev.naap.metrics.query.Column.Type;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The load tester's results as {@code /v1/test-load/results} and {@code /v1/test-load/coverage}
 * publish them, read from the store by {@link TestLoadQueries}; a server without them answers
 * with no rows ({@link #none()}).
 *
 * <p>The columns are the API's contract and are declared here, because the OpenAPI document is
 * generated from them whatever is wired in. An implementation returns pages with exactly these
 * columns, in this order. Implementations must be thread-safe.
 */
public interface TestLoadResults {

  /** The columns of {@link #results}, in row order. */
  List<Column> RESULT_COLUMNS =
      List.of(
          new Column("run_id", Type.STRING, "", "the run the test belongs to"),
          new Column("plan", Type.STRING, "", "the test plan's name"),
          new Column(
              "test_id", Type.STRING, "", "the test: its stream id (live) or request id (batch)"),
          new Column("kind", Type.STRING, "", "live or batch"),
          new Column(
              "orchestrator",
              Type.STRING,
              "",
              "the orchestrator the test was pinned to; empty: the gateway chose"),
          new Column(
              "served_by", Type.STRING, "", "the orchestrator URL the stream's status reported"),
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
          new Column(
              "startup_ms",
              Type.INTEGER,
              "ms",
              "start request to the first status with output (upper bound)"),
          new Column(
              "prompt_change_ms",
              Type.INTEGER,
              "ms",
              "median /update to the first status showing the new params "
                  + "with output (upper bound on prompt to first frame)"),
          new Column(
              "prompt_applied_ms",
              Type.INTEGER,
              "ms",
              "median /update to the runner applying the params (estimate)"),
          new Column("prompt_changes_sent", Type.INTEGER, "", "prompt changes sent"),
          new Column(
              "prompt_changes_seen", Type.INTEGER, "", "prompt changes the status showed in time"),
          new Column(
              "output_fps",
              Type.DECIMAL,
              "fps",
              "mean inference FPS over status samples with output"),
          new Column(
              "fps_jitter", Type.DECIMAL, "", "standard deviation over mean of those FPS samples"),
          new Column("status_samples", Type.INTEGER, "", "distinct status reports seen"),
          new Column("latency_ms", Type.INTEGER, "ms", "batch: request to answer"));

  /** The columns of {@link #coverage}, in row order. */
  List<Column> COVERAGE_COLUMNS =
      List.of(
          new Column(
              "orchestrator",
              Type.STRING,
              "",
              "the orchestrator tests were pinned to; empty: the gateway chose"),
          new Column("pipeline", Type.STRING, "", "pipeline tested"),
          new Column("tests", Type.INTEGER, "", "tests in the range, aborted ones excluded"),
          new Column("successes", Type.INTEGER, "", "tests with outcome success"),
          new Column("success_rate", Type.DECIMAL, "", "successes / tests"),
          new Column("last_tested_at", Type.TIMESTAMP, "", "start of the latest test"),
          new Column("last_outcome", Type.STRING, "", "outcome of the latest test"),
          new Column("last_error_class", Type.STRING, "", "error class of the latest test"),
          new Column(
              "startup_ms_p50",
              Type.DECIMAL,
              "ms",
              "median startup over the tests that measured it"),
          new Column(
              "startup_ms_p95",
              Type.DECIMAL,
              "ms",
              "95th percentile of startup over the tests that measured it"),
          new Column(
              "prompt_change_ms_p50",
              Type.DECIMAL,
              "ms",
              "median prompt change over the tests that measured it"),
          new Column(
              "prompt_change_ms_p95",
              Type.DECIMAL,
              "ms",
              "95th percentile of prompt change over the tests that measured it"),
          new Column("output_fps_avg", Type.DECIMAL, "fps", "mean of the tests' output FPS"),
          new Column("output_fps_p50", Type.DECIMAL, "fps", "median of the tests' output FPS"),
          new Column(
              "output_fps_p05",
              Type.DECIMAL,
              "fps",
              "5th percentile of the tests' output FPS (the slow tail)"));

  /** The outcomes a test can have, the values {@link Filter#outcomes} accepts. */
  List<String> OUTCOMES = List.of("success", "failure", "aborted");

  /**
   * Which tests a page holds: each field lists alternatives; an empty one matches every test.
   *
   * @param orchestrators the orchestrator pins, compared exactly
   * @param pipelines the pipelines, compared exactly
   * @param outcomes values of {@link #OUTCOMES}
   */
  record Filter(Set<String> orchestrators, Set<String> pipelines, Set<String> outcomes) {

    public Filter {
      orchestrators = Set.copyOf(orchestrators);
      pipelines = Set.copyOf(pipelines);
      outcomes = Set.copyOf(outcomes);
    }

    /** Every test. */
    public static Filter none() {
      return new Filter(Set.of(), Set.of(), Set.of());
    }
  }

  /**
   * Tests started in [{@code start}, {@code end}) that match {@code filter}, newest first (ties by
   * test id), {@code limit} (1 to 1000) of them from {@code offset}; {@code hasMore} when more
   * follow.
   */
  Page results(Instant start, Instant end, Filter filter, int limit, int offset);

  /**
   * Per orchestrator × pipeline tested in [{@code start}, {@code end}) and kept by the
   * orchestrators and pipelines of {@code filter} (its outcomes do not apply: the rows count the
   * outcomes): every row, on one page.
   */
  Page coverage(Instant start, Instant end, Filter filter);

  /** No results: the routes answer with empty pages. What a server without the load tester uses. */
  static TestLoadResults none() {
    return new TestLoadResults() {
      @Override
      public Page results(Instant start, Instant end, Filter filter, int limit, int offset) {
        return new Page(RESULT_COLUMNS, List.of(), false);
      }

      @Override
      public Page coverage(Instant start, Instant end, Filter filter) {
        return new Page(COVERAGE_COLUMNS, List.of(), false);
      }
    };
  }
}
