package dev.naap.api;

import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.Report;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route that serves one report's rows: GPU metrics, network demand, SLA compliance,
 * orchestrators.
 */
final class ReportEndpoint implements Endpoint {

  private final Report report;
  private final Services s;

  ReportEndpoint(Report report, Services services) {
    this.report = report;
    this.s = services;
  }

  private record Result(Page page, Instant dataAsOf, List<MetricsQueries.SlaTargets> targets) {}

  @Override
  public boolean refreshAhead() {
    return true;
  }

  @Override
  public Prepared prepare(ApiRequest request) {
    ApiQuery q =
        s.parser()
            .parse(
                request.path(),
                request.query(),
                request.accept(),
                Params.report(),
                report,
                request.now());
    return new Prepared(
        q.cacheKey(),
        () -> {
          Result r =
              s.runner()
                  .run(
                      () -> {
                        var both =
                            Beside.run(
                                () -> s.queries().run(report, q.query()),
                                () ->
                                    new Result(
                                        null,
                                        s.queries().dataAsOf(),
                                        report == Report.SLA_COMPLIANCE
                                            ? s.queries().slaTargets()
                                            : List.of()));
                        return new Result(
                            both.main(), both.side().dataAsOf(), both.side().targets());
                      });
          String next =
              r.page().hasMore() ? q.nextCursor(s.signer(), r.page().rows().size()) : null;
          Map<String, Object> extra =
              report == Report.SLA_COMPLIANCE
                  ? Map.of("sla_targets", targets(r.targets()))
                  : Map.of();
          Meta meta =
              new Meta(
                  Meta.Scope.of(q.query()), request.now(), r.dataAsOf(), r.page().columns(), extra);
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

  static List<Map<String, Object>> targets(List<MetricsQueries.SlaTargets> targets) {
    return targets.stream().map(t -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pipeline", t.pipeline());
      m.put("ptff_ms", t.ptffMs());
      m.put("orchestrator_startup_ms", t.startupMs());
      m.put("fps", t.fps());
      m.put("jitter_coefficient", t.jitter());
      m.put("objective", t.objective());
      return m;
    }).toList();
  }
}
