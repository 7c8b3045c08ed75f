package dev.naap.metrics.query;

import static dev.naap.metrics.query.Column.Type.DECIMAL;
import static dev.naap.metrics.query.Column.Type.INTEGER;
import static dev.naap.metrics.query.Column.Type.STRING;
import static dev.naap.metrics.query.Column.Type.TIMESTAMP;

import dev.naap.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sessions in flight now, straight from the family tables (docs/METRICS.md, "Live"): no
 * rollup refresh in between, so they trail the ingest only by its batching.
 */
public final class LiveStreams {

  /** A session with no event for this long is no longer counted in flight. */
  public static final Duration IDLE = Duration.ofSeconds(45);
  /** How far back a live session's request, swaps and first frame are looked for. */
  public static final Duration HORIZON = Duration.ofHours(24);
  /** The most live sessions one answer lists. */
  public static final int MAX_ROWS = 10_000;

  /** The columns of a live session row. */
  public static final List<Column> COLUMNS =
      List.of(
          new Column(
              "stream_id",
              STRING,
              "",
              "the stream id pseudonymised: the first 16 hex digits of its SHA-256 "
                  + "(a live stream's id can be the key that plays it)"),
          new Column("request_id", STRING, "", "the request id, pseudonymised the same way"),
          Catalogue.column(Dimension.PIPELINE),
          Catalogue.column(Dimension.GATEWAY),
          new Column(
              "orchestrator_address",
              STRING,
              "",
              "orchestrator signer serving the session now; empty before one"),
          new Column("orchestrator_url", STRING, "", "its node (service URI)"),
          new Column("gpu_id", STRING, "", "GPU the latest status reported; empty when none"),
          new Column(
              "state",
              STRING,
              "",
              "the latest status's state (ONLINE, DEGRADED_INFERENCE, …), else "
                  + "PROCESSING after a first processed segment, else STARTING"),
          new Column(
              "output_fps",
              DECIMAL,
              "frames/s",
              "output FPS of the latest status; null before one"),
          new Column(
              "requested_at",
              TIMESTAMP,
              "",
              "time of the request; null when its trace was not seen"),
          new Column("seconds_since_request", DECIMAL, "s", "now - requested_at"),
          new Column(
              "startup_ms", INTEGER, "ms", "request to first processed segment; null before it"),
          new Column("swaps", INTEGER, "", "orchestrator swaps so far"),
          new Column("last_event_at", TIMESTAMP, "", "time of its latest trace or status"),
          new Column(
              "is_test_load", Column.Type.BOOLEAN, "", "flagged as test load by its events"));

  private static final List<Dimension> FILTERABLE =
      List.of(Dimension.ORCHESTRATOR, Dimension.PIPELINE, Dimension.GATEWAY);

  private final Store store;
  private final SqlTemplate template = SqlTemplate.load("live_streams.sql");

  LiveStreams(Store store) {
    this.store = store;
  }

  MetricsQueries.Live at(Map<Dimension, Set<String>> filters, boolean includeTestLoad, Instant at) {
    StringBuilder where = new StringBuilder();
    Map<String, Object> params = new HashMap<>();
    for (Dimension d : FILTERABLE) {
      Set<String> values = filters.get(d);
      if (values != null) {
        where
            .append(" AND ")
            .append(d.column())
            .append(" IN {f_")
            .append(d.parameter())
            .append(":Array(String)}");
        params.put("f_" + d.parameter(), List.copyOf(values));
      }
    }
    for (Dimension d : filters.keySet()) {
      if (!FILTERABLE.contains(d)) {
        throw new IllegalArgumentException("live sessions cannot be filtered by " + d.parameter());
      }
    }
    params.put("now_ms", at.toEpochMilli());
    params.put("idle_s", IDLE.toSeconds());
    params.put("horizon_s", HORIZON.toSeconds());
    params.put("include_test_load", includeTestLoad);
    params.put("max_rows", MAX_ROWS + 1L);
    List<List<Object>> rows = Results.read(store,
        template.fill(Map.of("filters", where.toString())), params, COLUMNS);
    boolean truncated = rows.size() > MAX_ROWS;
    List<List<Object>> kept = truncated ? rows.subList(0, MAX_ROWS) : rows;
    Map<String, Long> byPipeline = new TreeMap<>();
    Map<String, Long> byGateway = new TreeMap<>();
    for (List<Object> row : kept) {
      byPipeline.merge((String) row.get(2), 1L, Long::sum);
      byGateway.merge((String) row.get(3), 1L, Long::sum);
    }
    return new MetricsQueries.Live(at, kept, truncated, byPipeline, byGateway);
  }
}
