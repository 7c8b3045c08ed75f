package dev.naap.api;

import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.TestLoadResults;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/test-load/results} and {@code /v1/test-load/coverage}: the load tester's results from
 * a {@link TestLoadResults}, in the envelope or as CSV. The rows come straight from the tester's
 * table, not from the rollups, so {@code meta.data_as_of} is null.
 */
final class TestLoadEndpoints {

  static final String RESULTS = "/v1/test-load/results";
  static final String COVERAGE = "/v1/test-load/coverage";

  /** Short: a running plan adds a result whenever one of its tests ends. */
  static final Duration TTL = Duration.ofSeconds(10);

  private static final List<String> COVERAGE_GROUPING =
      List.of(Params.ORCHESTRATOR, Params.PIPELINE);

  private final TestLoadResults source;
  private final Signer signer;
  private final QueryRunner runner;
  private final Duration maxRange;

  TestLoadEndpoints(TestLoadResults source, Signer signer, QueryRunner runner, Duration maxRange) {
    this.source = source;
    this.signer = signer;
    this.runner = runner;
    this.maxRange = maxRange;
  }

  Endpoint results() {
    return request -> {
      TestLoadQuery q =
          TestLoadQuery.parse(
              RESULTS,
              request.query(),
              request.accept(),
              Params.testLoadResults(),
              signer,
              maxRange,
              request.now());
      return new Endpoint.Prepared(
          q.cacheKey(),
          () -> {
            Page page =
                runner.run(
                    () ->
                        source.results(
                            q.range().start(), q.range().end(), q.filter(), q.limit(), q.offset()));
            String next = page.hasMore() ? q.nextCursor(signer, page.rows().size()) : null;
            return respond(q, request, page, null, next);
          });
    };
  }

  Endpoint coverage() {
    return request -> {
      TestLoadQuery q =
          TestLoadQuery.parse(
              COVERAGE,
              request.query(),
              request.accept(),
              Params.testLoadCoverage(),
              signer,
              maxRange,
              request.now());
      return new Endpoint.Prepared(
          q.cacheKey(),
          () -> {
            Page page =
                runner.run(() -> source.coverage(q.range().start(), q.range().end(), q.filter()));
            return respond(q, request, page, COVERAGE_GROUPING, null);
          });
    };
  }

  private static Response respond(
      TestLoadQuery q, ApiRequest request, Page page, List<String> groupBy, String next) {
    Meta meta = new Meta(q.scope(groupBy), request.now(), null, page.columns(), Map.of());
    return Pages.response(
        q.format(),
        TTL,
        request,
        meta,
        Bodies.rows(page.columns(), page.rows()),
        page.columns(),
        page.rows(),
        next);
  }
}
