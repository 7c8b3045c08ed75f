package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules in {@code deploy/prometheus/} pass {@code promtool check rules} and their unit
 * tests ({@code promtool test rules}); every alert has a test that fires it and one that does not,
 * and a runbook. Skipped where Debian's {@code prometheus} package is not installed ({@code
 * .ci/run} installs it).
 */
class PromtoolRulesTest {

  static final Path DEPLOY = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
  static final Path RULES = DEPLOY.resolve("naap-alerts.yml");

  /**
   * The executable {@code name} on the PATH of Debian package {@code pkg}. Without it the test is
   * skipped, unless {@code NAAP_REQUIRE_PROMETHEUS} is set (as {@code .ci/run} does): then it
   * fails.
   */
  static Path tool(String name, String pkg) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String missing = name + " is not installed (apt-get install " + pkg + ")";
    assertThat(System.getenv("NAAP_REQUIRE_PROMETHEUS")).as(missing).isNull();
    assumeTrue(false, missing);
    return null;
  }

  @Test
  void rulesAreValidAndTheirTestsPass() throws Exception {
    Path promtool = tool("promtool", "prometheus");
    String check = run(promtool.toString(), "check", "rules", RULES.toString());
    assertThat(check).contains("SUCCESS");
    String test =
        run(
            promtool.toString(),
            "test",
            "rules",
            DEPLOY.resolve("naap-alerts.test.yml").toString());
    assertThat(test).contains("SUCCESS").doesNotContain("FAILED");
    String config =
        run(promtool.toString(), "check", "config", DEPLOY.resolve("prometheus.yml").toString());
    assertThat(config).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAFiringAndAQuietTestAndARunbook() throws IOException {
    String rules = Files.readString(RULES, StandardCharsets.UTF_8);
    String tests = Files.readString(DEPLOY.resolve("naap-alerts.test.yml"), StandardCharsets.UTF_8);
    List<String> alerts =
        Pattern.compile("- alert: (\\w+)").matcher(rules).results().map(m -> m.group(1)).toList();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(20).doesNotHaveDuplicates();
    for (String alert : alerts) {
      assertThat(tests).as("a quiet test of " + alert)
          .containsPattern("alertname: " + alert + ", exp_alerts: \\[\\]");
      assertThat(tests).as("a firing test of " + alert)
          .containsPattern("alertname: " + alert + "\\n\\s+exp_alerts:\\n\\s+- exp_labels");
      String runbook = rules.substring(rules.indexOf("- alert: " + alert));
      Matcher url = RUNBOOK.matcher(runbook);
      assertThat(url.find()).as("runbook of " + alert).isTrue();
      assertThat(Path.of("..").resolve(url.group(1))).as("runbook of " + alert).exists();
    }
  }

  private static final Pattern RUNBOOK = Pattern.compile("runbook_url: (\\S+)");

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }
}
