package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/CLI.md is what the commands' declarations generate; {@code -Dnaap.cli.write=true} rewrites
 * it (mvn -pl naap-app test -Dtest=CliDocTest -Dnaap.cli.write=true).
 */
class CliDocTest {

  private static final Path DOC = Path.of("..", "docs", "CLI.md");

  @Test
  void cliMd_isGeneratedFromTheDeclarations() throws Exception {
    String generated = Cli.markdown(
        Cli.commandLine(new PrintWriter(System.out), new PrintWriter(System.err)));
    if (Boolean.getBoolean("naap.cli.write")) {
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(DOC)).as("docs/CLI.md exists; write it with -Dnaap.cli.write=true")
        .isTrue();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/CLI.md is stale: rerun with -Dnaap.cli.write=true").isEqualTo(generated);
    assertThat(generated.lines()).as("lines within .editorconfig's 100")
        .allMatch(l -> l.length() <= 100);
  }
}
