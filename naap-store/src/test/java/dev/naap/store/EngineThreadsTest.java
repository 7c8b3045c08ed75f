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
   * Data holding an empty line, where chDB ends inline data, is stored whole through the spool
   * file, and without the engine's Fatal line that chDB's streaming INSERT (the old way of
   * sending such data) logged for every insert.
   */
  @Test
  void insertsWithAnEmptyLine_storedWhole_engineLogsNoFatal(@TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.runInTerminal(EngineThreadsMain.class, List.of(), work,
        Duration.ofMinutes(3), work.resolve("data").toString(), "emptyLine");

    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(ForkedJvm.plain(r.output())).as("%s", r).contains("rows 2560000, failures 0")
        .doesNotContain("<Fatal>").doesNotContain("<Error>");
  }

  /**
   * The checks above can see the engine's Fatal lines: chDB 26.7's streaming INSERT, the store's
   * old way of sending data that holds an empty line, logs one for every insert. If a later chDB
   * stops doing so, this test fails and needs another probe.
   */
  @Test
  void streamedInserts_engineLogsFatal_inATerminal(@TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.runInTerminal(EngineThreadsMain.class, List.of(), work,
        Duration.ofMinutes(3), work.resolve("data").toString(), "streamed");

    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(ForkedJvm.plain(r.output())).as("%s", r).contains("streamed insert 2")
        .contains("<Fatal> ThreadStatus: current_thread contains invalid address");
  }
}
