package dev.naap.app;

import dev.naap.http.HttpLimits;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code naap} command line. Each subcommand wires its pieces explicitly; exit codes are 0 on
 * success, 1 when the work failed, 2 for bad usage.
 */
public final class Main {

  private static final Map<String, Command> COMMANDS = Map.ofEntries(
      Map.entry("demo", new DemoCommand()),
      Map.entry("import", new ImportCommand()),
      Map.entry("ingest", new IngestCommand()),
      Map.entry("refresh", new RefreshCommand()),
      Map.entry("sql", new SqlCommand()),
      Map.entry("scrape", new ScrapeCommand()),
      Map.entry("loadtest", new LoadtestCommand()),
      Map.entry("simulate", new SimulateCommand()),
      Map.entry("clickhouse-http", new ClickHouseHttpCommand()),
      Map.entry("serve", new ServeCommand()),
      Map.entry("backup", new BackupCommand()),
      Map.entry("restore", new RestoreCommand()));

  private Main() {}

  private static volatile boolean shuttingDown;

  public static void main(String[] argv) {
    // Before any command creates an HTTP server (a metrics port may come before the API's):
    // the JDK reads these once per process.
    HttpLimits.install();
    int code = run(List.of(argv), System.out, System.err);
    // System.exit blocks forever when called while shutdown hooks run (after SIGHUP).
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
  static CountDownLatch onShutdown(Runnable stop, Duration grace) {
    var finished = new CountDownLatch(1);
    var once = new java.util.concurrent.atomic.AtomicBoolean();
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
    return finished;
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    if (argv.isEmpty() || List.of("help", "--help", "-h").contains(argv.getFirst())) {
      out.print(usage());
      return argv.isEmpty() ? 2 : 0;
    }
    Command command = COMMANDS.get(argv.getFirst());
    if (command == null) {
      err.println("naap: unknown command '" + argv.getFirst() + "'\n");
      err.print(usage());
      return 2;
    }
    List<String> rest = argv.subList(1, argv.size());
    if (rest.contains("--help")) {
      out.print(command.usage());
      return 0;
    }
    try {
      return command.run(rest, out, err);
    } catch (Args.UsageException e) {
      err.println("naap " + argv.getFirst() + ": " + e.getMessage().replace("\n", "\nnaap " + argv.getFirst() + ": "));
      err.println();
      err.print(command.usage());
      return 2;
    } catch (RuntimeException e) {
      err.println("naap " + argv.getFirst() + ": " + describe(e));
      return 1;
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getCause() != null && e.getCause().getMessage() != null
        && !message.contains(e.getCause().getMessage()) ? message + ": " + e.getCause().getMessage() : message;
  }

  private static String usage() {
    StringBuilder b = new StringBuilder("""
        NaaP: analytics for the Livepeer AI network.

        usage: naap COMMAND [OPTIONS]   (naap COMMAND --help for its options)

        commands:
        """);
    COMMANDS.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.append(String.format("  %-16s %s%n", e.getKey(), e.getValue().summary())));
    return b.toString();
  }

  /** One subcommand. */
  interface Command {
    String summary();

    String usage();

    int run(List<String> args, PrintStream out, PrintStream err);
  }
}
