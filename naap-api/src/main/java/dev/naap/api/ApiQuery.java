package dev.naap.api;

import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.MetricsQuery;

/**
 * A validated request: the query for the query layer, the format asked for, and the normalised
 * form of its parameters (defaults filled in, values sorted) that cursors are signed with and the
 * response cache is keyed by.
 *
 * @param query what the query layer runs
 * @param format the response format
 * @param normalised the path and the parameters in normal form, without cursor and format, before
 *     time resolution
 */
record ApiQuery(MetricsQuery query, Format format, String normalised) {

  /** The response cache key: the normal form plus what it resolved to. */
  String cacheKey() {
    return normalised + "|" + query.start() + "/" + query.end() + "|" + query.granularity()
        + "|" + query.offset() + "|" + format;
  }

  /** The cursor of the page after this one, which ends after {@code rows} rows. */
  String nextCursor(Signer signer, int rows) {
    return new Cursor(query.offset() + rows, query.start(), query.end()).encode(signer, normalised);
  }

  /** The filter values of {@code d}, sorted; empty when unfiltered. */
  java.util.List<String> filter(Dimension d) {
    return query.filters().getOrDefault(d, java.util.Set.of()).stream().sorted().toList();
  }
}
