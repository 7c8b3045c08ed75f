package dev.naap.api;

import dev.naap.metrics.query.MetricsQueries;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/operations}: the {@link Operations} figures in the usual envelope, with the rollups'
 * {@code data_as_of}. Cached for {@link #TTL}: the heartbeats behind it come every 15 s, and every
 * dashboard tab polling it must not each cost the store a query.
 */
final class OperationsEndpoint implements Endpoint {

  static final String PATH = "/v1/operations";
  static final Duration TTL = Duration.ofSeconds(10);
  /** It takes none; any parameter is a 400, as on every /v1 route. */
  static final List<ParamSpec> PARAMS = List.of();

  private final Operations operations;
  private final MetricsQueries queries;
  private final QueryRunner runner;

  OperationsEndpoint(Operations operations, MetricsQueries queries, QueryRunner runner) {
    this.operations = operations;
    this.queries = queries;
    this.runner = runner;
  }

  @Override
  public Prepared prepare(ApiRequest request) {
    QueryParser.rejectUnknown(request.query(), PARAMS);
    return new Prepared(
        PATH,
        () -> {
          record Answer(Map<String, Object> figures, java.time.Instant dataAsOf) {}
          Answer a = runner.run(() -> new Answer(operations.figures(), queries.dataAsOf()));
          Meta meta = new Meta(null, request.now(), a.dataAsOf(), List.of(), Map.of());
          return new Response(
              200,
              "application/json",
              Bodies.envelope(g -> Values.json(g, a.figures()), meta, null),
              a.dataAsOf(),
              TTL,
              Map.of());
        });
  }
}
