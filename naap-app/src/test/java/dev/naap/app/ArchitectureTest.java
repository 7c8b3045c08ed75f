package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module picture of docs/ARCHITECTURE.md, checked on the source tree: the query layer is the
 * API's only door to the store, the load tester is a producer beside the scraper, and the module
 * graph is at most four levels deep between the store (or the event contract) and the app.
 */
class ArchitectureTest {

  /** The repository: surefire runs in the module's directory, one below it. */
  private static final Path ROOT =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern NAAP_ARTIFACT =
      Pattern.compile("<groupId>dev\\.naap</groupId>\\s*<artifactId>([^<]+)</artifactId>");
  private static final int MAX_LEVELS = 4;

  @Test
  void api_usesNoStoreType() {
    assertThat(filesNaming("naap-api", "dev.naap.store")).isEmpty();
  }

  @Test
  void loadtest_usesNoApiType() {
    assertThat(filesNaming("naap-loadtest", "dev.naap.api")).isEmpty();
  }

  @Test
  void moduleGraph_hasAtMostFourLevelsBetweenTheStoreAndTheApp() {
    Map<String, List<String>> graph = moduleGraph();
    assertThat(graph).containsKeys("naap-app", "naap-store", "naap-events");
    assertThat(graph.get("naap-loadtest")).doesNotContain("naap-api", "naap-metrics");
    assertThat(levels(graph, "naap-app", "naap-store")).isLessThanOrEqualTo(MAX_LEVELS);
    assertThat(levels(graph, "naap-app", "naap-events")).isLessThanOrEqualTo(MAX_LEVELS);
  }

  /** The main source files of {@code module} that name anything in package {@code prefix}. */
  private static List<Path> filesNaming(String module, String prefix) {
    Path sources = ROOT.resolve(module).resolve("src/main/java");
    assertThat(sources).isDirectory();
    try (Stream<Path> files = Files.walk(sources)) {
      return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          String text = Files.readString(p);
          return text.contains(prefix + ".") || text.contains(prefix + ";");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each module and the NaaP modules its main code depends on (test scope left out). */
  private static Map<String, List<String>> moduleGraph() {
    Map<String, List<String>> graph = new HashMap<>();
    Matcher modules = MODULE.matcher(read(ROOT.resolve("pom.xml")));
    while (modules.find()) {
      String module = modules.group(1);
      List<String> uses = new ArrayList<>();
      Matcher deps = DEPENDENCY.matcher(read(ROOT.resolve(module).resolve("pom.xml")));
      while (deps.find()) {
        Matcher artifact = NAAP_ARTIFACT.matcher(deps.group(1));
        if (artifact.find() && !deps.group(1).contains("<scope>test</scope>")) {
          uses.add(artifact.group(1));
        }
      }
      graph.put(module, uses);
    }
    return graph;
  }

  /** The most dependency edges on a path from {@code from} down to {@code to}; -1 when none. */
  private static int levels(Map<String, List<String>> graph, String from, String to) {
    if (from.equals(to)) {
      return 0;
    }
    int most = -1;
    for (String next : graph.getOrDefault(from, List.of())) {
      int below = levels(graph, next, to);
      if (below >= 0) {
        most = Math.max(most, below + 1);
      }
    }
    return most;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
