package dev.naap.metrics.query;

import java.time.Duration;
import java.util.Map;

/**
 * The rollup rows a report reads, as a subquery: the buckets of one rollup table in a range, or
 * the hours of a range read as whole days from {@code rollup_day} plus the hours at either end
 * from {@code rollup_hour}. Either way only the latest computation of each bucket.
 */
final class RollupRows {

  private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();

  private final SqlTemplate buckets = SqlTemplate.load("rollup_rows.sql");
  private final SqlTemplate range = SqlTemplate.load("range_rows.sql");
  private final SqlTemplate days = SqlTemplate.load("day_rows.sql");

  /** The rows of {@code rollup} whose {@code bucket} column is in [from, to). */
  String buckets(String rollup, String bucket, String filters) {
    return buckets.fill(Map.of("rollup", rollup, "bucket", bucket, "filters", filters));
  }

  /** The rows, without their bucket, of the hours in [from, to); needs {@link #withDays}. */
  String range(String filters) {
    return range.fill(Map.of("filters", filters));
  }

  /**
   * The rows of the hours in [from, to) with their day as {@code bucket_day}: a day the range cuts
   * holds only its hours inside it; needs {@link #withDays}.
   */
  String days(String filters) {
    return days.fill(Map.of("filters", filters));
  }

  /**
   * Adds to hour-aligned {@code from}/{@code to} the whole days between them ({@code day_from},
   * {@code day_to}); without a whole day, an empty day range at {@code to}.
   */
  static Map<String, Object> withDays(Map<String, Object> params) {
    long from = (Long) params.get("from");
    long to = (Long) params.get("to");
    long dayFrom = Math.ceilDiv(from, DAY_SECONDS) * DAY_SECONDS;
    long dayTo = Math.floorDiv(to, DAY_SECONDS) * DAY_SECONDS;
    params.put("day_from", dayFrom < dayTo ? dayFrom : to);
    params.put("day_to", dayFrom < dayTo ? dayTo : to);
    return params;
  }
}
