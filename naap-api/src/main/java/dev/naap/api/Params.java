package dev.naap.api;

import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.TestLoadResults;
import java.util.ArrayList;
import java.util.List;

/** The parameters of the API, and which routes take which. */
final class Params {

  static final String START = "start";
  static final String END = "end";
  static final String WINDOW = "window";
  static final String GRANULARITY = "granularity";
  static final String GROUP_BY = "group_by";
  static final String SORT = "sort";
  static final String LIMIT = "limit";
  static final String CURSOR = "cursor";
  static final String INCLUDE_TEST_LOAD = "include_test_load";
  static final String FORMAT = "format";
  static final String ORCHESTRATOR = "orchestrator";
  static final String PIPELINE = "pipeline";
  static final String OUTCOME = "outcome";

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private static final List<ParamSpec> TIME = List.of(
      ParamSpec.query(START, "string", null,
          "Start of the range, RFC 3339 (2026-01-08T00:00:00Z), inclusive. Not with `window`."),
      ParamSpec.query(END, "string", null,
          "End of the range, RFC 3339, exclusive. Default: now (rounded up to the minute)."),
      ParamSpec.choice(WINDOW, TimeRange.WINDOWS, "24h",
          "Length of the range ending at `end`, when `start` is not given."));

  private static final ParamSpec GRANULARITY_PARAM = ParamSpec.choice(GRANULARITY,
      List.of("1m", "5m", "1h", "1d", "all", "auto"), "auto",
      "Width of the time buckets; `all` is the whole range as one bucket (one row per group, its "
          + "quantiles over every sample of the range); `auto` picks the finest width that gives "
          + "at most " + GranularityPolicy.AUTO_MAX_BUCKETS + " buckets. Each width has a maximum "
          + "range.");

  private static final ParamSpec TEST_LOAD = ParamSpec.query(INCLUDE_TEST_LOAD, "boolean", "false",
      "Include the synthetic streams of the load tester.");

  private static final ParamSpec FORMAT_PARAM =
      ParamSpec.choice(
          FORMAT,
          List.of("json", "csv"),
          "json",
          "Response format; `Accept: text/csv` also selects CSV.");

  private static final List<ParamSpec> PAGING =
      List.of(
          limit("Rows per page, 1 to " + MAX_LIMIT + "."),
          ParamSpec.query(
              CURSOR,
              "string",
              null,
              "Opaque cursor from `pagination.next_cursor`; valid only with the same other"
                  + " parameters."));

  private static final List<ParamSpec> SHAPING =
      List.of(
          ParamSpec.repeatable(
              GROUP_BY,
              "Dimensions to group by besides the time bucket, comma-separated or repeated"
                  + " (orchestrator, gpu_id, gpu_model, pipeline, region, gateway, app) as the"
                  + " route offers; default: the route's grouping."),
          ParamSpec.query(
              SORT,
              "string",
              null,
              "Column to order by; prefix with `-` for descending. Default: the route's order."));

  private static final ParamSpec TEST_LOAD_ORCHESTRATOR = ParamSpec.repeatable(ORCHESTRATOR,
      "Keep only tests pinned to one of these orchestrators, as recorded (their service URIs), "
          + "compared exactly (repeatable).");
  private static final ParamSpec TEST_LOAD_PIPELINE = ParamSpec.repeatable(PIPELINE,
      "Keep only tests of one of these pipelines, compared exactly (repeatable).");
  private static final ParamSpec TEST_LOAD_OUTCOME = ParamSpec.repeatable(OUTCOME,
      TestLoadResults.OUTCOMES, "Keep only tests with one of these outcomes (repeatable).");

  private static final ParamSpec SCORE_GROUP_BY = ParamSpec.repeatable(GROUP_BY,
      "`gpu_model`: a row per GPU model as well, each scored against the"
          + " pipeline's whole network; default: per pipeline (orchestrator, pipeline).");

  static final ParamSpec ADDRESS =
      ParamSpec.path("address", "Orchestrator address, 0x followed by 40 hex digits.");
  static final ParamSpec DATASET_ID =
      ParamSpec.path("id", "Dataset id, as listed by /v1/datasets.");

  private Params() {}

  /** {@code limit}: rows per answer, 1 to {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} if absent. */
  static ParamSpec limit(String description) {
    return ParamSpec.integer(LIMIT, DEFAULT_LIMIT, 1, MAX_LIMIT, description);
  }

  /** The dimensions of the session metrics: all but the fee-only {@code app}. */
  static final List<Dimension> SESSION_DIMENSIONS = java.util.Arrays.stream(Dimension.values())
      .filter(d -> d != Dimension.APP).toList();

  static List<ParamSpec> filters() {
    return filters(SESSION_DIMENSIONS);
  }

  static List<ParamSpec> filters(List<Dimension> dimensions) {
    List<ParamSpec> filters = new ArrayList<>();
    for (Dimension d : dimensions) {
      filters.add(ParamSpec.repeatable(d.parameter(),
          "Keep only rows whose " + d.column() + " is one of the given values (repeatable)."));
    }
    return filters;
  }

  /** The parameters of a report route: time, filters, grouping, sorting, paging, format. */
  static List<ParamSpec> report() {
    return concat(
        TIME,
        List.of(GRANULARITY_PARAM),
        filters(),
        SHAPING,
        PAGING,
        List.of(TEST_LOAD, FORMAT_PARAM));
  }

  /** A report route that filters by {@code dimensions} only. */
  static List<ParamSpec> report(List<Dimension> dimensions) {
    return concat(TIME, List.of(GRANULARITY_PARAM), filters(dimensions), SHAPING, PAGING,
        List.of(TEST_LOAD, FORMAT_PARAM));
  }

  /** The live sessions: now, so no time range; filters and paging. */
  static List<ParamSpec> live() {
    return concat(
        filters(List.of(Dimension.ORCHESTRATOR, Dimension.PIPELINE, Dimension.GATEWAY)),
        PAGING,
        List.of(TEST_LOAD, FORMAT_PARAM));
  }

  /** One orchestrator: its history is paged like a report, but neither regrouped nor filtered. */
  static List<ParamSpec> orchestrator() {
    return concat(List.of(ADDRESS), TIME, List.of(GRANULARITY_PARAM), PAGING,
        List.of(TEST_LOAD, FORMAT_PARAM));
  }

  /** One orchestrator's hourly scores: hours, so no granularity; per GPU model if asked. */
  static List<ParamSpec> scoreHistory() {
    return concat(List.of(ADDRESS), TIME, List.of(SCORE_GROUP_BY), PAGING,
        List.of(TEST_LOAD, FORMAT_PARAM));
  }

  static List<ParamSpec> overview() {
    return concat(TIME, filters(), List.of(TEST_LOAD, FORMAT_PARAM));
  }

  static List<ParamSpec> datasets() {
    return List.of(FORMAT_PARAM);
  }

  static List<ParamSpec> dataset() {
    return List.of(DATASET_ID);
  }

  /** Test results: time, filters, paging, format. */
  static List<ParamSpec> testLoadResults() {
    return concat(TIME, List.of(TEST_LOAD_ORCHESTRATOR, TEST_LOAD_PIPELINE, TEST_LOAD_OUTCOME),
        PAGING, List.of(FORMAT_PARAM));
  }

  /** Test coverage: every orchestrator × pipeline over the range the filters keep, on one page. */
  static List<ParamSpec> testLoadCoverage() {
    return concat(TIME, List.of(TEST_LOAD_ORCHESTRATOR, TEST_LOAD_PIPELINE), List.of(FORMAT_PARAM));
  }

  @SafeVarargs
  private static List<ParamSpec> concat(List<ParamSpec>... parts) {
    List<ParamSpec> all = new ArrayList<>();
    for (List<ParamSpec> p : parts) {
      all.addAll(p);
    }
    return List.copyOf(all);
  }
}
