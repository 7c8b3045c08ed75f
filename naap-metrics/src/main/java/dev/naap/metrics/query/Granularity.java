package dev.naap.metrics.query;

import java.time.Duration;
import java.util.Optional;

/** The width of the time buckets a query returns. */
public enum Granularity {
  MINUTE("1m", Duration.ofMinutes(1)),
  FIVE_MINUTES("5m", Duration.ofMinutes(5)),
  HOUR("1h", Duration.ofHours(1)),
  DAY("1d", Duration.ofDays(1));

  private final String label;
  private final Duration width;

  Granularity(String label, Duration width) {
    this.label = label;
    this.width = width;
  }

  /** The name used in the API ({@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}). */
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
