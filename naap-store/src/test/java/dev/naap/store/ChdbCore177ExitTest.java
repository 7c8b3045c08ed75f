package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression for chdb-core#177: a JVM that exits with engine connections open crashed inside
 * libchdb (exit 134, hs_err). Whatever way a process that used the engine ends, it must exit 0:
 * the shutdown hook closes the connections (after cancelling running reads and waiting for running
 * writes) and shuts libchdb down.
 */
class ChdbCore177ExitTest {
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exit", "return", "close", "exit-while-busy"})
  void processThatUsedTheEngine_exitsZero(String mode, @TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.run(ExitProbeMain.class, true, List.of(), work, TIMEOUT,
        work.resolve("data").toString(), mode);

    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).contains("rows 1").contains("closed the embedded engine");
    assertThat(work.toFile().list((d, n) -> n.startsWith("hs_err"))).isEmpty();
    if (mode.equals("exit-while-busy")) {
      // The read running at exit is cancelled (or, rarely, ended first): either way, no crash.
      assertThat(r.output()).contains("exiting while busy true")
          .containsAnyOf("QUERY_WAS_CANCELLED", "busy result 0");
    }
  }

  @Test
  void lastStoreClosed_engineStartsAgainOnAnotherDirectory(@TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.run(ExitProbeMain.class, true, List.of(), work, TIMEOUT,
        work.resolve("data").toString(), "close-reopen");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).contains("reopened 1");
  }

  @Test
  void allConnectionsBusy_callerTimesOutWithCode202(@TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.run(ExitProbeMain.class, true,
        List.of("-Dnaap.store.acquireTimeoutMs=200"), work, TIMEOUT,
        work.resolve("data").toString(), "pool-timeout");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).contains("timed out with code 202: no free naap-engine connection"
        + " within 200 ms: all 1 are running statements");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exit"})
  void dataWrittenBeforeExit_isThereAfterRestart(String mode, @TempDir Path work) throws Exception {
    String data = work.resolve("data").toString();
    assertThat(ForkedJvm.run(ExitProbeMain.class, true, List.of(), work, TIMEOUT, data, mode)
        .exitCode()).isZero();
    ForkedJvm.Result second = ForkedJvm.run(ExitProbeMain.class, true, List.of(), work, TIMEOUT,
        data, mode);
    assertThat(second.exitCode()).as("%s", second).isZero();
    assertThat(second.output()).contains("rows 2");
  }
}
