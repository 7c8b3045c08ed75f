package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line's own behaviour: help, usage errors and exit codes, in process. */
class CliOptionsTest {

  record Run(int code, String out, String err) {}

  static Run naap(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<CommandLine> commands() {
    CommandLine root = Cli.commandLine(new PrintWriter(System.out), new PrintWriter(System.err));
    return root.getSubcommands().values().stream()
        .flatMap(c -> java.util.stream.Stream.concat(java.util.stream.Stream.of(c),
            c.getSubcommands().values().stream()))
        .toList();
  }

  @Test
  void help_listsEveryCommandWithEveryOption() {
    Run help = naap("help");
    Run dashDash = naap("--help");

    assertThat(help.code()).isZero();
    assertThat(dashDash).isEqualTo(help);
    for (String name : List.of("demo", "import", "ingest", "refresh", "sql", "scrape", "loadtest",
        "loadtest run", "loadtest validate", "loadtest datasets", "loadtest generate", "simulate",
        "clickhouse-http", "serve", "backup", "restore", "help")) {
      assertThat(help.out()).contains("Usage: naap " + name + " ");
    }
    for (CommandLine command : commands()) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        assertThat(help.out()).as(command.getCommandName())
            .contains(option.longestName());
      }
    }
  }

  @Test
  void commandHelp_showsItsOptionsDefaultsAndRanges() {
    Run r = naap("serve", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: naap serve").contains("--port=PORT")
        .contains("(default 8080; range 0..65535)")
        .contains("--query-timeout=DURATION").contains("(default 10s)")
        .contains("--data-dir=DIR").contains("(default naap-data)");
    assertThat(naap("help", "scrape").out()).contains("--interval=DURATION")
        .contains("(default 5m)");
  }

  @Test
  void noCommand_unknownCommand_andMissingSubcommand_areBadUsage() {
    assertThat(naap().code()).isEqualTo(2);
    Run unknown = naap("fly");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("naap: unknown command 'fly', expected one of demo, ");
    Run noSub = naap("loadtest");
    assertThat(noSub.code()).isEqualTo(2);
    assertThat(noSub.err()).contains("naap loadtest: expected a subcommand: run, validate");
  }

  @Test
  void badDurationsAndRanges_nameTheOption() {
    Run r = naap("scrape", "--gateway", "http://127.0.0.1:1", "--interval", "5 minutes",
        "--attempts", "11");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("naap scrape: Invalid value for option '--interval': expected a duration like "
            + "500ms, 30s, 5m, 24h, 7d, 1h30m or PT10M, got '5 minutes'")
        .contains("naap scrape: --attempts: expected 1..10, got 11");
  }

  @Test
  void configurationProblems_areAllReportedTogether() {
    Run r = naap("serve", "--secret", "short", "--api-key", "k=0", "--redis-url", "http://x",
        "--clickhouse-url", "ftp://h", "--data-dir", "unused");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--secret: at least 16 characters")
        .contains("--api-key: expected KEY=REQUESTS_PER_HOUR, got 'k=0'")
        .contains("--clickhouse-url: expected an http:// or https:// URL, got 'ftp://h'");
  }

  @Test
  void durationsInTheHelp_readBackAsTheSameDuration() {
    for (var d : List.of(java.time.Duration.ofMinutes(90), java.time.Duration.ofMillis(1500),
        java.time.Duration.ofDays(365), java.time.Duration.ZERO)) {
      assertThat(dev.naap.store.Durations.parse(Cli.format(d))).isEqualTo(d);
    }
  }
}
