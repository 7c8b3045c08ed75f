package dev.naap.app;

import dev.naap.metrics.TestLoadRules;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The operator's test-load rules, shared by the commands that run the refresh ({@code ingest},
 * {@code import}, {@code demo}): globs over stream ids and gateway names whose sessions are test
 * load (docs/METRICS.md, "Test load"). Default: none ({@link TestLoadRules#NONE}); the demo's
 * default is the network's scheduled tester ({@link TestLoadRules#KNOWN_TESTER}).
 */
final class TestLoadOptions {

  private static final String DEMO = "(naap demo: the default is the network's scheduled tester, "
      + "docs/METRICS.md \"Test load\")";

  @Option(names = "--test-load-stream-ids", paramLabel = "GLOB,…", description = {
      "stream-id globs (* any run, ? one character) whose sessions are test load (default and",
      "empty: none)", DEMO})
  String streamIds;

  @Option(names = "--test-load-gateways", paramLabel = "GLOB,…", description = {
      "gateway-name globs whose sessions are test load (default and empty: none)", DEMO})
  String gateways;

  /** The rules the options give, {@code defaults} for each kind they leave unset. */
  TestLoadRules rules(TestLoadRules defaults, Problems problems) {
    try {
      return new TestLoadRules(globs(streamIds, defaults.streamIds()),
          globs(gateways, defaults.gateways()));
    } catch (IllegalArgumentException e) {
      problems.add("--test-load-stream-ids/--test-load-gateways: " + e.getMessage());
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
