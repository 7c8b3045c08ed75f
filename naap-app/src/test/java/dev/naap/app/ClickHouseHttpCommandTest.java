package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code naap clickhouse-http} as a user runs it: a generated password printed once and kept
 * owner-only in the data directory, authentication, and engine-enforced read-only SQL.
 */
class ClickHouseHttpCommandTest {

  private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)");

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void generatedPassword_isPrintedOnce_keptOwnerOnly_andRequired() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("first.log");
    Process p =
        ChildJvm.start(log, "clickhouse-http", "--port", "0", "--data-dir", data.toString());
    String password;
    try {
      URI url = awaitUrl(p, log);
      Path file = data.resolve(FacadePassword.FILE);
      password = Files.readString(file).strip();
      assertThat(password).hasSizeGreaterThanOrEqualTo(24);
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readString(log)).contains(password);

      assertThat(send(url, "SELECT 1", null).statusCode()).isEqualTo(401);
      assertThat(send(url, "SELECT 1", "wrong").statusCode()).isEqualTo(401);
      assertThat(send(url, "SELECT 1", password).body()).isEqualTo("1\n");
      HttpResponse<String> file1 =
          send(url, "SELECT * FROM file('/etc/passwd', 'LineAsString')", password);
      assertThat(file1.statusCode()).isEqualTo(403);
      assertThat(file1.body()).doesNotContain("root:");
      assertThat(send(url, "CREATE TABLE t (a UInt8) ENGINE = Memory", password).statusCode())
          .isEqualTo(403);
      assertThat(send(url, "EXISTS TABLE t", password).body()).isEqualTo("0\n");
    } finally {
      stop(p);
    }
    // Started again: the kept password still works and is not printed again.
    Path second = dir.resolve("second.log");
    Process again =
        ChildJvm.start(second, "clickhouse-http", "--port", "0", "--data-dir", data.toString());
    try {
      URI url = awaitUrl(again, second);
      assertThat(send(url, "SELECT 2", password).body()).isEqualTo("2\n");
      assertThat(Files.readString(second)).doesNotContain(password).contains(FacadePassword.FILE);
    } finally {
      stop(again);
    }
  }

  private HttpResponse<String> send(URI url, String sql, String password) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve("/?query=" + URLEncoder.encode(sql,
        StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30));
    if (password != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          ("default:" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI awaitUrl(Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      Matcher m = URL.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        return URI.create(m.group(1));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("naap clickhouse-http did not start; see " + log + ":\n"
        + (Files.exists(log) ? Files.readString(log) : ""));
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }
}
