package dev.naap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark stops as every long-running naap command does: Ctrl-C (SIGINT to its process group,
 * as a terminal sends it) in the middle of a run ends it within 10 s with exit code 0, its scratch
 * directory deleted and nothing left running.
 */
class BenchStopTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void freshness_stopsOnCtrlC_midRun_exit0_workDirDeleted(@TempDir Path dir) throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path log = dir.resolve("bench.log");
    Process bench = start(tmp, log, "freshness", "--sessions", "2000", "--trials", "200");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!read(log).contains("trial  1:") && bench.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(read(log)).as("a trial ran before the stop").contains("trial  1:");
      assertThat(workDirs(tmp)).as("the run's work dir").hasSize(1);

      long t0 = System.nanoTime();
      Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + bench.pid()).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
      boolean ended = bench.waitFor(12, TimeUnit.SECONDS);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(ended).as("stopped (see %s)", log).isTrue();
      assertThat(ms).as("ms to stop").isLessThan(10_000);
      assertThat(bench.exitValue()).as("exit code (see %s)", log).isZero();
      assertThat(read(log)).contains("naap bench: stopped").doesNotContain("<Fatal>");
      assertThat(workDirs(tmp)).as("work dirs left").isEmpty();
      assertThat(ProcessHandle.allProcesses()
              .filter(h -> h.info().commandLine().orElse("").contains(tmp.toString())))
          .as("processes left").isEmpty();
    } finally {
      bench.destroyForcibly();
    }
  }

  /**
   * {@code naap bench args…} as the launcher runs it, in a session of its own with SIGINT at its
   * default (as a shell starts a job), its temporary directory {@code tmp}.
   */
  private static Process start(Path tmp, Path log, String... args) throws IOException {
    String javaHome = System.getProperty("java.home");
    List<String> command = new ArrayList<>(List.of("setsid", "env", "--default-signal=INT",
        Path.of(javaHome, "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-Xmx512m", "-Djava.io.tmpdir=" + tmp,
        "-Dnaap.chdb.library=" + System.getProperty("naap.chdb.library", ""),
        "-cp", System.getProperty("java.class.path"), Bench.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    b.environment().put("LD_PRELOAD", Path.of(javaHome, "lib", "libjsig.so").toString());
    return b.start();
  }

  private static List<Path> workDirs(Path tmp) throws IOException {
    try (Stream<Path> dirs = Files.list(tmp)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("naap-bench")).toList();
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
