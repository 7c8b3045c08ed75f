package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression for chdb-core#221: libchdb resets the JVM's SIGSEGV handler, after which the first
 * JIT-compiled implicit null check hangs the JVM (~5 minutes, then killed) or kills it (exit 139).
 * Each protection alone must keep a JVM with a running engine alive through a million NPEs: our
 * FFM save/restore of the handlers (plus the chDB opt-out), with and without libjsig preloaded.
 */
class ChdbCore221SignalHandlersTest {
  static final int NPE_CALLS = 1_000_000;
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  @ParameterizedTest(name = "libjsig preloaded: {0}")
  @ValueSource(booleans = {true, false})
  void jitImplicitNullChecks_surviveWithTheEngineRunning(boolean libjsig, @TempDir Path work)
      throws Exception {
    ForkedJvm.Result r = ForkedJvm.run(SignalProbeMain.class, libjsig,
        List.of("-Xbatch", "-XX:+PrintCompilation"), work, TIMEOUT,
        work.resolve("data").toString(), Integer.toString(NPE_CALLS));

    assertThat(r.timedOut()).as("hung: the JVM lost its signal handlers; %s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).contains("engine answers 42").contains("npes " + NPE_CALLS)
        .contains("engine still answers alive");
    // The probe only means something if C2 compiled the methods before the nulls came...
    String beforeNulls = r.output().substring(0, r.output().indexOf("null phase"));
    assertThat(c2Compiled(beforeNulls, "stringLength")).as("%s", r).isTrue();
    assertThat(c2Compiled(beforeNulls, "firstElement")).as("%s", r).isTrue();
    // ...and if the null reached that compiled code (its trap deoptimises it).
    String afterNulls = r.output().substring(r.output().indexOf("null phase"));
    assertThat(afterNulls).containsPattern("SignalProbeMain::stringLength .*made not entrant");
    assertThat(work.toFile().list((d, n) -> n.startsWith("hs_err"))).isEmpty();
  }

  /** Whether PrintCompilation shows a tier-4 (C2) compile of {@code method}. */
  static boolean c2Compiled(String output, String method) {
    Matcher m = Pattern.compile("(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+\\S*SignalProbeMain::"
        + method + " ").matcher(output);
    return m.find();
  }
}
