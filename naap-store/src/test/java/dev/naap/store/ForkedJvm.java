package dev.naap.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a fresh JVM, as the launcher would. */
final class ForkedJvm {
  /** How a forked JVM ended. */
  record Result(int exitCode, boolean timedOut, String output, Duration elapsed) {
    @Override
    public String toString() {
      return "exit " + exitCode + (timedOut ? " (killed after timeout)" : "") + " after "
          + elapsed.toMillis() + " ms, output:\n" + output;
    }
  }

  private ForkedJvm() {}

  /**
   * Runs {@code main} with {@code args}, the native access flag, the engine library property and
   * (when {@code libjsig}) {@code LD_PRELOAD} of HotSpot's libjsig; kills it after {@code timeout}.
   */
  static Result run(Class<?> main, boolean libjsig, List<String> jvmOptions, Path workDir,
      Duration timeout, String... args) throws IOException, InterruptedException {
    return run(false, main, libjsig, jvmOptions, workDir, timeout, args);
  }

  /**
   * As {@link #run(Class, boolean, List, Path, Duration, String...)}, with a terminal for its
   * output ({@code script}): the engine writes its log to the console only when that is a terminal,
   * so only there do its {@code <Fatal>} and {@code <Error>} lines show. The output keeps the
   * engine's colour codes; {@link #plain} takes them out.
   */
  static Result runInTerminal(Class<?> main, List<String> jvmOptions, Path workDir,
      Duration timeout, String... args) throws IOException, InterruptedException {
    return run(true, main, true, jvmOptions, workDir, timeout, args);
  }

  /** {@code output} without terminal colour codes. */
  static String plain(String output) {
    return output.replaceAll("\\u001B\\[[0-9;]*m", "");
  }

  private static Result run(boolean terminal, Class<?> main, boolean libjsig,
      List<String> jvmOptions, Path workDir, Duration timeout, String... args)
      throws IOException, InterruptedException {
    String javaHome = System.getProperty("java.home");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(javaHome, "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xmx256m");
    cmd.add("-D" + ChdbLibrary.LIBRARY_PROPERTY + "="
        + ChdbLibrary.resolvePath(System::getProperty, System::getenv));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    if (terminal) {
      // script runs the line with $SHELL -c; exec leaves no shell between it and the JVM.
      String line = "exec " + String.join(" ",
          cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
      cmd = new ArrayList<>(List.of("env", "SHELL=/bin/sh", "script", "-qefc", line, "/dev/null"));
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    if (libjsig) {
      pb.environment().put("LD_PRELOAD", Path.of(javaHome, "lib", "libjsig.so").toString());
    } else {
      pb.environment().remove("LD_PRELOAD");
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String output;
    try {
      output = out.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      output = "(output unavailable: " + e + ")";
    }
    return new Result(finished ? p.exitValue() : -1, !finished, output,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(read failed: " + e + ")";
    }
  }
}
