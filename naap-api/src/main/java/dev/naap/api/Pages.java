package dev.naap.api;

import dev.naap.metrics.query.Column;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds the 200 response of a route with rows in the format asked for, with its cache lifetime.
 */
final class Pages {

  private Pages() {}

  /** A metric route's page, kept for as long as its granularity says. */
  static Response response(
      ApiQuery q,
      ApiRequest request,
      Meta meta,
      Bodies.DataWriter data,
      List<Column> csvColumns,
      List<List<Object>> csvRows,
      String nextCursor) {
    return response(
        q.format(),
        ResponseCache.ttl(q.query().granularity()),
        request,
        meta,
        data,
        csvColumns,
        csvRows,
        nextCursor);
  }

  static Response response(
      Format format,
      Duration ttl,
      ApiRequest request,
      Meta meta,
      Bodies.DataWriter data,
      List<Column> csvColumns,
      List<List<Object>> csvRows,
      String nextCursor) {
    byte[] body =
        format == Format.CSV
            ? Bodies.csv(csvColumns, csvRows)
            : Bodies.envelope(data, meta, nextCursor);
    Map<String, String> headers =
        nextCursor == null ? Map.of() : Map.of("Link", request.nextLink(nextCursor));
    return new Response(200, format.contentType(), body, meta.dataAsOf(), ttl, headers);
  }
}
