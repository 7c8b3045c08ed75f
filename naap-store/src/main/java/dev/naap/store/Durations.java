package dev.naap.store;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way NaaP reads a duration that a person wrote (command-line options, test plans): a
 * number with a unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}, or several
 * ({@code 1h30m}), or ISO-8601 ({@code PT10M}).
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code raw}; throws {@link IllegalArgumentException} naming the expected forms. */
  public static Duration parse(String raw) {
    String s = raw.strip();
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw invalid(raw);
      }
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    try {
      while (m.find() && m.start() == at) {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
        at = m.end();
      }
    } catch (ArithmeticException e) {
      throw invalid(raw);
    }
    if (at == 0 || at != s.length()) {
      throw invalid(raw);
    }
    return total;
  }

  private static IllegalArgumentException invalid(String raw) {
    return new IllegalArgumentException(
        "expected a duration like 500ms, 30s, 5m, 24h, 7d, 1h30m or PT10M, got '" + raw + "'");
  }
}
