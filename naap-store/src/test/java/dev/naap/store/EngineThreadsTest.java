package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine calls from many virtual threads at once — inserts through chDB's streaming INSERT and
 * parameterised queries — go through the store's platform threads, and the engine logs no
 * {@code <Fatal>} or {@code <Error>} line (it logged {@code ThreadStatus: current_thread contains
 * invalid address} when virtual threads called it themselves).
 */
class EngineThreadsTest {

  @Test
  void manyVirtualCallers_engineLogsNoFatalOrError(@TempDir Path work) throws Exception {
    ForkedJvm.Result r = ForkedJvm.run(EngineThreadsMain.class, true, List.of(), work,
        Duration.ofMinutes(3), work.resolve("data").toString(), "store");

    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).as("%s", r).contains("rows 2560000, failures 0")
        .doesNotContain("<Fatal>").doesNotContain("<Error>");
  }
}
