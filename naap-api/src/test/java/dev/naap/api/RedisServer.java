package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code redis-server} on a free loopback port, without persistence. Tests that need it
 * are skipped when it is not installed, unless {@code NAAP_REQUIRE_REDIS} is set (as {@code
 * .ci/run} does): then they fail.
 */
final class RedisServer implements AutoCloseable {

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /** Starts one, or skips the test when none is installed (and none is required). */
  static RedisServer start(Path dir) {
    Path binary = Path.of("/usr/bin/redis-server");
    String missing = "redis-server is not installed (apt-get install redis-server)";
    if (!Files.isExecutable(binary)) {
      assertThat(System.getenv("NAAP_REQUIRE_REDIS")).as(missing).isNull();
      Assumptions.abort(missing);
    }
    RedisServer server = new RedisServer(binary, dir, freePort());
    server.restart();
    return server;
  }

  URI url() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  /** Starts it again on the same port (after {@link #stop()}), empty. */
  void restart() {
    try {
      process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind",
          "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!answers()) {
      assertThat(process.isAlive()).as("redis-server is running").isTrue();
      assertThat(System.nanoTime()).as("redis-server answers within 30 s").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Stops it hard, as a crash would. */
  void stop() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  private boolean answers() {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(1000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[7];
      int n = s.getInputStream().read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
