package dev.naap.api;

import java.util.function.Supplier;

/**
 * What a route does. {@link #prepare} validates the request (throwing an {@link ApiProblem} for a
 * bad one) and says how to compute the response and under which cache key, so that the server can
 * answer from its cache, or with a 304, without computing.
 */
@FunctionalInterface
interface Endpoint {

  Prepared prepare(ApiRequest request);

  /**
   * Whether a request's response for the next minute may be computed before the minute begins
   * ({@link RefreshAhead}): true for routes whose answer depends on the time only through a range
   * that ends at the next whole minute by default.
   */
  default boolean refreshAhead() {
    return false;
  }

  /**
   * A validated request.
   *
   * @param cacheKey the normalised request the response is cached under, null for no caching
   * @param compute computes the response
   */
  record Prepared(String cacheKey, Supplier<Response> compute) {}
}
