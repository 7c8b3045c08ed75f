package dev.naap.api;

import dev.naap.metrics.query.LiveStreams;
import dev.naap.metrics.query.MetricsQueries;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/streams/live}: the sessions in flight now, read from the events (not the rollups),
 * with their totals by pipeline and gateway in {@code meta.totals}; kept {@link #TTL}, so any
 * number of dashboards polling it cost the store one query per {@link #TTL}.
 */
final class LiveEndpoint implements Endpoint {

  static final String PATH = "/v1/streams/live";
  /** How long an answer is served from the cache: well inside the view's 10 s lag budget. */
  static final Duration TTL = Duration.ofSeconds(2);

  private final Services s;

  LiveEndpoint(Services services) {
    this.s = services;
  }

  @Override
  public Prepared prepare(ApiRequest request) {
    ApiQuery q =
        s.parser()
            .parse(
                request.path(),
                request.query(),
                request.accept(),
                Params.live(),
                null,
                request.now());
    return new Prepared(q.cacheKey(), () -> {
      MetricsQueries.Live live = s.runner().run(
          () -> s.queries().live(q.query().filters(), q.query().includeTestLoad(), request.now()));
      int from = (int) Math.min(live.rows().size(), q.query().offset());
      int to = (int) Math.min(live.rows().size(), from + (long) q.query().limit());
      List<List<Object>> page = live.rows().subList(from, to);
      String next = to < live.rows().size() ? q.nextCursor(s.signer(), page.size()) : null;
      Map<String, Object> totals = new LinkedHashMap<>();
      totals.put("sessions", live.rows().size());
      totals.put("truncated", live.truncated());
      totals.put("by_pipeline", live.byPipeline());
      totals.put("by_gateway", live.byGateway());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("as_of", live.at());
      extra.put("idle_seconds", LiveStreams.IDLE.toSeconds());
      extra.put("totals", totals);
      Meta meta = new Meta(null, request.now(), live.at(), LiveStreams.COLUMNS, extra);
      return Pages.response(q.format(), TTL, request, meta, Bodies.rows(LiveStreams.COLUMNS, page),
          LiveStreams.COLUMNS, page, next);
    });
  }
}
