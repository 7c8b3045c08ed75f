package dev.naap.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Jetty-backed server over raw sockets: error format, caps, read deadlines, exchanges. */
@Timeout(120)
class HttpServersTest {

  private static final ErrorFormat JSON = new ErrorFormat() {
    @Override
    public String contentType() {
      return "application/problem+json";
    }

    @Override
    public byte[] body(int status, String title, String detail) {
      return ("{\"status\":" + status + ",\"title\":\"" + title + "\",\"detail\":\"" + detail
          + "\"}").getBytes(StandardCharsets.UTF_8);
    }
  };

  private HttpServer server;

  private void start(Limits limits) throws IOException {
    server = HttpServers.create("test-http",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits, JSON);
    server.createContext("/", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      byte[] out = ("virtual=" + Thread.currentThread().isVirtual() + " path="
          + ex.getRequestURI().getRawPath() + " query=" + ex.getRequestURI().getRawQuery()
          + " body=" + in.length + " accept=" + ex.getRequestHeaders().getFirst("Accept")
          + " inm=" + ex.getRequestHeaders().getFirst("If-None-Match"))
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain");
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
      } else {
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
      }
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(1);
    }
  }

  @Test
  void handlersRunOnVirtualThreads_withTheRawTarget_andKeepAlive() throws IOException {
    start(Limits.defaults());
    try (Socket s = connect(null)) {
      String two = exchange(s, "GET /a%20b?x=%26y&z=1 HTTP/1.1\r\nHost: h\r\n"
          + "Accept: text/csv;q=0.9, application/json\r\nIf-None-Match: \"a\", W/\"b\"\r\n\r\n"
          + "HEAD /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      assertThat(two).contains("virtual=true path=/a%20b query=x=%26y&z=1 body=0"
          + " accept=text/csv;q=0.9, application/json inm=\"a\", W/\"b\"");
      assertThat(two.split("HTTP/1.1 200", -1)).hasSize(3);
      assertThat(two).doesNotContainIgnoringCase("server:");
    }
  }

  @Test
  void errorsTheServerAnswersItself_areTheSurfacesFormat_namingNoJavaClass() throws IOException {
    start(Limits.defaults());
    String big = "x".repeat(Limits.DEFAULT_MAX_HEADER_BYTES + 10);
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < Limits.DEFAULT_MAX_HEADERS + 5; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    String[][] cases = {
        {"GARBAGE\r\n\r\n", "400"},
        {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", "400"},
        {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -5\r\n\r\n", "400"},
        {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "400"},
        {"GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\n\r\n", "431"},
        {"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n" + many + "\r\n", "431"},
        {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "4|5"},
        {"GET /" + big + " HTTP/1.1\r\nHost: h\r\n\r\n", "414"},
        {"GET /a|b{c} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "400"},
        {"G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "400"},
    };
    for (String[] c : cases) {
      String answer;
      try (Socket s = connect(null)) {
        answer = exchange(s, c[0]);
      }
      assertThat(answer).as(c[0].substring(0, Math.min(60, c[0].length())))
          .containsPattern("^HTTP/1.1 (" + c[1] + ")")
          .containsIgnoringCase("content-type: application/problem+json")
          .containsIgnoringCase("x-content-type-options: nosniff")
          .containsIgnoringCase("content-security-policy: default-src 'none';"
              + " frame-ancestors 'none'")
          .containsPattern("\"detail\":\"[^\"]+\"")
          .doesNotContainPattern("java\\.|jetty|Exception|<html")
          .doesNotContainIgnoringCase("server:");
    }
  }

  @Test
  void oneClientBeyondItsConnectionCap_isClosedAtOnce_whileOthersConnect() throws IOException {
    start(Limits.defaults().withConnections(100, 5));
    InetAddress a = InetAddress.getByName("127.0.0.2");
    InetAddress b = InetAddress.getByName("127.0.0.3");
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        held.add(connect(a));
      }
      sleep(500); // the server opens accepted connections in parallel: let it see these first
      try (Socket sixth = connect(a)) {
        sixth.setSoTimeout(2_000);
        long t0 = System.nanoTime();
        assertThat(sixth.getInputStream().read()).isEqualTo(-1);
        assertThat(System.nanoTime() - t0).isLessThan(1_500_000_000L);
      }
      try (Socket other = connect(b)) {
        assertThat(exchange(other, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))
            .startsWith("HTTP/1.1 200");
      }
      held.removeFirst().close();
      sleep(300);
      try (Socket again = connect(a)) {
        assertThat(exchange(again, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))
            .startsWith("HTTP/1.1 200");
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /** An IPv6 client is its /64, as the API's quotas count it; an IPv4 address is itself. */
  @Test
  void connectionCap_countsAnIPv6ClientByItsSlash64() throws IOException {
    InetAddress one = Clients.of(InetAddress.getByName("2001:db8:1:2::1"));
    InetAddress other = Clients.of(InetAddress.getByName("2001:db8:1:2:ffff:1:2:3"));
    InetAddress next = Clients.of(InetAddress.getByName("2001:db8:1:3::1"));
    assertThat(one).isEqualTo(other).isEqualTo(InetAddress.getByName("2001:db8:1:2::"));
    assertThat(next).isNotEqualTo(one);
    assertThat(Clients.of(InetAddress.getByName("127.0.0.2")))
        .isEqualTo(InetAddress.getByName("127.0.0.2"));
    assertThat(Clients.of(InetAddress.getByName("::ffff:10.0.0.1")))
        .isEqualTo(InetAddress.getByName("10.0.0.1"));
  }

  /** Over IPv6 loopback, where the test host has its one IPv6 address: the cap holds there too. */
  @Test
  void connectionCap_overIPv6() throws IOException {
    InetAddress v6 = InetAddress.getByName("::1");
    try {
      server = HttpServers.create("test-http", new InetSocketAddress(v6, 0),
          Limits.defaults().withConnections(100, 3), JSON);
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback: " + e.getMessage());
    }
    server.createContext("/", ex -> {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(v6, server.getAddress().getPort()), 5_000);
        held.add(s);
      }
      sleep(500);
      try (Socket fourth = new Socket()) {
        fourth.connect(new InetSocketAddress(v6, server.getAddress().getPort()), 5_000);
        fourth.setSoTimeout(2_000);
        assertThat(fourth.getInputStream().read()).isEqualTo(-1);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void totalCap_closesNewConnectionsAtOnce() throws IOException {
    start(Limits.defaults().withConnections(3, 64));
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(connect(InetAddress.getByName("127.0.0." + (10 + i))));
      }
      sleep(500);
      try (Socket fourth = connect(InetAddress.getByName("127.0.0.20"))) {
        fourth.setSoTimeout(2_000);
        assertThat(fourth.getInputStream().read()).isEqualTo(-1);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aClientTricklingHeaderBytes_isClosedWithinTheHeaderDeadline() throws Exception {
    start(Limits.defaults().withDeadlines(Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(30)));
    assertThat(trickle("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ", 200))
        .isBetween(2_000L, 3_300L);
    assertThat(trickle("\r\n", 200)).as("blank lines before a request").isBetween(2_000L, 3_300L);
    // The handler is reading that body when the deadline closes the connection: nobody is left to
    // answer, and that is no fault of the server's to log (as a stack trace, per slow client).
    PrintStream stderr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      assertThat(trickle("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n", 200))
          .as("a body").isBetween(4_000L, 5_300L);
      sleep(500); // the handler's failure, after the close
    } finally {
      System.setErr(stderr);
    }
    assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("WARN", "Exception");
  }

  @Test
  void aBodyLeftUnread_closesTheConnection_andTheResponseSaysSo() throws IOException {
    start(Limits.defaults());
    server.createContext("/refuse", ex -> { // answers without reading the body, as a 405 does
      ex.sendResponseHeaders(405, 2);
      ex.getResponseBody().write("no".getBytes(StandardCharsets.US_ASCII));
      ex.close();
    });
    // 5 MB announced and 100 kB sent (more is on its way when the handler answers), or 10 bytes
    // sent whole: left unread either way.
    for (int announced : new int[] {5_000_000, 10}) {
      try (Socket s = connect(null)) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /refuse HTTP/1.1\r\nHost: h\r\nContent-Length: " + announced
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[Math.min(announced, 100_000)]);
        out.flush();
        String head = head(s.getInputStream());
        assertThat(head).as("%d bytes", announced).startsWith("HTTP/1.1 405")
            .containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(s.getInputStream().readNBytes(2)).isEqualTo("no".getBytes(
            StandardCharsets.US_ASCII));
        assertThat(closed(s)).as("%d bytes", announced).isTrue();
      }
    }
  }

  @Test
  void connect_is501_andTheConnectionClosedAfterIt_neverATunnel() throws IOException {
    start(Limits.defaults());
    try (Socket s = connect(null)) {
      s.setSoTimeout(2_000); // well below the idle timeout: the close must not wait for it
      String connect = "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n";
      s.getOutputStream().write(connect.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String head = head(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 501").containsIgnoringCase("\r\nconnection: close\r\n");
      int length =
          Integer.parseInt(head.replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
      s.getInputStream().readNBytes(length);
      assertThat(closed(s)).isTrue();
    }
  }

  @Test
  void aBodyReadToItsEnd_keepsTheConnection() throws IOException {
    start(Limits.defaults());
    try (Socket s = connect(null)) {
      String post = "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
      String chunked = "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3\r\nabc\r\n0\r\n\r\n";
      String two = exchange(s, post + chunked
          + "GET /p HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      assertThat(two.split("HTTP/1.1 200", -1)).hasSize(4);
      assertThat(two).contains("body=5").contains("body=3");
      assertThat(two.toLowerCase(java.util.Locale.ROOT).split("connection: close", -1))
          .hasSize(2); // the last response only, which the client asked to close
    }
  }

  @Test
  void stop_letsARequestInFlightFinish() throws Exception {
    start(Limits.defaults());
    server.removeContext("/");
    server.createContext("/", ex -> {
      sleep(500);
      ex.sendResponseHeaders(200, 2);
      ex.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
      ex.close();
    });
    try (Socket s = connect(null)) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(
          StandardCharsets.US_ASCII));
      sleep(100);
      long t0 = System.nanoTime();
      server.stop(3);
      server = null;
      assertThat(System.nanoTime() - t0).isLessThan(3_500_000_000L);
      s.setSoTimeout(5_000);
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 200").endsWith("ok");
    }
  }

  /**
   * A client that closes its connection while its handler waits interrupts the handler: a
   * statement it waits on is cancelled, not run to its end for nobody.
   */
  @Test
  void aClientThatHangsUp_interruptsItsHandler() throws Exception {
    start(Limits.defaults());
    server.removeContext("/");
    java.util.concurrent.CompletableFuture<Long> interruptedAt =
        new java.util.concurrent.CompletableFuture<>();
    server.createContext("/", ex -> {
      if (ex.getRequestURI().getPath().equals("/fast")) {
        ex.sendResponseHeaders(204, -1);
        ex.close();
        return;
      }
      try {
        Thread.sleep(20_000);
        interruptedAt.complete(-1L);
      } catch (InterruptedException e) {
        interruptedAt.complete(System.nanoTime());
      }
      ex.close();
    });
    long closedAt;
    try (Socket s = connect(null)) {
      // Requests on a kept-alive connection, the slow one right after another's answer.
      for (int i = 0; i < 20; i++) {
        s.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(
            StandardCharsets.US_ASCII));
        s.setSoTimeout(5_000);
        assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 204");
      }
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(
          StandardCharsets.US_ASCII));
      sleep(500);
      closedAt = System.nanoTime();
    }
    long at = interruptedAt.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(at).as("interrupted, not slept to its end").isNotEqualTo(-1L);
    assertThat((at - closedAt) / 1_000_000).as("ms from the close to the interrupt")
        .isBetween(0L, 1_500L);
  }

  /**
   * A client that leaves while its large answer is being written, at its pace: nobody is left to
   * answer, and that is no fault of the server's to log (as a stack trace, per client).
   */
  @Test
  void aClientThatLeavesDuringItsAnswer_isNoWarning() throws Exception {
    start(Limits.defaults());
    server.removeContext("/");
    byte[] big = new byte[16 << 20];
    java.util.concurrent.CompletableFuture<Throwable> failed =
        new java.util.concurrent.CompletableFuture<>();
    server.createContext("/", ex -> {
      ex.sendResponseHeaders(200, big.length);
      try {
        ex.getResponseBody().write(big);
        failed.complete(null);
      } catch (IOException | RuntimeException e) {
        failed.complete(e);
        throw e;
      } finally {
        ex.close();
      }
    });
    PrintStream stderr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      try (Socket s = new Socket()) {
        s.setReceiveBufferSize(64 << 10);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress()
            .getPort()), 5_000);
        s.setSoTimeout(5_000);
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(
            StandardCharsets.US_ASCII));
        assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
        sleep(300); // the handler waits in its write
      }
      assertThat(failed.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the write failed")
          .isNotNull();
      sleep(500); // what is logged after the handler
    } finally {
      System.setErr(stderr);
    }
    assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("WARN", "Exception");
  }

  /**
   * A keep-alive connection waiting between requests is closed when the stop begins. Jetty alone
   * waits for it to be idle for its shutdown idle timeout (1 s), on every stop of a server a
   * browser or a load balancer keeps a connection to.
   */
  @Test
  void stop_closesAnIdleKeepAliveConnectionAtOnce() throws Exception {
    start(Limits.defaults());
    try (Socket s = connect(null)) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(
          StandardCharsets.US_ASCII));
      s.setSoTimeout(5_000);
      InputStream in = s.getInputStream();
      String head = "";
      while (!head.endsWith("\r\n\r\n")) {
        head += (char) in.read();
      }
      assertThat(head).startsWith("HTTP/1.1 200");
      long t0 = System.nanoTime();
      server.stop(3);
      server = null;
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to stop").isLessThan(700);
      in.readAllBytes(); // the body's rest, then the end: the server closed it
    }
  }

  /** Sends {@code start} then one byte every {@code everyMs}; ms until the server closes. */
  private long trickle(String start, long everyMs) throws IOException {
    try (Socket s = connect(null)) {
      OutputStream out = s.getOutputStream();
      long t0 = System.nanoTime();
      out.write(start.getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout((int) everyMs);
      InputStream in = s.getInputStream();
      while (System.nanoTime() - t0 < 20_000_000_000L) {
        try {
          out.write(start.endsWith("\r\n\r\n") ? 'x' : start.equals("\r\n") ? '\n' : 'a');
          out.flush();
        } catch (IOException e) {
          break;
        }
        try {
          if (in.read() == -1) {
            break;
          }
          // A response (such as 408): read to its end.
          in.readAllBytes();
          break;
        } catch (SocketTimeoutException e) {
          // still open
        } catch (IOException e) {
          break;
        }
      }
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }

  private Socket connect(InetAddress from) throws IOException {
    Socket s = new Socket();
    if (from != null) {
      s.bind(new InetSocketAddress(from, 0));
    }
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        server.getAddress().getPort()), 5_000);
    return s;
  }

  /** Reads a response's status line and header fields, up to the empty line. */
  private static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** Whether the server has closed {@code s}: end of stream or a reset, no more bytes. */
  private static boolean closed(Socket s) throws IOException {
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static String exchange(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    s.setSoTimeout(10_000);
    try {
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "(reset) " + e.getMessage();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
