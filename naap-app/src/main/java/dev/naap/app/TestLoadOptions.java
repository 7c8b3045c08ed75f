package dev.naap.app;

import dev.naap.metrics.TestLoadRules;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The operator's test-load rules, shared by the commands that run the refresh ({@code ingest},
 * {@code import}, {@code demo}): globs over stream ids and gateway names whose sessions are test
 * load (docs/METRICS.md, "Test load"). Default: none ({@link TestLoadRules#NONE}).
 */
final class TestLoadOptions {

  static final Set<String> NAMES = Set.of("test-load-stream-ids", "test-load-gateways");

  static final String HELP = """
        --test-load-stream-ids G,…  stream-id globs (* any run, ? one character) whose
                                   sessions are test load (default none; the network's
                                   scheduled tester: %s)
        --test-load-gateways G,…    gateway-name globs whose sessions are test load
                                   (default none; that tester's gateways: %s)
      """.formatted(String.join(",", TestLoadRules.KNOWN_TESTER.streamIds()),
          String.join(",", TestLoadRules.KNOWN_TESTER.gateways()));

  private TestLoadOptions() {}

  /** The rules the options give, none by default; a bad glob is reported through {@code args}. */
  static TestLoadRules from(Args args) {
    return from(args, TestLoadRules.NONE);
  }

  /** As above, with {@code defaults} for each kind the options leave unset. */
  static TestLoadRules from(Args args, TestLoadRules defaults) {
    List<String> streamIds = globs(args.get("test-load-stream-ids", null), defaults.streamIds());
    List<String> gateways = globs(args.get("test-load-gateways", null), defaults.gateways());
    try {
      return new TestLoadRules(streamIds, gateways);
    } catch (IllegalArgumentException e) {
      args.error("--test-load-stream-ids/--test-load-gateways: " + e.getMessage());
      return TestLoadRules.NONE;
    }
  }

  private static List<String> globs(String value, List<String> fallback) {
    if (value == null) {
      return fallback;
    }
    return Arrays.stream(value.split(",", -1)).map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
  }
}
