package dev.naap.api;

import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.Page;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /v1/orchestrators/{address}}: one orchestrator's metadata, GPUs and history. {@code data}
 * is {@code {metadata, gpus, history}}; CSV and paging apply to the history rows.
 */
final class OrchestratorEndpoint implements Endpoint {

  static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private final Services s;

  OrchestratorEndpoint(Services services) {
    this.s = services;
  }

  private record Result(Optional<MetricsQueries.OrchestratorDetail> detail, Instant dataAsOf) {}

  @Override
  public Prepared prepare(ApiRequest request) {
    String raw = request.pathParams().get(Params.ADDRESS.name());
    if (!ADDRESS.matcher(raw).matches()) {
      throw ApiProblem.badParameter(Params.ADDRESS.name(), "expected 0x followed by 40 hex digits");
    }
    String address = raw.toLowerCase(Locale.ROOT);
    ApiQuery q = s.parser().parse("/v1/orchestrators/" + address, request.query(), request.accept(),
        Params.orchestrator(), null, request.now());
    return new Prepared(
        q.cacheKey(),
        () -> {
          Result r =
              s.runner()
                  .run(
                      () -> {
                        var both =
                            Beside.run(
                                () -> s.queries().orchestrator(address, q.query()),
                                s.queries()::dataAsOf);
                        return new Result(both.main(), both.side());
                      });
          MetricsQueries.OrchestratorDetail d =
              r.detail()
                  .orElseThrow(
                      () -> ApiProblem.notFound("no orchestrator " + address + " is known"));
          Page history = d.history();
          String next = history.hasMore() ? q.nextCursor(s.signer(), history.rows().size()) : null;
          Meta meta =
              new Meta(
                  Meta.Scope.of(q.query()),
                  request.now(),
                  r.dataAsOf(),
                  history.columns(),
                  Map.of(
                      "metadata_columns",
                      Columns.describe(d.metadata().columns()),
                      "gpu_columns",
                      Columns.describe(d.gpus().columns())));
          Bodies.DataWriter data =
              g -> {
                g.writeStartObject();
                g.writeFieldName("metadata");
                Bodies.writeRow(
                    g,
                    d.metadata().columns(),
                    d.metadata().rows().isEmpty() ? null : d.metadata().rows().getFirst());
                g.writeFieldName("gpus");
                Bodies.rows(d.gpus().columns(), d.gpus().rows()).write(g);
                g.writeFieldName("history");
                Bodies.rows(history.columns(), history.rows()).write(g);
                g.writeEndObject();
              };
          return Pages.response(q, request, meta, data, history.columns(), history.rows(), next);
        });
  }
}
