package dev.naap.api;

import java.time.Instant;
import java.util.Map;

/**
 * What an endpoint sees of a request.
 *
 * @param path the request path, as sent
 * @param pathParams the values of the route template's {@code {name}} segments, as sent (still
 *     percent-encoded)
 * @param rawQuery the query string as sent, null when there is none
 * @param query its parameters
 * @param accept the {@code Accept} header, null when absent
 * @param now the time the request is answered at
 */
record ApiRequest(
    String path,
    Map<String, String> pathParams,
    String rawQuery,
    QueryString query,
    String accept,
    Instant now) {

  ApiRequest {
    pathParams = Map.copyOf(pathParams);
  }

  /** This request as answered at another time. */
  ApiRequest at(Instant time) {
    return new ApiRequest(path, pathParams, rawQuery, query, accept, time);
  }

  /** The {@code Link} header value pointing at the next page: this request with another cursor. */
  String nextLink(String cursor) {
    StringBuilder b = new StringBuilder(path).append('?');
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        if (!pair.isEmpty()
            && !pair.equals(Params.CURSOR)
            && !pair.startsWith(Params.CURSOR + "=")) {
          b.append(pair).append('&');
        }
      }
    }
    return "<" + b.append(Params.CURSOR).append('=').append(cursor) + ">; rel=\"next\"";
  }
}
