package dev.naap.api;

import dev.naap.metrics.query.Granularity;
import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.Report;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /v1/orchestrators/{address}/scores}: the hourly score history of one orchestrator, per
 * hour × pipeline, and GPU model with {@code group_by=gpu_model} (docs/METRICS.md, "Orchestrator
 * score"). An address with no segment in the range has no rows: no data, not an error.
 */
final class ScoreHistoryEndpoint implements Endpoint {

  private final Services s;

  ScoreHistoryEndpoint(Services services) {
    this.s = services;
  }

  private record Result(Page page, Instant dataAsOf) {}

  @Override
  public Prepared prepare(ApiRequest request) {
    String raw = request.pathParams().get(Params.ADDRESS.name());
    if (!OrchestratorEndpoint.ADDRESS.matcher(raw).matches()) {
      throw ApiProblem.badParameter(Params.ADDRESS.name(), "expected 0x followed by 40 hex digits");
    }
    String address = raw.toLowerCase(Locale.ROOT);
    ApiQuery q =
        s.parser()
            .parse(
                "/v1/orchestrators/" + address + "/scores",
                request.query(),
                request.accept(),
                Params.scoreHistory(),
                Report.ORCHESTRATOR_SCORES,
                request.now());
    // The query layer refuses hours over a longer range; say so here, before taking a store slot.
    new TimeRange(q.query().start(), q.query().end())
        .atMost(request.query(), Granularity.HOUR.maxRange());
    return new Prepared(
        q.cacheKey(),
        () -> {
          Result r =
              s.runner()
                  .run(
                      () ->
                          new Result(
                              s.queries().scoreHistory(address, q.query()),
                              s.queries().dataAsOf()));
          String next =
              r.page().hasMore() ? q.nextCursor(s.signer(), r.page().rows().size()) : null;
          Meta meta =
              new Meta(
                  Meta.Scope.of(q.query()).withGranularity(Granularity.HOUR.label()),
                  request.now(),
                  r.dataAsOf(),
                  r.page().columns(),
                  Map.of());
          return Pages.response(
              q,
              request,
              meta,
              Bodies.rows(r.page().columns(), r.page().rows()),
              r.page().columns(),
              r.page().rows(),
              next);
        });
  }
}
