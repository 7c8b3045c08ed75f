package dev.naap.api;

import java.time.Instant;
import java.util.Map;

/**
 * What an endpoint sees of a request.
 *
 * @param path the request path, as sent
 * @param pathParams the values of the route template's {@code {name}} segments, as sent (still
 *     percent-encoded)
 * @param query the parameters of the query string
 * @param accept the {@code Accept} header, null when absent
 * @param now the time the request is answered at
 */
record ApiRequest(
    String path,
    Map<String, String> pathParams,
    QueryString query,
    String accept,
    Instant now) {

  ApiRequest {
    pathParams = Map.copyOf(pathParams);
  }

  /** This request as answered at another time. */
  ApiRequest at(Instant time) {
    return new ApiRequest(path, pathParams, query, accept, time);
  }

  /**
   * The {@code Link} header value pointing at the next page: this request with another cursor,
   * built from the decoded parameters, so that it is the same (and holds one cursor) however the
   * request that filled the cache spelt them ({@code %63ursor=} is a cursor too).
   */
  String nextLink(String cursor) {
    String others = query.encodeWithout(Params.CURSOR);
    return "<" + path + "?" + (others.isEmpty() ? "" : others + "&") + Params.CURSOR + "="
        + cursor + ">; rel=\"next\"";
  }
}
