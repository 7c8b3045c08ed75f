package dev.naap.metrics.query;

import java.time.Duration;
import java.util.Optional;

/**
 * The width of the time buckets a query returns; {@link #ALL} is the whole range as one bucket
 * (its width is its longest range).
 */
public enum Granularity {
  MINUTE("1m", Duration.ofMinutes(1), Duration.ofDays(1)),
  FIVE_MINUTES("5m", Duration.ofMinutes(5), Duration.ofDays(7)),
  HOUR("1h", Duration.ofHours(1), Duration.ofDays(92)),
  DAY("1d", Duration.ofDays(1), Duration.ofDays(366)),
  ALL("all", Duration.ofDays(366), Duration.ofDays(366));

  private final String label;
  private final Duration width;
  private final Duration maxRange;

  Granularity(String label, Duration width, Duration maxRange) {
    this.label = label;
    this.width = width;
    this.maxRange = maxRange;
  }

  /**
   * The longest range ({@code end - start}) a query may ask for at this granularity; longer ones
   * are refused. Minute buckets are kept 8 days (docs/METRICS.md, "Minute rollups").
   */
  public Duration maxRange() {
    return maxRange;
  }

  /** The name used in the API ({@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}, {@code all}). */
  public String label() {
    return label;
  }

  public Duration width() {
    return width;
  }

  public static Optional<Granularity> parse(String label) {
    for (Granularity g : values()) {
      if (g.label.equals(label)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }
}
