package dev.naap.metrics;

import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Operator rules that mark sessions as test load besides {@code is_test_load} and the load
 * tester's registry (docs/METRICS.md, "Test load"): globs over the stream id and over the gateway
 * name, where {@code *} matches any run of characters and {@code ?} one character, matched in full
 * and case-sensitively.
 *
 * <p>{@link #save} replaces the rule set in the store ({@code test_load_rules}); sessions take the
 * rules in force when the refresh computes them. Immutable and thread-safe.
 *
 * @param streamIds globs over {@code stream_id}
 * @param gateways globs over the session's gateway name
 */
public record TestLoadRules(List<String> streamIds, List<String> gateways) {

  /**
   * The network's known scheduled tester, whose streams never set is_test_load: an example an
   * operator opts into (docs/METRICS.md), not a default, so imported traffic counts as it came.
   */
  public static final TestLoadRules KNOWN_TESTER = new TestLoadRules(
      List.of("aiJobTesterStream-*"), List.of("cloud-spe-ai-live-video-tester-*"));
  /** No rule, the default: only is_test_load and the registry mark test load. */
  public static final TestLoadRules NONE = new TestLoadRules(List.of(), List.of());

  /** Longest glob accepted, to bound what a configuration can make the store match. */
  static final int MAX_GLOB_LENGTH = 200;
  /** Most globs of each kind. */
  static final int MAX_GLOBS = 100;

  public TestLoadRules {
    streamIds = checked("stream id", streamIds);
    gateways = checked("gateway", gateways);
  }

  /** Writes this rule set as the one in force, replacing any earlier one. */
  public void save(Store store, Clock clock) {
    Instant now = clock.instant();
    long versionUs = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    List<String> kinds = new ArrayList<>();
    List<String> globs = new ArrayList<>();
    List<String> likes = new ArrayList<>();
    // An empty rule marks the set, so that an empty set replaces a non-empty one.
    kinds.add("");
    globs.add("");
    likes.add("");
    for (String g : streamIds) {
      kinds.add("stream_id");
      globs.add(g);
      likes.add(like(g));
    }
    for (String g : gateways) {
      kinds.add("gateway");
      globs.add(g);
      likes.add(like(g));
    }
    store.query(Sql.load(TestLoadRules.class, "test_load_rules_save.sql"), Map.of(
        "version_us", versionUs, "kinds", kinds, "globs", globs, "like_patterns", likes),
        "TabSeparated");
  }

  /** The glob as a LIKE pattern: {@code *} → {@code %}, {@code ?} → {@code _}, the rest as is. */
  static String like(String glob) {
    StringBuilder b = new StringBuilder(glob.length() + 8);
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> b.append('%');
        case '?' -> b.append('_');
        case '%', '_', '\\' -> b.append('\\').append(c);
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static List<String> checked(String what, List<String> globs) {
    if (globs.size() > MAX_GLOBS) {
      throw new IllegalArgumentException(
          "at most " + MAX_GLOBS + " " + what + " globs, got " + globs.size());
    }
    for (String g : globs) {
      if (g.isBlank() || g.length() > MAX_GLOB_LENGTH
          || g.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(what + " glob '" + g + "' must be 1 to "
            + MAX_GLOB_LENGTH + " characters without control characters");
      }
    }
    return List.copyOf(globs);
  }
}
