package dev.naap.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The range [start, end) a request asks for. {@code end} defaults to now rounded up to the minute
 * (so that requests within one minute share cache entries); {@code start} defaults to {@code end}
 * minus {@code window} (default 24 h). {@code start} and {@code window} together are a conflict.
 * Times given are taken to the millisecond: finer digits are dropped.
 */
record TimeRange(Instant start, Instant end) {

  static final List<String> WINDOWS = List.of("1h", "24h", "7d", "30d");
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  Duration length() {
    return Duration.between(start, end);
  }

  static TimeRange resolve(QueryString q, Instant now, Duration maxRange) {
    String startText = q.single(Params.START);
    String endText = q.single(Params.END);
    String windowText = q.single(Params.WINDOW);
    if (startText != null && windowText != null) {
      throw ApiProblem.badParameter(Params.WINDOW, "give either start or window, not both");
    }
    Instant end = endText == null ? ceilToMinute(now) : instant(Params.END, endText);
    Instant start = startText != null ? instant(Params.START, startText)
        : end.minus(window(windowText == null ? "24h" : windowText));
    if (!start.isBefore(end)) {
      throw ApiProblem.badParameter(Params.END, "end must be after start");
    }
    return new TimeRange(start, end).atMost(q, maxRange);
  }

  /** This range; a 400 naming {@code start} (else {@code window}) when longer than {@code max}. */
  TimeRange atMost(QueryString q, Duration max) {
    if (length().compareTo(max) > 0) {
      throw ApiProblem.badParameter(q.has(Params.START) ? Params.START : Params.WINDOW,
          "the range is longer than the maximum of " + max.toDays() + " days");
    }
    return this;
  }

  private static Instant ceilToMinute(Instant now) {
    Instant floor = now.truncatedTo(ChronoUnit.MINUTES);
    return floor.equals(now) ? now : floor.plus(Duration.ofMinutes(1));
  }

  private static Instant instant(String parameter, String text) {
    try {
      // Cursors keep a range to the millisecond; a finer start would move between pages.
      Instant t = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
      if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
        throw ApiProblem.badParameter(parameter, "must lie between 2000 and 2100");
      }
      return t;
    } catch (DateTimeParseException e) {
      throw ApiProblem.badParameter(
          parameter, "expected an RFC 3339 time such as 2026-01-08T00:00:00Z");
    }
  }

  private static Duration window(String text) {
    return switch (text) {
      case "1h" -> Duration.ofHours(1);
      case "24h" -> Duration.ofHours(24);
      case "7d" -> Duration.ofDays(7);
      case "30d" -> Duration.ofDays(30);
      default -> throw ApiProblem.badParameter(Params.WINDOW, "expected one of " + WINDOWS);
    };
  }
}
