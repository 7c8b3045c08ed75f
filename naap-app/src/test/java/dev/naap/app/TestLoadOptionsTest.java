package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.metrics.TestLoadRules;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestLoadOptionsTest {

  private static Args parse(String... argv) {
    return Args.parse(List.of(argv), TestLoadOptions.NAMES, Set.of());
  }

  @Test
  void from_withoutOptions_givesTheKnownTester() {
    Args args = parse();
    assertThat(TestLoadOptions.from(args)).isEqualTo(TestLoadRules.DEFAULTS);
    args.check();
  }

  @Test
  void from_takesCommaSeparatedGlobs_andAnEmptyValueTurnsAKindOff() {
    Args args = parse("--test-load-stream-ids", "probe-*, canary-?", "--test-load-gateways=");
    assertThat(TestLoadOptions.from(args))
        .isEqualTo(new TestLoadRules(List.of("probe-*", "canary-?"), List.of()));
    args.check();
  }

  @Test
  void from_reportsAGlobTooLong() {
    Args args = parse("--test-load-gateways", "g".repeat(201));
    TestLoadOptions.from(args);
    assertThatThrownBy(args::check).hasMessageContaining("--test-load-stream-ids/--test-load-gateways")
        .hasMessageContaining("1 to 200 characters");
  }
}
