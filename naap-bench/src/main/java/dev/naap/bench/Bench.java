package dev.naap.bench;

import dev.naap.app.Cli;
import dev.naap.app.Main;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code naap bench}: the benchmarks, each a subcommand that declares its options (picocli), built
 * and run by naap-app's command-line machinery ({@link Cli}, {@link Main#run}), so parsing,
 * ranges, help and exit codes are those of every other {@code naap} command. The launcher runs
 * this class for {@code ./naap bench …}; docs/BENCH_CLI.md is generated from it.
 */
@Command(name = "naap bench", header = "Benchmarks run on demand; figures in docs/benchmarks.md.",
    synopsisSubcommandLabel = "BENCHMARK",
    footer = "naap bench --help: every benchmark and its options; naap bench BENCHMARK --help: "
        + "one benchmark's.",
    subcommands = {IngestBenchmark.class, QueryBenchmark.class, FreshnessBenchmark.class,
        ApiBenchmark.class, StorageBenchmark.class, OverloadBenchmark.class, SoakBenchmark.class,
        ScaleOutBenchmark.class})
public final class Bench {

  /** How long a stop other than SIGINT or SIGTERM (SIGHUP) waits for the benchmark's cleanup. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /** Help on every benchmark, inherited by the subcommands. */
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
      description = "print the benchmark's options and exit")
  boolean help;

  Bench() {}

  /**
   * Ctrl-C or SIGTERM interrupts the benchmark: it stops where it is, closes what it opened (its
   * store, broker, child processes and scratch directory) and the process exits 0, as every naap
   * command does when stopped. The unfinished run prints no figures.
   */
  public static void main(String[] argv) {
    Thread benchmark = Thread.currentThread();
    AtomicBoolean stopped = new AtomicBoolean();
    CountDownLatch finished = Main.onShutdown(() -> {
      stopped.set(true);
      benchmark.interrupt();
    }, STOP_GRACE);
    int code;
    try {
      code = run(List.of(argv), System.out, System.err);
    } finally {
      finished.countDown();
    }
    if (stopped.get()) {
      System.err.println("naap bench: stopped");
      code = 0;
    }
    Main.exit(code);
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    return Main.run(commandLine(out, err), argv, out, err);
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    return Cli.commandLine(new Bench(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** docs/BENCH_CLI.md. */
  static String markdown() {
    return Cli.markdown(commandLine(System.out, System.err), """
        # The naap bench command line

        Generated from the benchmarks' option declarations in naap-bench (`BenchCliDocTest` checks
        that this file matches them; `-Dnaap.cli.write=true` rewrites it). `./naap bench --help`
        prints the same, `./naap bench BENCHMARK --help` one benchmark; what each measures and the
        figures are in [benchmarks.md](benchmarks.md), the other commands in [CLI.md](CLI.md).
        Exit codes: 0 success, 1 the run failed, 2 bad usage.

        """);
  }
}
