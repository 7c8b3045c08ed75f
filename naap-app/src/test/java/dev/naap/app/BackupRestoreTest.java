package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.sim.FileSink;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code naap backup} and {@code naap restore}, as an operator runs them: a store filled by an
 * import of a simulated network is backed up, wiped and restored, and every API answer is
 * byte-identical to the one before the backup (but for {@code meta.generated_at}, the time of the
 * request). A store that holds events is not overwritten
 * without {@code --replace}.
 */
class BackupRestoreTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void backupWipeRestore_givesByteIdenticalApiAnswers() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    Path events = dir.resolve("events.ndjson");
    Path data = dir.resolve("data");
    Path backup = dir.resolve("backups").resolve("first");
    try (FileSink sink = new FileSink(events)) {
      new Simulator(
              SimConfig.builder()
                  .seed(5)
                  .startMs(start.toEpochMilli())
                  .duration(Duration.ofHours(1))
                  .build())
          .run(sink, Pacer.none());
    }
    assertThat(
            ChildJvm.run(dir, "import", "--data-dir", data.toString(), events.toString())
                .exitCode())
        .isZero();

    String range = "start=" + start + "&end=" + start.plus(Duration.ofHours(2));
    List<String> paths = List.of(
        "/v1/network/overview?" + range,
        "/v1/gpu/metrics?" + range + "&granularity=1h",
        "/v1/gpu/metrics?" + range + "&granularity=5m&limit=500",
        "/v1/network/demand?" + range + "&granularity=1h&group_by=gateway",
        "/v1/network/demand?" + range + "&granularity=1m&limit=500",
        "/v1/sla/compliance?" + range + "&sort=-compliance_rate",
        "/v1/gpu/metrics?" + range + "&granularity=1h&format=csv",
        "/v1/orchestrators?" + range,
        "/v1/test-load/results?" + range);
    Map<String, String> before = answers(data, paths);
    assertThat(before.get(paths.get(1))).contains("streamdiffusion");

    ChildJvm.Result backedUp =
        ChildJvm.run(dir, "backup", "--data-dir", data.toString(), "--to", backup.toString());
    assertThat(backedUp.exitCode()).isZero();
    assertThat(backedUp.stdout()).contains("BACKUP_CREATED");
    assertThat(backup.resolve(".backup")).isRegularFile();
    // A second backup into the same directory is refused.
    assertThat(
            ChildJvm.run(dir, "backup", "--data-dir", data.toString(), "--to", backup.toString())
                .exitCode())
        .isEqualTo(1);

    // A store with events is not replaced by accident.
    assertThat(
            ChildJvm.run(dir, "restore", "--data-dir", data.toString(), "--from", backup.toString())
                .exitCode())
        .isEqualTo(1);

    wipe(data);
    ChildJvm.Result restored =
        ChildJvm.run(dir, "restore", "--data-dir", data.toString(), "--from", backup.toString());
    assertThat(restored.exitCode()).isZero();
    assertThat(restored.stdout()).contains("RESTORED");
    Map<String, String> after = answers(data, paths);
    for (String path : paths) {
      assertThat(after.get(path)).as(path).isEqualTo(before.get(path));
    }

    // Restoring over the live data works with --replace and changes nothing either.
    assertThat(
            ChildJvm.run(
                    dir,
                    "restore",
                    "--data-dir",
                    data.toString(),
                    "--from",
                    backup.toString(),
                    "--replace")
                .exitCode())
        .isZero();
    assertThat(answers(data, paths)).isEqualTo(before);
  }

  /** The body of each path, from a {@code naap serve} on {@code data}. */
  private Map<String, String> answers(Path data, List<String> paths) throws Exception {
    int port = Ports.free();
    // One secret for both servers: paging cursors are signed with it.
    Process serve =
        ChildJvm.start(
            dir.resolve("serve.log"),
            "serve",
            "--data-dir",
            data.toString(),
            "--port",
            Integer.toString(port),
            "--secret",
            "backup-restore-test-secret");
    try {
      String base = "http://127.0.0.1:" + port;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!healthy(base)) {
        assertThat(System.nanoTime()).as("naap serve starts").isLessThan(deadline);
        assertThat(serve.isAlive()).as("naap serve runs").isTrue();
        Thread.sleep(200);
      }
      Map<String, String> bodies = new LinkedHashMap<>();
      for (String path : paths) {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        // meta.generated_at is when the request was answered, the one field that is not data.
        bodies.put(
            path, r.body().replaceAll("\"generated_at\":\"[^\"]*\"", "\"generated_at\":\"…\""));
      }
      return bodies;
    } finally {
      serve.destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static boolean healthy(String base) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void wipe(Path data) throws IOException {
    try (Stream<Path> files = Files.walk(data)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertThat(data).doesNotExist();
  }
}
