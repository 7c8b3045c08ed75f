package dev.naap.app;

import dev.naap.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code naap} commands in child JVMs set up as the launcher does (libjsig, native access).
 */
final class ChildJvm {

  /**
   * SIGINT at its default, as for a job a shell starts in the foreground: a test run launched in
   * the background of a shell without job control inherits SIGINT ignored, and the JVM then keeps
   * ignoring it (as it should for a command started that way), which would void the Ctrl-C tests.
   */
  private static final String DEFAULT_SIGINT = "--default-signal=INT";

  private ChildJvm() {}

  /** Starts {@code naap args…} in the background; stdout and stderr are appended to {@code log}. */
  static Process start(Path log, String... args) {
    return start(log, false, args);
  }

  /**
   * As {@link #start(Path, String...)}; {@code ownSession}: in a session and process group of its
   * own ({@code setsid}, which execs the JVM in place), as a shell starts a job, so that a test can
   * signal the group as a terminal's Ctrl-C does.
   */
  static Process start(Path log, boolean ownSession, String... args) {
    ProcessBuilder b = builder(args).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (ownSession) {
      b.command().addAll(0, List.of("setsid", "env", DEFAULT_SIGINT));
    }
    return launch(b);
  }

  /**
   * Starts {@code naap args…} in a terminal of its own, as a user does: a pseudo-terminal made by
   * {@code script}, whose output is appended to {@code log} (with the terminal's colour codes).
   * What the test writes to the process's input is typed into that terminal: byte 3 is Ctrl-C,
   * which the terminal turns into SIGINT for the command's foreground process group.
   *
   * <p>{@code script} runs the line with {@code $SHELL -c}; the line {@code exec}s the JVM so that
   * no shell stays in that process group (dash does not exec a lone command by itself: it would
   * die of the Ctrl-C at once, and {@code script} report exit code 130).
   */
  static Process startInTerminal(Path log, String... args) {
    ProcessBuilder b = builder(args).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    String line = "exec " + String.join(" ",
        b.command().stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    b.command(List.of("env", DEFAULT_SIGINT, "SHELL=/bin/sh", "script", "-qefc", line,
        "/dev/null"));
    return launch(b);
  }

  /** Runs {@code naap args…} to completion; stderr is appended to {@code dir/run.err}. */
  static Result run(Path dir, String... args) throws InterruptedException {
    Path out = dir.resolve("run-" + System.nanoTime() + ".out");
    Process p = launch(builder(args).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("run.err").toFile())));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "naap " + String.join(" ", args) + " did not finish in 120 s");
    }
    try {
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Result(int exitCode, String stdout) {}

  private static ProcessBuilder builder(String... args) {
    String javaHome = System.getProperty("java.home");
    List<String> command = new ArrayList<>(List.of(
        Path.of(javaHome, "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        "-Xmx512m",
        // C1 only: a child lives seconds to minutes, and C2 took much of its CPU (docs/STORE.md).
        "-XX:TieredStopAtLevel=1",
        "-Dnaap.chdb.library=" + System.getProperty("naap.chdb.library", ""),
        // The demo's broker starts as the tests' own do (the parent POM).
        "-D" + KafkaBroker.JVM_OPTIONS_PROPERTY + "="
            + System.getProperty(KafkaBroker.JVM_OPTIONS_PROPERTY, ""),
        // As the launcher: HttpServer.create stays the JDK's server (the simulator's gateway).
        "-Dcom.sun.net.httpserver.HttpServerProvider=sun.net.httpserver.DefaultHttpServerProvider",
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LD_PRELOAD", Path.of(javaHome, "lib", "libjsig.so").toString());
    return builder;
  }

  private static Process launch(ProcessBuilder builder) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
