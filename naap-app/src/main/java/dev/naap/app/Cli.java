package dev.naap.app;

import dev.naap.store.Durations;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Builds the {@code naap} command line from the commands' declarations: the duration converter,
 * the {@link Range}s added to the help, every parse error collected, and the help texts ({@code
 * naap help}, docs/CLI.md) rendered from it. The benchmarks' command line ({@code naap bench},
 * naap-bench) is built by the same methods.
 */
public final class Cli {

  /** Help lines are this wide, so that docs/CLI.md does not depend on the terminal. */
  static final int WIDTH = 100;

  private Cli() {}

  /** The {@code naap} command line. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(new Main(), out, err);
  }

  /** The command line of {@code root}, a picocli {@code @Command} and its subcommands. */
  public static CommandLine commandLine(Object root, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(root);
    cli.registerConverter(Duration.class, Cli::duration);
    cli.setOut(out).setErr(err).setUsageHelpWidth(WIDTH).setUsageHelpAutoWidth(false);
    prepare(cli.getCommandSpec());
    return cli;
  }

  private static void prepare(CommandSpec spec) {
    // One run reports every mistake, not the first one.
    spec.parser().collectErrors(true);
    spec.usageMessage().descriptionHeading("%n").optionListHeading("%n")
        .commandListHeading("%nCommands:%n");
    for (OptionSpec option : List.copyOf(spec.options())) {
      String facts = facts(option);
      if (facts.isEmpty()) {
        continue;
      }
      List<String> lines = new ArrayList<>(List.of(option.description()));
      if (lines.isEmpty()) {
        lines.add(facts);
      } else {
        lines.set(lines.size() - 1, lines.getLast() + " " + facts);
      }
      spec.remove(option);
      spec.addOption(OptionSpec.builder(option).description(lines.toArray(String[]::new)).build());
    }
    spec.subcommands().values().forEach(sub -> prepare(sub.getCommandSpec()));
  }

  /**
   * The help's last line of an option: its default, from the declaration (the field's initial
   * value), and its {@link Range}.
   */
  private static String facts(OptionSpec option) {
    List<String> facts = new ArrayList<>();
    Object initial = option.defaultValue() != null ? option.defaultValue() : option.initialValue();
    String shown = switch (initial) {
      case null -> null;
      case Boolean b -> null; // a flag
      case java.util.Collection<?> c -> null; // none unless repeated
      case Duration d -> format(d);
      default -> initial.toString();
    };
    if (shown != null) {
      facts.add("default " + (shown.isEmpty() ? "\"\"" : shown));
    }
    Range range = range(option);
    if (range != null) {
      facts.add(range.max() >= Integer.MAX_VALUE ? "at least " + number(range.min())
          : "range " + number(range.min()) + ".." + number(range.max()));
    }
    return facts.isEmpty() ? "" : "(" + String.join("; ", facts) + ")";
  }

  /** The options of {@code spec} whose value lies outside their {@link Range}. */
  static List<ParameterException> outOfRange(CommandSpec spec) {
    List<ParameterException> problems = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      Range range = range(option);
      if (range != null && option.getValue() instanceof Number n
          && !(n.doubleValue() >= range.min() && n.doubleValue() <= range.max())) {
        problems.add(new ParameterException(spec.commandLine(), option.longestName()
            + ": expected " + number(range.min()) + ".." + number(range.max()) + ", got " + n));
      }
    }
    return problems;
  }

  private static Range range(OptionSpec option) {
    return option.userObject() instanceof Field f ? f.getAnnotation(Range.class) : null;
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static Duration duration(String raw) {
    try {
      return Durations.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** {@code d} as {@link Durations#parse} reads it, in its largest whole units: 1h30m, 500ms. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long[] parts = {d.toDaysPart(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart(),
        d.toMillisPart()};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] != 0) {
        b.append(parts[i]).append(units[i]);
      }
    }
    return b.toString();
  }

  /** One command's help. */
  static String usage(CommandLine command) {
    StringBuilder b = new StringBuilder(command.getUsageMessage());
    for (CommandLine sub : command.getSubcommands().values()) {
      b.append('\n').append(sub.getUsageMessage());
    }
    return b.toString();
  }

  /** {@code naap help}: the overview, then every command with its options. */
  static String everything(CommandLine root) {
    StringBuilder b = new StringBuilder(root.getUsageMessage());
    for (CommandLine command : commands(root)) {
      b.append("\n").append(command.getUsageMessage());
    }
    return b.toString();
  }

  /** docs/CLI.md: {@link #everything} as Markdown, one section per command. */
  static String markdown(CommandLine root) {
    return markdown(root, """
        # The naap command line

        Generated from the commands' option declarations in naap-app (`CliDocTest` checks that
        this file matches them; `-Dnaap.cli.write=true` rewrites it). `./naap help` prints the
        same, `./naap COMMAND --help` one command. Durations are written as a number with a unit,
        `ms`, `s`, `m`, `h` or `d`, or several (`1h30m`), or ISO-8601 (`PT10M`). Exit codes: 0
        success, 1 the work failed, 2 bad usage. The benchmarks' command line, `./naap bench`, is
        in [BENCH_CLI.md](BENCH_CLI.md).

        """);
  }

  /** {@link #everything} of {@code root} as Markdown after {@code intro}, a section a command. */
  public static String markdown(CommandLine root, String intro) {
    StringBuilder b = new StringBuilder(intro);
    b.append("```\n").append(root.getUsageMessage()).append("```\n");
    for (CommandLine command : commands(root)) {
      b.append("\n## ").append(command.getCommandSpec().qualifiedName()).append("\n\n```\n")
          .append(command.getUsageMessage()).append("```\n");
    }
    return b.toString();
  }

  /** Every command and subcommand below {@code root}, in declaration order. */
  private static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      all.add(e.getValue());
      all.addAll(commands(e.getValue()));
    }
    return all;
  }
}
