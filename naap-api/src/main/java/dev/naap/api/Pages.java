package dev.naap.api;

import dev.naap.metrics.query.Column;
import java.util.List;
import java.util.Map;

/** Builds the 200 response of a metric route in the format asked for, with its cache lifetime. */
final class Pages {

  private Pages() {}

  static Response response(ApiQuery q, ApiRequest request, Meta meta, Bodies.DataWriter data, List<Column> csvColumns,
      List<List<Object>> csvRows, String nextCursor) {
    byte[] body = q.format() == Format.CSV ? Bodies.csv(csvColumns, csvRows) : Bodies.envelope(data, meta, nextCursor);
    Map<String, String> headers = nextCursor == null ? Map.of() : Map.of("Link", request.nextLink(nextCursor));
    return new Response(200, q.format().contentType(), body, meta.dataAsOf(),
        ResponseCache.ttl(q.query().granularity()), headers);
  }
}
