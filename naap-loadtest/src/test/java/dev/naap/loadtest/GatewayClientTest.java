package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway client against loopback gateways that answer badly: every call ends in time. */
@Timeout(30)
class GatewayClientTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private URI serve(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", handler);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Headers and the start of a body, then nothing until the test ends. */
  private void stallMidBody(com.sun.net.httpserver.HttpExchange ex) throws IOException {
    stallMidBody(ex, release);
  }

  /** Headers and the start of a body, then nothing until {@code release}. */
  static void stallMidBody(com.sun.net.httpserver.HttpExchange ex, CountDownLatch release)
      throws IOException {
    byte[] start = "{\"state\": \"ONLI".getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 1_000);
    OutputStream out = ex.getResponseBody();
    out.write(start);
    out.flush();
    try {
      release.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void capabilities_areAskedOfTheCliServer_everythingElseOfTheHttpPort() throws Exception {
    List<String> cliPaths = new CopyOnWriteArrayList<>();
    List<String> httpPaths = new CopyOnWriteArrayList<>();
    try (ScriptedGateway cli = new ScriptedGateway((m, path, body, n) -> {
          cliPaths.add(path);
          return ScriptedGateway.Answer.json("{\"orchestrators\": []}");
        });
        ScriptedGateway http = new ScriptedGateway((m, path, body, n) -> {
          httpPaths.add(path);
          return new ScriptedGateway.Answer(404, "");
        })) {
      GatewayClient client = new GatewayClient(http.url(), cli.url(), Duration.ofMillis(500),
          Duration.ofSeconds(2));
      assertThat(client.capabilities().path("orchestrators").isArray()).isTrue();
      assertThat(client.status("s")).isNull();
      assertThat(cliPaths).containsExactly("/getNetworkCapabilities");
      assertThat(httpPaths).containsExactly("/live/video-to-video/s/status");
    }
    // go-livepeer's default: the gateway's host, the CLI port.
    assertThat(GatewayClient.defaultCli(URI.create("https://gw.example:8935/")))
        .isEqualTo(URI.create("http://gw.example:7935"));
  }

  @Test
  void aGatewayThatStallsMidBody_isATimeoutAtTheRequestTimeout() throws Exception {
    GatewayClient client = new GatewayClient(serve(this::stallMidBody), Duration.ofMillis(500),
        Duration.ofMillis(500));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> client.status("s"))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.TIMEOUT))
        .hasMessageContaining("no answer within PT0.5S");
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(tookMs).isBetween(400L, 3_000L);
  }

  @Test
  void anAnswerOverTheLimit_isRefusedWhileItIsRead() throws Exception {
    GatewayClient client = new GatewayClient(serve(ex -> {
      ex.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) ' ');
      try (OutputStream out = ex.getResponseBody()) {
        for (long sent = 0; sent <= 2 * GatewayClient.MAX_BODY_BYTES; sent += chunk.length) {
          out.write(chunk);
        }
      } catch (IOException e) {
        // The client hung up at its limit.
      }
    }), Duration.ofMillis(500), Duration.ofSeconds(10));
    assertThatThrownBy(() -> client.status("s"))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.GATEWAY_UNAVAILABLE));
  }
}
