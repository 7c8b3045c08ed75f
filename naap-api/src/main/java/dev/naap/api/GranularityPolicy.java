package dev.naap.api;

import dev.naap.metrics.query.Granularity;

/**
 * Which bucket width a request gets: the one asked for, if the range is within that width's
 * {@link Granularity#maxRange()} (the query layer keeps minute buckets only so long), or for
 * {@code auto} the finest width that gives at most {@link #AUTO_MAX_BUCKETS} buckets ({@code all},
 * the whole range as one bucket, only when asked for).
 */
final class GranularityPolicy {

  static final int AUTO_MAX_BUCKETS = 800;

  private GranularityPolicy() {}

  static Granularity choose(String text, TimeRange range) {
    if (text == null || text.equals("auto")) {
      for (Granularity g : Granularity.values()) {
        if (g != Granularity.ALL && range.length().dividedBy(g.width()) <= AUTO_MAX_BUCKETS
            && range.length().compareTo(g.maxRange()) <= 0) {
          return g;
        }
      }
      return Granularity.DAY;
    }
    Granularity g =
        Granularity.parse(text)
            .orElseThrow(
                () ->
                    ApiProblem.badParameter(
                        Params.GRANULARITY, "expected one of 1m, 5m, 1h, 1d, all, auto"));
    if (range.length().compareTo(g.maxRange()) > 0) {
      throw ApiProblem.badParameter(
          Params.GRANULARITY,
          "granularity "
              + g.label()
              + " allows a range of at most "
              + g.maxRange().toDays()
              + " day(s); choose a coarser one or a shorter range");
    }
    return g;
  }
}
