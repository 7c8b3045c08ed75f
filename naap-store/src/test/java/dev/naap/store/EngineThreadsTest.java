package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine calls from many virtual threads at once — inserts and parameterised queries — go through
 * the store's platform threads, and the engine logs no {@code <Fatal>} or {@code <Error>} line (it
 * logged {@code ThreadStatus: current_thread contains invalid address} when virtual threads called
 * it themselves, and for every insert through chDB's streaming INSERT). The engine writes its log
 * to the console only when that is a terminal, so the probe runs in one.
 */
class EngineThreadsTest {

  @Test
  void manyVirtualCallers_engineLogsNoFatalOrError(@TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.runInTerminal(EngineThreadsMain.class, List.of(), work,
        Duration.ofMinutes(3), work.resolve("data").toString(), "store");

    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(ForkedJvm.plain(r.output())).as("%s", r).contains("rows 2560000, failures 0")
        .doesNotContain("<Fatal>").doesNotContain("<Error>");
  }

  /**
   * The check above can see the engine's Fatal lines: data that must be streamed (it holds an
   * empty line) makes chDB 26.7 log one per insert. If a later chDB stops doing so, this test
   * fails and the streaming fallback's warning in ChdbLibrary and docs/STORE.md can go.
   */
  @Test
  void streamedInserts_engineLogsFatal_inATerminal(@TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.runInTerminal(EngineThreadsMain.class, List.of(), work,
        Duration.ofMinutes(3), work.resolve("data").toString(), "streamed");

    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(ForkedJvm.plain(r.output())).as("%s", r).contains("rows 2560000, failures 0")
        .contains("<Fatal> ThreadStatus: current_thread contains invalid address");
  }
}
