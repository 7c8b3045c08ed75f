package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.metrics.TestLoadRules;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class TestLoadOptionsTest {

  @Command(name = "t")
  static final class Holder {
    @Mixin TestLoadOptions options;
  }

  private final Problems problems = new Problems();
  private final CommandLine cli = new CommandLine(new Holder());

  private TestLoadRules rules(TestLoadRules defaults, String... argv) {
    cli.parseArgs(argv);
    return ((Holder) cli.getCommand()).options.rules(defaults, problems);
  }

  @Test
  void rules_withoutOptions_giveTheDefaults() {
    assertThat(rules(TestLoadRules.NONE)).isEqualTo(TestLoadRules.NONE);
    assertThat(rules(TestLoadRules.KNOWN_TESTER)).isEqualTo(TestLoadRules.KNOWN_TESTER);
    problems.check(cli.getCommandSpec());
  }

  @Test
  void rules_takeCommaSeparatedGlobs_andAnEmptyValueTurnsAKindOff() {
    assertThat(rules(TestLoadRules.KNOWN_TESTER, "--test-load-stream-ids", "probe-*, canary-?",
        "--test-load-gateways="))
        .isEqualTo(new TestLoadRules(List.of("probe-*", "canary-?"), List.of()));
    problems.check(cli.getCommandSpec());
  }

  @Test
  void rules_reportAGlobTooLong() {
    rules(TestLoadRules.NONE, "--test-load-gateways", "g".repeat(201));
    assertThatThrownBy(() -> problems.check(cli.getCommandSpec()))
        .hasMessageContaining("--test-load-stream-ids/--test-load-gateways")
        .hasMessageContaining("1 to 200 characters");
  }
}
