package dev.naap.api;

import dev.naap.metrics.query.Column;
import dev.naap.metrics.query.MetricsQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/network/overview}: the headline numbers over the range, each with the same number over
 * the period of equal length just before it.
 */
final class OverviewEndpoint implements Endpoint {

  /** The columns of a headline row. */
  static final List<Column> COLUMNS =
      List.of(
          new Column("name", Column.Type.STRING, "", "Which headline number"),
          new Column(
              "value",
              Column.Type.DECIMAL,
              "",
              "Its value over the range; null when there is no data"),
          new Column(
              "previous",
              Column.Type.DECIMAL,
              "",
              "Its value over the previous period; null when there is no data"),
          new Column(
              "count", Column.Type.INTEGER, "", "How many samples or segments the value rests on"),
          new Column(
              "previous_count", Column.Type.INTEGER, "", "How many the previous value rests on"),
          new Column("unit", Column.Type.STRING, "", "Unit of value and previous"));

  private final Services s;

  OverviewEndpoint(Services services) {
    this.s = services;
  }

  private record Result(List<MetricsQueries.Headline> headlines, Instant dataAsOf) {}

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
                Params.overview(),
                null,
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
                                () -> s.queries().overview(q.query()), s.queries()::dataAsOf);
                        return new Result(both.main(), both.side());
                      });
          List<List<Object>> rows = new ArrayList<>();
          for (MetricsQueries.Headline h : r.headlines()) {
            rows.add(
                Arrays.asList(
                    h.name(), h.value(), h.previous(), h.count(), h.previousCount(), h.unit()));
          }
          Duration length = Duration.between(q.query().start(), q.query().end());
          Meta meta =
              new Meta(
                  Meta.Scope.of(q.query()).withGranularity(null), // headlines, no buckets
                  request.now(),
                  r.dataAsOf(),
                  COLUMNS,
                  Map.of(
                      "previous_start",
                      q.query().start().minus(length),
                      "previous_end",
                      q.query().start()));
          return Pages.response(q, request, meta, Bodies.rows(COLUMNS, rows), COLUMNS, rows, null);
        });
  }
}
