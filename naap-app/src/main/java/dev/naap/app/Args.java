package dev.naap.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command's arguments: {@code --name value} or {@code --name=value} options (repeatable) and
 * positional arguments. Unknown options and malformed values are collected, not thrown one at a
 * time, so that one run reports every mistake.
 */
final class Args {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  private Args() {}

  /** Parses {@code argv}; {@code flags} are options that take no value. */
  static Args parse(List<String> argv, Set<String> known, Set<String> flags) {
    Args a = new Args();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (!arg.startsWith("--") || arg.equals("--")) {
        a.positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!known.contains(name) && !flags.contains(name)) {
        a.errors.add("unknown option --" + name + " (known: " + new TreeSet<>(union(known, flags)) + ")");
        continue;
      }
      if (flags.contains(name)) {
        value = value == null ? "true" : value;
      } else if (value == null) {
        if (i + 1 >= argv.size()) {
          a.errors.add("--" + name + " needs a value");
          continue;
        }
        value = argv.get(++i);
      }
      a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return a;
  }

  String get(String name, String fallback) {
    List<String> values = options.get(name);
    return values == null ? fallback : values.getLast();
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(get(name, "false"));
  }

  int integer(String name, int fallback, int min, int max) {
    String raw = get(name, null);
    if (raw == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.trim());
      if (v < min || v > max) {
        errors.add("--" + name + ": expected " + min + ".." + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      errors.add("--" + name + ": expected an integer, got '" + raw + "'");
      return fallback;
    }
  }

  double decimal(String name, double fallback, double min, double max) {
    String raw = get(name, null);
    if (raw == null) {
      return fallback;
    }
    try {
      double v = Double.parseDouble(raw.trim());
      if (!(v >= min && v <= max)) {
        errors.add("--" + name + ": expected " + min + ".." + max + ", got " + raw);
      }
      return v;
    } catch (NumberFormatException e) {
      errors.add("--" + name + ": expected a number, got '" + raw + "'");
      return fallback;
    }
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}, {@code 1h30m} or ISO-8601. */
  Duration duration(String name, Duration fallback) {
    String raw = get(name, null);
    if (raw == null) {
      return fallback;
    }
    try {
      return parseDuration(raw);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      errors.add("--" + name + ": " + e.getMessage());
      return fallback;
    }
  }

  static Duration parseDuration(String raw) {
    String s = raw.trim();
    if (s.startsWith("P") || s.startsWith("p")) {
      return Duration.parse(s);
    }
    Matcher m = DURATION.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
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
    if (at == 0 || at != s.length()) {
      throw new IllegalArgumentException("expected a duration like 30s, 5m, 24h, 7d or 1h30m, got '" + raw + "'");
    }
    return total;
  }

  List<String> positional() {
    return positional;
  }

  void error(String message) {
    errors.add(message);
  }

  /** Throws a {@link UsageException} naming every problem found so far. */
  void check() {
    if (!errors.isEmpty()) {
      throw new UsageException(String.join("\n", errors));
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  /** Bad command-line input: printed with the usage, exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
