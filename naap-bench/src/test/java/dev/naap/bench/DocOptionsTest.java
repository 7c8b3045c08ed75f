package dev.naap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.app.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * What the docs say about the command line, checked against the declarations of both command
 * trees: {@code naap} (naap-app) and {@code naap bench} (here, the module that sees both).
 */
class DocOptionsTest {

  private static final Path ROOT = Path.of("..");
  /** Options of other programs the docs quote: curl, Kafka's tools, Prettier, the JVM, … */
  private static final Set<String> FOREIGN = Set.of("--max-time", "--to-datetime",
      "--reset-offsets", "--now", "--enable-native-access", "--describe", "--bootstrap-server",
      "--backups", "--write");
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
  private static final Pattern PORT_ROW = Pattern.compile("^\\| (\\d+) \\| `naap ([a-z -]+)` \\|");

  private final CommandLine root =
      Cli.commandLine(new PrintWriter(System.out), new PrintWriter(System.err));
  private final CommandLine bench = Bench.commandLine(System.out, System.err);

  private List<CommandLine> commands() {
    List<CommandLine> all = new ArrayList<>();
    Stream.of(root, bench).flatMap(r -> r.getSubcommands().values().stream()).forEach(c -> {
      all.add(c);
      all.addAll(c.getSubcommands().values());
    });
    return all;
  }

  private static List<Path> docs() throws IOException {
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      return Stream.concat(Stream.of(ROOT.resolve("README.md")),
          docs.filter(p -> p.toString().endsWith(".md"))
              .filter(p -> !p.getFileName().toString().endsWith("CLI.md")) // generated
              .filter(p -> !p.toString().contains("/adr/"))) // decisions keep their history
          .sorted().toList();
    }
  }

  @Test
  void everyOptionTheDocsName_exists() throws IOException {
    Set<String> known = new HashSet<>(FOREIGN);
    for (CommandLine c : commands()) {
      c.getCommandSpec().options().forEach(o -> known.addAll(List.of(o.names())));
    }
    List<String> unknown = new ArrayList<>();
    for (Path doc : docs()) {
      List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = OPTION.matcher(lines.get(i));
        while (m.find()) {
          if (!known.contains(m.group())) {
            unknown.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    assertThat(unknown).as("options the docs name that no command declares").isEmpty();
  }

  @Test
  void thePortTable_matchesTheDeclaredDefaults() throws IOException {
    List<String> rows = Files.readAllLines(ROOT.resolve("docs/OPERATIONS.md")).stream()
        .filter(l -> PORT_ROW.matcher(l).find()).toList();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(7);
    for (String row : rows) {
      Matcher m = PORT_ROW.matcher(row);
      m.find();
      CommandLine command = root;
      for (String name : m.group(2).split(" ")) {
        command = command.getSubcommands().get(name);
      }
      List<String> ports = command.getCommandSpec().options().stream()
          .filter(o -> o.longestName().endsWith("-port"))
          .map(OptionSpec::initialValue).map(String::valueOf).toList();
      assertThat(ports).as(row).contains(m.group(1));
    }
  }
}
