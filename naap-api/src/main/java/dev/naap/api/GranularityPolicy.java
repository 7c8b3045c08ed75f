package dev.naap.api;

import dev.naap.metrics.query.Granularity;
import java.time.Duration;

/**
 * Which bucket widths a range may use. The query layer exposes no per-granularity cap, so the API
 * keeps its own: fine buckets over a long range would return more rows than anyone can page
 * through and cost the store a scan for nothing.
 */
final class GranularityPolicy {

  /** {@code auto} picks the finest width giving at most this many buckets. */
  static final int AUTO_MAX_BUCKETS = 800;

  private GranularityPolicy() {}

  /** The longest range {@code g} may be asked for. */
  static Duration maxRange(Granularity g) {
    return switch (g) {
      case MINUTE -> Duration.ofDays(1);
      case FIVE_MINUTES -> Duration.ofDays(7);
      case HOUR, DAY -> Duration.ofDays(366);
    };
  }

  static Granularity choose(String text, TimeRange range) {
    if (text == null || text.equals("auto")) {
      for (Granularity g : Granularity.values()) {
        if (range.length().dividedBy(g.width()) <= AUTO_MAX_BUCKETS) {
          return g;
        }
      }
      return Granularity.DAY;
    }
    Granularity g = Granularity.parse(text).orElseThrow(() -> ApiProblem.badParameter(Params.GRANULARITY,
        "expected one of 1m, 5m, 1h, 1d, auto"));
    if (range.length().compareTo(maxRange(g)) > 0) {
      throw ApiProblem.badParameter(Params.GRANULARITY, "granularity " + g.label() + " allows a range of at most "
          + maxRange(g).toDays() + " day(s); choose a coarser one or a shorter range");
    }
    return g;
  }
}
