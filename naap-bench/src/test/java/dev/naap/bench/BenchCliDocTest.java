package dev.naap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/BENCH_CLI.md is what the benchmarks' declarations generate; {@code -Dnaap.cli.write=true}
 * rewrites it (./naap test -pl naap-bench -am -Dtest=BenchCliDocTest -Dnaap.cli.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false).
 */
class BenchCliDocTest {

  private static final Path DOC = Path.of("..", "docs", "BENCH_CLI.md");

  @Test
  void benchCliMd_isGeneratedFromTheDeclarations() throws Exception {
    String generated = Bench.markdown();
    if (Boolean.getBoolean("naap.cli.write")) {
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(DOC)).as("docs/BENCH_CLI.md exists; write it with -Dnaap.cli.write=true")
        .isTrue();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/BENCH_CLI.md is stale: rerun with -Dnaap.cli.write=true").isEqualTo(generated);
    assertThat(generated.lines()).as("lines within .editorconfig's 100")
        .allMatch(l -> l.length() <= 100);
  }
}
