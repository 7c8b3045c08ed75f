package dev.naap.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.http.Limits;
import dev.naap.http.RawHttp;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The facade's connection layer over raw sockets: errors the server answers itself are the
 * facade's plain text, one address is capped, and slow clients are cut off at the deadlines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ClickHouseHttpConnectionTest {
  private static final String AUTH = "Authorization: Basic "
      + Base64.getEncoder().encodeToString("default:pw".getBytes()) + "\r\n";
  private Store store;
  private ClickHouseHttpServer server;

  @BeforeAll
  void start() {
    store = TestEngine.store("facade_conn");
    server = new ClickHouseHttpServer(store, ClickHouseHttpServer.Config.loopback(0, "pw"))
        .connectionLimits(Limits.defaults().withConnections(1_000, 8).withDeadlines(
            Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30)))
        .start();
  }

  @AfterAll
  void stop() {
    server.stop();
    store.close();
  }

  @Test
  void errorsTheServerAnswersItself_arePlainText_namingNoJavaClass() throws Exception {
    String big = "x".repeat(Limits.DEFAULT_MAX_HEADER_BYTES + 10);
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= Limits.DEFAULT_MAX_HEADERS; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    String[][] cases = {
      {"GARBAGE\r\n\r\n", "400"},
      {"POST / HTTP/1.1\r\nHost: h\r\n" + AUTH + "Content-Length: abc\r\n\r\n", "400"},
      {"POST / HTTP/1.1\r\nHost: h\r\n" + AUTH + "Content-Length: -5\r\n\r\n", "400"},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "400"},
      {"GET /ping HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\n\r\n", "431"},
      {"GET /ping HTTP/1.1\r\nHost: h\r\nConnection: close\r\n" + many + "\r\n", "431"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "400|501"},
      {"GET /?query=" + big + " HTTP/1.1\r\nHost: h\r\n\r\n", "414"},
      {"GET /?query=a|b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "400"},
      {"BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + "Connection: close\r\n\r\n", "405"},
      {"G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "400"},
    };
    for (String[] c : cases) {
      String answer = RawHttp.exchange(server.port(), null, c[0]);
      assertThat(answer)
          .as(c[0].substring(0, Math.min(60, c[0].length())))
          .containsPattern("^HTTP/1.1 (" + c[1] + ") ")
          .containsIgnoringCase("content-type: text/plain; charset=UTF-8")
          .doesNotContainPattern("(?i)java\\.|jetty|exception|<html|\\bat [a-z]+\\.")
          .doesNotContainIgnoringCase("\nserver:");
    }
  }

  @Test
  void oneAddressBeyondItsConnectionCap_isRefusedAtOnce_whileOthersAreServed() throws Exception {
    List<Socket> held = new ArrayList<>();
    String ping = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    try {
      for (int i = 0; i < 8; i++) {
        held.add(RawHttp.connect(server.port(), "127.0.3.1"));
      }
      // The server opens accepted connections in parallel: let it see these first.
      Thread.sleep(500);
      long t0 = System.nanoTime();
      assertThat(RawHttp.exchange(server.port(), "127.0.3.1", ping)).as("the 9th").isEmpty();
      assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
      assertThat(RawHttp.exchange(server.port(), "127.0.3.2", ping)).startsWith("HTTP/1.1 200")
          .endsWith("Ok.\n");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /**
   * A result waits in the heap until its client has read it: clients that do not read hold
   * theirs. Results being sent are bounded in bytes; one that does not fit is 503 (code 202),
   * while a small one is still answered, and the bytes come back when the readers leave.
   */
  @Test
  void resultsBeingSent_areBoundedInBytes_againstClientsThatDoNotRead() throws Exception {
    String big = "GET /?query=" + java.net.URLEncoder.encode(
        "SELECT repeat('x', 1000) FROM numbers(40000)", java.nio.charset.StandardCharsets.UTF_8)
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + "\r\n";
    try (ClickHouseHttpServer bounded = new ClickHouseHttpServer(store,
        ClickHouseHttpServer.Config.loopback(0, "pw")).sendingBytes(100L << 20).start()) {
      List<Socket> readers = new ArrayList<>();
      List<String> statuses = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket s = RawHttp.connect(bounded.port(), "127.0.4." + (i + 1));
          s.getOutputStream().write(big.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          s.setSoTimeout(20_000);
          statuses.add(new String(s.getInputStream().readNBytes(12),
              java.nio.charset.StandardCharsets.US_ASCII));
          readers.add(s); // reads no more
        }
        assertThat(statuses).containsExactly("HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 503");
        assertThat(RawHttp.exchange(bounded.port(), null, "GET /?query=SELECT%2042 HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n" + AUTH + "Connection: close\r\n\r\n")).endsWith("\r\n42\n");
      } finally {
        for (Socket s : readers) {
          s.close();
        }
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      String again = "";
      while (!again.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
        Thread.sleep(200);
        again = RawHttp.exchange(bounded.port(), null, big.replace("\r\n\r\n",
            "\r\nConnection: close\r\n\r\n"));
      }
      assertThat(again).as("a big result once the readers left").startsWith("HTTP/1.1 200");
      assertThat(again.length()).isGreaterThan(40_000_000);
    }
  }

  /**
   * An address may hold a quarter of the results being sent: one that holds its share with
   * results it does not read gets 503 (code 202) for its next, and another address's large result
   * is still sent (before, one address could hold the whole budget).
   */
  @Test
  void oneAddressHoldingItsShare_getsA503_whileAnotherAddressGetsItsResult() throws Exception {
    String big = "GET /?query=" + java.net.URLEncoder.encode(
        "SELECT repeat('x', 1000) FROM numbers(10000)", java.nio.charset.StandardCharsets.UTF_8)
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH + "Connection: close\r\n\r\n";
    int size = 10_010_000;
    long budget = 100L << 20; // a share of 25 MiB: two of these results
    try (ClickHouseHttpServer bounded = new ClickHouseHttpServer(store,
        ClickHouseHttpServer.Config.loopback(0, "pw")).sendingBytes(budget).start()) {
      List<Socket> unread = new ArrayList<>();
      List<String> heads = new ArrayList<>();
      try {
        // As many as would fill the whole budget, all from one address, none read.
        for (int i = 0; i < budget / size; i++) {
          Socket s = new Socket();
          unread.add(s);
          s.setReceiveBufferSize(64 << 10); // before the connection: a small window
          s.bind(new java.net.InetSocketAddress("127.0.4.10", 0));
          s.connect(new java.net.InetSocketAddress("127.0.0.1", bounded.port()), 5_000);
          s.setSoTimeout(20_000);
          s.getOutputStream().write(big.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          heads.add(new String(s.getInputStream().readNBytes(1_000),
              java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        assertThat(heads).hasSize(10).extracting(h -> h.substring(0, 12)).containsExactly(
            "HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 503", "HTTP/1.1 503", "HTTP/1.1 503",
            "HTTP/1.1 503", "HTTP/1.1 503", "HTTP/1.1 503", "HTTP/1.1 503", "HTTP/1.1 503");
        assertThat(heads.get(2)).containsPattern("(?i)X-ClickHouse-Exception-Code: 202")
            .contains("does not fit beside the results being sent to this address");
        String other = RawHttp.exchange(bounded.port(), "127.0.4.11", big);
        assertThat(other).as("another address's large result").startsWith("HTTP/1.1 200");
        assertThat(other.length()).isGreaterThan(size);
      } finally {
        for (Socket s : unread) {
          s.close();
        }
      }
    }
  }

  @Test
  void aClientTricklingHeaderOrBodyBytes_isClosedWithinTheDeadline() throws Exception {
    assertThat(RawHttp.trickle(server.port(), "GET /ping HTTP/1.1\r\nHost: h\r\nX: "))
        .isBetween(2_000L, 3_500L);
    assertThat(RawHttp.trickle(server.port(), "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTH
        + "Content-Length: 100000\r\n\r\nSELECT ")).as("a trickling body").isBetween(3_000L, 4_500L);
    assertThat(RawHttp.exchange(server.port(), null,
        "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).endsWith("Ok.\n");
  }
}
