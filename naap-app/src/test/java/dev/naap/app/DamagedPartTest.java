package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part of the store damaged on disk (a data file truncated, as a full disk or a crash of the
 * machine can leave it): the engine sets it aside when it opens the store, and its rows are no
 * longer read. It says so only in its own log, which is not shown; NaaP names the part in a
 * warning when it opens the store, so that the operator restores or ingests it again.
 */
class DamagedPartTest {

  @TempDir Path dir;

  @Test
  void truncatedPart_isNamedInAWarningWhenTheStoreOpens() throws Exception {
    Path events = dir.resolve("events.ndjson");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      lines.add("{\"id\":\"" + new UUID(7, i) + "\",\"type\":\"ai_stream_status\",\"timestamp\":\""
          + (1767908955609L + i) + "\",\"gateway\":\"gw-1\",\"data\":{\"type\":\"status\","
          + "\"stream_id\":\"stream-" + (i % 50) + "\",\"request_id\":\"req-" + (i % 50) + "\","
          + "\"pipeline\":\"streamdiffusion\",\"state\":\"ONLINE\",\"timestamp\":"
          + (1767908955609L + i) + ",\"inference_status\":{\"fps\":" + (10 + i % 20) + ".5}}}");
    }
    Files.write(events, lines, StandardCharsets.UTF_8);
    String store = dir.resolve("store").toString();
    assertThat(ChildJvm.run(dir, "import", "--data-dir", store, events.toString()).exitCode())
        .isZero();
    var parts = ChildJvm.run(dir, "sql", "--data-dir", store,
        "SELECT name, path FROM system.parts WHERE database = 'naap' AND table = 'raw_events'"
            + " AND active");
    assertThat(parts.stdout().lines().toList()).hasSize(1);
    String[] part = parts.stdout().strip().split("\t");
    Path largest;
    try (var files = Files.list(Path.of(part[1]))) {
      largest = files.filter(f -> f.getFileName().toString().endsWith(".bin"))
          .max(Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
    }
    try (FileChannel f = FileChannel.open(largest, StandardOpenOption.WRITE)) {
      f.truncate(f.size() / 2);
    }
    Files.deleteIfExists(dir.resolve("run.err"));

    var count = ChildJvm.run(dir, "sql", "--data-dir", store, "SELECT count() FROM raw_events");

    assertThat(count.exitCode()).isZero();
    assertThat(count.stdout().strip()).as("the damaged part's rows are set aside").isEqualTo("0");
    assertThat(Files.readString(dir.resolve("run.err"), StandardCharsets.UTF_8))
        .contains("damaged part(s)").contains("raw_events/broken-on-start_" + part[0]);
  }
}
