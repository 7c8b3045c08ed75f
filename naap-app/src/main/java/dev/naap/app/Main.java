package dev.naap.app;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code naap} command line. Each subcommand declares its options (picocli) and wires its
 * pieces explicitly; exit codes are 0 on success, 1 when the work failed, 2 for bad usage.
 */
@Command(name = "naap", header = "NaaP: analytics for the Livepeer AI network.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {"naap help: every command and its options; naap COMMAND --help: one command's.",
        "naap bench --help: the benchmarks (docs/BENCH_CLI.md)."},
    subcommands = {DemoCommand.class, ImportCommand.class, IngestCommand.class,
        RefreshCommand.class, SqlCommand.class, ScrapeCommand.class, LoadtestCommand.class,
        SimulateCommand.class, ClickHouseHttpCommand.class, ServeCommand.class,
        BackupCommand.class, RestoreCommand.class, Main.Help.class})
public final class Main {

  /** Help on every command, inherited by the subcommands. */
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
      description = "print the command's options and exit")
  boolean help;

  private static volatile boolean shuttingDown;

  /** The commands that run until stopped: a stop before they are ready still ends them with 0. */
  private static final java.util.Set<String> RUN_UNTIL_STOPPED = java.util.Set.of("demo",
      "ingest", "refresh", "serve", "scrape", "loadtest run", "clickhouse-http", "simulate");

  /** SIGINT or SIGTERM came before the command installed its stop ({@link #onShutdown}). */
  private static volatile boolean stopBeforeReady;

  Main() {}

  public static void main(String[] argv) {
    if (argv.length > 0 && (RUN_UNTIL_STOPPED.contains(argv[0])
        || argv.length > 1 && RUN_UNTIL_STOPPED.contains(argv[0] + " " + argv[1]))) {
      holdEarlyStops();
    }
    exit(run(List.of(argv), System.out, System.err));
  }

  /**
   * Until the command installs its own stop, SIGINT and SIGTERM are noted instead of ending the
   * JVM with 130 or 143: the command then stops as soon as it installs it (a Ctrl-C during the
   * start, while the store migrates, still exits 0). Only the JVM's own start is left before this.
   */
  private static void holdEarlyStops() {
    for (String name : List.of("INT", "TERM")) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stopBeforeReady = true);
      } catch (IllegalArgumentException e) {
        // Reserved here (-Xrs): the JVM's own handling stays.
      }
    }
  }

  /**
   * Ends the process with {@code code}, unless it is already ending: System.exit blocks forever
   * when called while shutdown hooks run (after SIGHUP).
   */
  public static void exit(int code) {
    if (!shuttingDown) {
      System.exit(code);
    }
  }

  /**
   * Runs {@code stop} on SIGINT or SIGTERM (a terminal's Ctrl-C, which reaches the whole process
   * group, or a supervisor's stop) and lets the command finish on its normal path: its {@code run}
   * returns, and the process exits with the command's code (0) after every shutdown hook has run.
   * The JVM's own handling of those signals would exit with 130 or 143. Any other way the JVM
   * shuts down (SIGHUP, {@code System.exit} elsewhere) also runs {@code stop}, then waits up to
   * {@code grace} for the command to finish its cleanup, signalled by the returned latch.
   */
  public static CountDownLatch onShutdown(Runnable stop, Duration grace) {
    var finished = new CountDownLatch(1);
    var once = new AtomicBoolean();
    Runnable stopOnce = () -> {
      if (once.compareAndSet(false, true)) {
        stop.run();
      }
    };
    for (String name : List.of("INT", "TERM")) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name),
            signal -> Thread.ofPlatform().name("naap-stop").start(stopOnce));
      } catch (IllegalArgumentException e) {
        // The signal is reserved here (e.g. -Xrs): the shutdown hook below still stops the command.
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      shuttingDown = true;
      stopOnce.run();
      try {
        finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "naap-shutdown"));
    if (stopBeforeReady) { // checked after the handlers above replaced holdEarlyStops' ones
      stopOnce.run();
    }
    return finished;
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    return run(Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)), argv, out,
        err);
  }

  /**
   * Runs the command {@code argv} names in {@code cli} (built by {@link Cli#commandLine}): help,
   * every parse and range error at once (exit code 2), else its {@link Runner}.
   */
  public static int run(CommandLine cli, List<String> argv, PrintStream out, PrintStream err) {
    if (argv.isEmpty()) {
      cli.usage(out);
      return 2;
    }
    ParseResult parsed = cli.parseArgs(argv.toArray(String[]::new));
    if (parsed.isUsageHelpRequested() && !parsed.hasSubcommand()) {
      out.print(Cli.everything(cli));
      return 0;
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return 0;
    }
    ParseResult leaf = parsed;
    List<Exception> errors = new ArrayList<>(parsed.errors());
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
      errors.addAll(leaf.errors());
    }
    CommandSpec spec = leaf.commandSpec();
    errors.addAll(Cli.outOfRange(spec));
    if (!errors.isEmpty()) {
      return usageError(spec, errors.stream().map(e -> message(spec, e)).toList(), err);
    }
    if (!(spec.userObject() instanceof Runner command)) {
      return usageError(spec, List.of(spec == cli.getCommandSpec() ? "expected a command"
          : "expected a subcommand: " + String.join(", ", spec.subcommands().keySet())), err);
    }
    try {
      return command.run(out, err);
    } catch (Lifecycle.Stopped e) {
      err.println(spec.qualifiedName() + ": " + e.getMessage());
      return 0;
    } catch (ParameterException e) {
      return usageError(spec, e.getMessage().lines().toList(), err);
    } catch (Exception e) {
      err.println(spec.qualifiedName() + ": " + describe(e));
      return 1;
    }
  }

  /** Prints every problem, each naming its command, then the command's usage; exit code 2. */
  private static int usageError(CommandSpec spec, List<String> problems, PrintStream err) {
    problems.forEach(p -> err.println(spec.qualifiedName() + ": " + p));
    err.println();
    spec.commandLine().usage(err);
    return 2;
  }

  private static String message(CommandSpec spec, Exception e) {
    if (e instanceof UnmatchedArgumentException u && !spec.subcommands().isEmpty()
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
      return "unknown " + (spec.parent() == null ? "command" : "subcommand") + " '"
          + u.getUnmatched().getFirst() + "', expected one of "
          + String.join(", ", spec.subcommands().keySet());
    }
    return e.getMessage();
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getCause() != null && e.getCause().getMessage() != null
        && !message.contains(e.getCause().getMessage())
        ? message + ": " + e.getCause().getMessage() : message;
  }

  /** What a command does once its options are parsed and in range. */
  public interface Runner {
    /** Returns the exit code; a {@link ParameterException} is bad usage (exit code 2). */
    int run(PrintStream out, PrintStream err) throws Exception;
  }

  /** {@code naap help}: every command with every option; {@code naap help COMMAND}: one. */
  @Command(name = "help", description = "print every command with its options (or one COMMAND's)")
  static final class Help implements Runner {

    @CommandLine.Parameters(arity = "0..1", paramLabel = "COMMAND",
        description = "the command to describe")
    String command;

    @CommandLine.Spec CommandSpec spec;

    @Override
    public int run(PrintStream out, PrintStream err) {
      CommandLine root = spec.parent().commandLine();
      if (command != null) {
        CommandLine one = root.getSubcommands().get(command);
        if (one == null) {
          throw new ParameterException(spec.commandLine(), "unknown command '" + command
              + "', expected one of " + String.join(", ", root.getSubcommands().keySet()));
        }
        out.print(Cli.usage(one));
        return 0;
      }
      out.print(Cli.everything(root));
      return 0;
    }
  }
}
