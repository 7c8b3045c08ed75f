package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.http.Limits;
import dev.naap.http.RawHttp;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The attacks of issue 13 on the API, over real HTTP. */
class ApiSecurityTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-08T12:00:30Z"));
  private final FakeQueries queries = new FakeQueries(2_000);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private ApiServer server;
  private Http http;

  private void start(ApiConfig config) {
    start(config, Limits.defaults());
  }

  private void start(ApiConfig config, Limits limits) {
    server = new ApiServer(config.withAddress("127.0.0.1", 0), queries, DatasetCatalog.empty(),
        () -> new Readiness.Status(true, Map.of()), registry, clock)
        .mount("/", "dev/naap/api/site/").connectionLimits(limits).start();
    http = new Http(server.url());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void threeThousandWrongKeys_spendTheAddressQuotaAndAreRefusedFast() {
    start(ApiConfig.defaults().withQuotas(100, Map.of("the-real-key-0123", 1_000), 300));
    int unauthorized = 0;
    int refused = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < 3_000; i++) {
      int status =
          http.get("/v1/gpu/metrics?limit=1", "X-API-Key", UUID.randomUUID().toString()).status();
      if (status == 401) {
        unauthorized++;
      } else if (status == 429) {
        refused++;
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("3000 wrong keys: %d x 401, %d x 429 in %d ms%n", unauthorized, refused, ms);
    assertThat(unauthorized).isEqualTo(100);
    assertThat(refused).isEqualTo(2_900);
    assertThat(http.get("/v1/gpu/metrics?limit=1").status())
        .as("the address's own quota")
        .isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-API-Key", "the-real-key-0123").status())
        .isEqualTo(200);
    assertThat(queries.runs.get()).as("store queries caused by wrong keys").isEqualTo(1);
  }

  @Test
  void spoofedForwardedFor_fromAnUntrustedPeer_isIgnored() {
    start(ApiConfig.defaults().withQuotas(100, Map.of(), 300));
    int ok = 0;
    for (int i = 0; i < 500; i++) {
      String spoof = "10." + (i >> 8) + "." + (i & 255) + ".1";
      if (http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", spoof).status() == 200) {
        ok++;
      }
    }
    assertThat(ok).as("500 spoofed addresses share the peer's one quota").isEqualTo(100);
  }

  @Test
  void forwardedFor_fromATrustedProxy_isTheRightmostUntrustedHop_andGarbageIsThePeer() {
    start(
        ApiConfig.defaults()
            .withQuotas(1, Map.of(), 300)
            .withTrustedProxies(List.of("127.0.0.1", "10.0.0.0/8")));
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "9.9.9.9").status())
        .isEqualTo(200);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "9.9.9.9").status())
        .isEqualTo(429);
    // A client writing hops to the left of its own address gains nothing.
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "1.1.1.1, 9.9.9.9").status())
        .isEqualTo(429);
    // A chain of trusted proxies is walked through to the first untrusted hop.
    assertThat(
            http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "1.1.1.1, 9.9.9.9, 10.1.2.3")
                .status())
        .isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "9.9.9.9, 8.8.8.8").status())
        .isEqualTo(200);
    // Garbage: the proxy's own address is the client.
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "not-an-address").status())
        .isEqualTo(200);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "<script>").status())
        .isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "").status()).isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics?limit=1").status()).isEqualTo(429);
  }

  /**
   * An IPv6 subscriber gets a /64: counted per address, each of its 2^64 addresses had a quota of
   * its own (measured: 100 addresses of one /64 through a trusted proxy, 100 answers at quota 1).
   */
  @Test
  void ipv6Clients_countByTheirSlash64_notByAddress() {
    start(ApiConfig.defaults().withQuotas(1, Map.of(), 300)
        .withTrustedProxies(List.of("127.0.0.1")));
    int ok = 0;
    for (int i = 1; i <= 100; i++) {
      String hop = "2001:db8:1:2:" + Integer.toHexString(i) + "::" + Integer.toHexString(i);
      if (http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", hop).status() == 200) {
        ok++;
      }
    }
    assertThat(ok).as("100 addresses of one /64 share its quota").isEqualTo(1);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "[2001:db8:1:2::ffff]")
        .status()).isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "2001:db8:1:3::1")
        .status()).as("the next /64").isEqualTo(200);
    // IPv4 clients stay one each, written plain or IPv4-mapped.
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "9.9.9.9").status())
        .isEqualTo(200);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "::ffff:9.9.9.9")
        .status()).isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics?limit=1", "X-Forwarded-For", "9.9.9.10").status())
        .isEqualTo(200);
    assertThat(ClientResolver.network("2001:db8:a:b:c:d:e:f")).isEqualTo("2001:db8:a:b::/64");
    assertThat(ClientResolver.network("::1")).isEqualTo("0:0:0:0::/64");
    assertThat(ClientResolver.network("9.9.9.9")).isEqualTo("9.9.9.9");
  }

  /**
   * A client writing 69 hops before the one the proxy appends: the header was split into 64
   * pieces, the last holding the rest, which is no address, so the request counted against the
   * proxy. The walk now reads hops from the right, however many there are.
   */
  @Test
  void forwardedFor_ofSeventyHops_isStillTheRightmostUntrustedHop() {
    start(
        ApiConfig.defaults()
            .withQuotas(1, Map.of(), 300)
            .withTrustedProxies(List.of("127.0.0.1", "10.0.0.0/8")));
    StringBuilder written = new StringBuilder();
    for (int i = 1; i <= 69; i++) {
      written.append("1.0.0.").append(i).append(", ");
    }
    String url = "/v1/gpu/metrics?limit=1";
    assertThat(http.get(url, "X-Forwarded-For", written + "9.9.9.9").status()).isEqualTo(200);
    assertThat(http.get(url, "X-Forwarded-For", written + "9.9.9.9").status()).isEqualTo(429);
    assertThat(http.get(url, "X-Forwarded-For", written + "8.8.8.8").status()).isEqualTo(200);
    assertThat(http.get(url, "X-Forwarded-For", written + "7.7.7.7, 10.0.0.2").status())
        .isEqualTo(200);
    assertThat(http.get(url, "X-Forwarded-For", "7.7.7.7").status()).isEqualTo(429);
    assertThat(http.get(url).status()).as("the proxy's own quota is untouched").isEqualTo(200);

    // 70 trusted hops: the 64 on the right are read (MAX_HOPS), and the last of them is the client.
    StringBuilder proxies = new StringBuilder("10.0.0.1");
    for (int i = 2; i <= 70; i++) {
      proxies.append(", 10.0.0.").append(i);
    }
    assertThat(http.get(url, "X-Forwarded-For", proxies.toString()).status()).isEqualTo(200);
    assertThat(http.get(url, "X-Forwarded-For", "10.0.0.7").status()).isEqualTo(429);
    assertThat(http.get(url, "X-Forwarded-For", "10.0.0.6").status()).isEqualTo(200);
  }

  @Test
  void postToAStaticPath_is405Problem_andMetricsAreNotPublic() {
    start(ApiConfig.defaults());
    Http.Answer post = http.send("POST", "/");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    assertThat(http.send("DELETE", "/js/app.js").status()).isEqualTo(405);
    Http.Answer metrics = http.get("/metrics");
    assertThat(metrics.status()).isEqualTo(404);
    assertThat(metrics.header("Content-Type")).isEqualTo("application/problem+json");
    for (Http.Answer a : List.of(post, metrics, http.get("/v1/nothing"))) {
      assertThat(a.body()).doesNotContain("java.").doesNotContain("Exception");
    }
  }

  @Test
  void dashboardVisitors_payOnlyForWhatTheCacheCannotAnswer() {
    start(ApiConfig.defaults().withQuotas(1, Map.of(), 3));
    String cookie = http.get("/").header("Set-Cookie").split(";")[0];
    for (int i = 0; i < 50; i++) {
      assertThat(http.get("/v1/gpu/metrics?limit=5", "Cookie", cookie).status())
          .as("cached, request %d", i)
          .isEqualTo(200);
    }
    assertThat(http.get("/v1/gpu/metrics?limit=6", "Cookie", cookie).status()).isEqualTo(200);
    assertThat(http.get("/v1/gpu/metrics?limit=7", "Cookie", cookie).status()).isEqualTo(200);
    assertThat(http.get("/v1/gpu/metrics?limit=8", "Cookie", cookie).status())
        .as("a 4th store query")
        .isEqualTo(429);
    assertThat(http.get("/v1/gpu/metrics?limit=5", "Cookie", cookie).status())
        .as("still cached")
        .isEqualTo(200);
    assertThat(queries.runs.get()).isEqualTo(3);
  }

  @Test
  void responseCache_isBoundedInBytes_andTheServerKeepsAnswering() {
    long budget = 4L << 20;
    start(ApiConfig.defaults().withQuotas(1_000_000, Map.of(), 300).withCacheBytes(budget));
    long served = 0;
    for (int i = 1; i <= 600; i++) {
      Http.Answer a = http.get("/v1/gpu/metrics?limit=1000&pipeline=p" + i);
      assertThat(a.status()).isEqualTo(200);
      served += a.body().length();
    }
    long held = server.cacheBytesForTests();
    System.out.printf(
        "served %d MB of distinct responses; the cache holds %d KB of a %d KB budget%n",
        served >> 20, held >> 10, budget >> 10);
    assertThat(served).isGreaterThan(10 * budget);
    assertThat(held).isPositive().isLessThanOrEqualTo(budget);
    clock.advance(Duration.ofHours(1));
    assertThat(server.cacheBytesForTests()).as("expired entries are dropped").isZero();
    assertThat(http.get("/health").status()).isEqualTo(200);
  }

  /**
   * An answer computed for its request is held until its client has read it: clients that do not
   * read hold theirs. Answers being sent are bounded in bytes; one that does not fit is 503 with
   * Retry-After while a small one still fits, and the bytes come back when a reader leaves, and
   * from one that stays without reading once the idle timeout has failed its write.
   */
  @Test
  void answersBeingSent_areBoundedInBytes_againstClientsThatDoNotRead() throws Exception {
    byte[] content = new byte[12 << 20];
    Arrays.fill(content, (byte) 'x');
    DatasetCatalog catalog = bigDataset(content);
    Duration idle = Duration.ofSeconds(4);
    server = new ApiServer(ApiConfig.defaults().withQuotas(1_000_000, Map.of(), 300)
        .withAddress("127.0.0.1", 0), queries, catalog,
        () -> new Readiness.Status(true, Map.of()), registry, clock)
        .connectionLimits(Limits.defaults().withDeadlines(Duration.ofSeconds(10),
            Duration.ofSeconds(30), idle))
        .sendingBytes(30L << 20).start();
    http = new Http(server.url());
    int port = server.url().getPort();
    String big = "GET /v1/datasets/big/download HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\n\r\n";
    List<Socket> readers = new ArrayList<>();
    List<String> heads = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(64 << 10);
        s.bind(new InetSocketAddress("127.0.5." + (i + 1), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(big.getBytes(StandardCharsets.US_ASCII));
        // A whole 503; the first 1 000 bytes of a 200.
        byte[] head = i < 2 ? s.getInputStream().readNBytes(1_000)
            : s.getInputStream().readAllBytes();
        heads.add(new String(head, StandardCharsets.ISO_8859_1));
        readers.add(s); // reads no more
      }
      assertThat(heads.get(0)).startsWith("HTTP/1.1 200");
      assertThat(heads.get(1)).startsWith("HTTP/1.1 200");
      assertThat(heads.get(2)).startsWith("HTTP/1.1 503").contains("Retry-After: 2")
          .contains("application/problem+json").contains("does not fit beside the answers");
      assertThat(server.sendingBytesFreeForTests()).isEqualTo(6L << 20);
      assertThat(http.get("/v1/gpu/metrics?limit=5").status()).as("a small answer still fits")
          .isEqualTo(200);
      assertThat(Scrape.text(registry))
          .contains("naap_api_sending_refused_total{limit=\"all\"} 1.0")
          .contains("naap_api_sending_refused_total{limit=\"client\"} 0.0");

      readers.removeFirst().close(); // one leaves; the other stays without reading
      long deadline = System.nanoTime() + 10_000_000_000L;
      String again = "";
      while (!again.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
        Thread.sleep(100);
        again = RawHttp.exchange(port, "127.0.5.9", big);
      }
      assertThat(again).as("a big answer once a reader left").startsWith("HTTP/1.1 200");
      assertThat(again.length()).isGreaterThan(content.length);

      long waited = System.nanoTime();
      while (server.sendingBytesFreeForTests() < (30L << 20)
          && System.nanoTime() - waited < 3 * idle.toNanos()) {
        Thread.sleep(100);
      }
      long ms = (System.nanoTime() - waited) / 1_000_000;
      System.out.printf("a client that does not read released its answer after %d ms%n", ms);
      assertThat(server.sendingBytesFreeForTests()).as("freed by the idle timeout")
          .isEqualTo(30L << 20);
    } finally {
      for (Socket s : readers) {
        s.close();
      }
    }
  }

  /**
   * One client may hold a quarter of the answers being sent: one that holds its share with answers
   * it does not read gets 503 for its next large one, and cannot stop another client's large
   * answer (before, one client could hold the whole budget, and everyone else's large answers
   * were 503 until it read or the idle timeout ended it).
   */
  @Test
  void oneClientHoldingItsShare_getsA503_whileAnotherClientsLargeAnswerIsSent() throws Exception {
    long budget = 96L << 20; // a share of 24 MiB: two of these answers
    int port = startDownloads(ApiConfig.defaults(), budget);
    List<Socket> unread = new ArrayList<>();
    List<String> heads = new ArrayList<>();
    try {
      // As many as would fill the whole budget, all from one client, none read.
      for (int i = 0; i < budget / DOWNLOAD_BYTES; i++) {
        heads.add(download(port, "127.0.7.1", null, unread));
      }
      assertThat(heads).extracting(h -> h.substring(0, 12)).containsExactly("HTTP/1.1 200",
          "HTTP/1.1 200", "HTTP/1.1 503", "HTTP/1.1 503", "HTTP/1.1 503", "HTTP/1.1 503",
          "HTTP/1.1 503", "HTTP/1.1 503");
      assertThat(heads.get(2)).contains("Retry-After: 2").contains("application/problem+json")
          .contains("does not fit beside the answers being sent to this client");
      assertThat(server.sendingBytesFreeForTests()).isEqualTo(budget - 2L * DOWNLOAD_BYTES);

      String other = RawHttp.exchange(port, "127.0.7.2", DOWNLOAD);
      assertThat(other).as("another client's large answer").startsWith("HTTP/1.1 200");
      assertThat(other.length()).isGreaterThan(DOWNLOAD_BYTES);
      assertThat(Scrape.text(registry))
          .contains("naap_api_sending_refused_total{limit=\"client\"} 6.0")
          .contains("naap_api_sending_refused_total{limit=\"all\"} 0.0");
    } finally {
      for (Socket s : unread) {
        s.close();
      }
    }
  }

  /** Behind a trusted proxy the share is the forwarded client's, an IPv6 one by its /64. */
  @Test
  void behindATrustedProxy_theShareIsTheForwardedClients_byItsSlash64() throws Exception {
    int port = startDownloads(ApiConfig.defaults().withTrustedProxies(List.of("127.0.0.1")),
        96L << 20);
    List<Socket> unread = new ArrayList<>();
    try {
      assertThat(download(port, "127.0.0.1", "2001:db8:1:2::1", unread)).startsWith("HTTP/1.1 200");
      assertThat(download(port, "127.0.0.1", "2001:db8:1:2::2", unread)).startsWith("HTTP/1.1 200");
      assertThat(download(port, "127.0.0.1", "2001:db8:1:2:ffff::3", unread))
          .as("the same /64").startsWith("HTTP/1.1 503");
      assertThat(download(port, "127.0.0.1", "2001:db8:1:3::1", unread))
          .as("another /64 through the same proxy").startsWith("HTTP/1.1 200");
    } finally {
      for (Socket s : unread) {
        s.close();
      }
    }
  }

  private static final int DOWNLOAD_BYTES = 12 << 20;
  private static final String DOWNLOAD = "GET /v1/datasets/big/download HTTP/1.1\r\n"
      + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";

  /** Starts a server whose dataset {@code big} is {@link #DOWNLOAD_BYTES}; its port. */
  private int startDownloads(ApiConfig config, long sendingBytes) {
    byte[] content = new byte[DOWNLOAD_BYTES];
    Arrays.fill(content, (byte) 'y');
    server = new ApiServer(config.withQuotas(1_000_000, Map.of(), 300)
        .withAddress("127.0.0.1", 0), queries, bigDataset(content),
        () -> new Readiness.Status(true, Map.of()), registry, clock)
        .sendingBytes(sendingBytes).start();
    return server.url().getPort();
  }

  /**
   * Asks for the download from {@code from} ({@code forwardedFor}: its X-Forwarded-For, or none)
   * over a small receive window, and reads only the first 1 000 bytes; the connection is left in
   * {@code unread}.
   */
  private static String download(int port, String from, String forwardedFor, List<Socket> unread)
      throws Exception {
    Socket s = new Socket();
    unread.add(s);
    s.setReceiveBufferSize(64 << 10); // before the connection: a small window
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(20_000);
    String request = forwardedFor == null ? DOWNLOAD
        : DOWNLOAD.replace("\r\n\r\n", "\r\nX-Forwarded-For: " + forwardedFor + "\r\n\r\n");
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    return new String(s.getInputStream().readNBytes(1_000), StandardCharsets.ISO_8859_1);
  }

  /** A catalog of one dataset, {@code big}, of {@code content}: an answer as large as it. */
  private static DatasetCatalog bigDataset(byte[] content) {
    var dataset = new Dataset("big", "test", "big", "12 MB", "text/csv", 1L,
        (long) content.length, null, null);
    return new DatasetCatalog() {
      @Override
      public List<Dataset> list() {
        return List.of(dataset);
      }

      @Override
      public java.util.Optional<Dataset> find(String id) {
        return id.equals("big") ? java.util.Optional.of(dataset) : java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<byte[]> content(String id) {
        return id.equals("big") ? java.util.Optional.of(content) : java.util.Optional.empty();
      }
    };
  }

  @Test
  void oneClient_getsAQuick429BeyondItsRequestsInProgress() throws Exception {
    start(
        ApiConfig.defaults()
            .withQuotas(1_000_000, Map.of(), 300)
            .withQueryLimits(Duration.ofSeconds(20), 64));
    queries.delayMs = 2_000;
    int n = InFlight.MAX_PER_CLIENT + 8;
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Http.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int limit = i + 1;
        answers.add(threads.submit(() -> http.get("/v1/gpu/metrics?limit=" + limit)));
      }
      int ok = 0;
      int refused = 0;
      for (var f : answers) {
        Http.Answer a = f.get();
        if (a.status() == 200) {
          ok++;
        } else if (a.status() == 429) {
          refused++;
          assertThat(a.body()).contains("in progress");
        }
      }
      assertThat(ok).isEqualTo(InFlight.MAX_PER_CLIENT);
      assertThat(refused).isEqualTo(8);
    }
    queries.delayMs = 0;
    assertThat(http.get("/v1/gpu/metrics?limit=999").status()).isEqualTo(200);
  }

  @Test
  void rateLimitTable_isBounded() {
    var limiter = new LocalRateLimiter(Duration.ofHours(1), clock);
    for (int i = 0; i < 3 * LocalRateLimiter.MAX_TRACKED_CLIENTS; i++) {
      limiter.acquire("ip:" + i, 100);
    }
    assertThat(limiter.tracked()).isLessThanOrEqualTo(LocalRateLimiter.MAX_TRACKED_CLIENTS);
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.tracked()).as("ended windows are dropped").isZero();
  }

  @Test
  void
      fiveThousandSlowHeaderConnections_areClosedWithinTheHeaderDeadline_andNormalRequestsKeepTheirLatency()
          throws Exception {
    start(ApiConfig.defaults().withQuotas(1_000_000, Map.of(), 300));
    long deadlineMs = Limits.DEFAULT_HEADER_DEADLINE.toMillis();
    long[] before = latencies(20);
    List<Socket> slow = new ArrayList<>();
    long opened = System.nanoTime();
    try {
      for (int i = 0; i < 5_000; i++) {
        Socket s = new Socket();
        // From 100 loopback addresses, 50 each: under the per-client cap, as many clients would be.
        s.bind(new InetSocketAddress("127.0.1." + (1 + i % 100), 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.url().getPort()), 5_000);
        OutputStream out = s.getOutputStream();
        out.write(
            "GET /v1/gpu/metrics HTTP/1.1\r\nHost: x\r\nX-Slow: "
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        s.setSoTimeout((int) deadlineMs + 5_000);
        slow.add(s);
      }
      long[] during = latencies(20);
      System.out.printf(
          "latency p50/max before: %d/%d µs, with 5000 slow-header connections: %d/%d µs%n",
          before[10] / 1000, before[19] / 1000, during[10] / 1000, during[19] / 1000);
      assertThat(during[10])
          .as("median latency under attack")
          .isLessThan(Math.max(50_000_000L, 10 * before[10]));
      int closed = 0;
      for (Socket s : slow) {
        try (InputStream in = s.getInputStream()) {
          in.read();
          closed++;
        } catch (java.net.SocketTimeoutException e) {
          // still open after the deadline: counted as not closed
        } catch (java.io.IOException e) {
          closed++;
        }
      }
      long elapsedMs = (System.nanoTime() - opened) / 1_000_000;
      System.out.printf(
          "%d of 5000 slow connections closed by the server within %d ms (header deadline %d ms)%n",
          closed, elapsedMs, deadlineMs);
      assertThat(closed).isEqualTo(5_000);
      assertThat(elapsedMs).isLessThan(deadlineMs + 5_000 + 10_000);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
    assertThat(http.get("/health").status()).isEqualTo(200);
  }

  @Test
  void errorsTheServerAnswersItself_areProblemJson_namingNoJavaClass() throws Exception {
    start(ApiConfig.defaults());
    String big = "x".repeat(Limits.DEFAULT_MAX_HEADER_BYTES + 10);
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= Limits.DEFAULT_MAX_HEADERS; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    String[][] cases = {
      {"GARBAGE\r\n\r\n", "400"},
      {"GET /health HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", "400"},
      {"GET /health HTTP/1.1\r\nHost: h\r\nContent-Length: -5\r\n\r\n", "400"},
      {"POST /health HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "400"},
      {"GET /health HTTP/1.1\r\nHost: h\r\nX-Big: " + big + "\r\n\r\n", "431"},
      {"GET /health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n" + many + "\r\n", "431"},
      {"POST /health HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "400|501"},
      {"GET /" + big + " HTTP/1.1\r\nHost: h\r\n\r\n", "414"},
      {"GET /v1/a|b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "400"},
      {"BREW / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "405"},
      {"G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "400"},
      {"GET / HTTP/9.9\r\nHost: h\r\n\r\n", "400|505"},
    };
    for (String[] c : cases) {
      String answer = RawHttp.exchange(server.url().getPort(), null, c[0]);
      assertThat(answer)
          .as(c[0].substring(0, Math.min(60, c[0].length())))
          .containsPattern("^HTTP/1.1 (" + c[1] + ") ")
          .containsIgnoringCase("content-type: application/problem+json")
          .containsPattern("\"title\":\"[^\"]+\",\"status\":(" + c[1] + "),\"detail\":\"[^\"]+\"")
          .doesNotContainPattern("(?i)java\\.|jetty|exception|<html|\\bat [a-z]+\\.")
          .doesNotContainIgnoringCase("\nserver:");
    }
  }

  @Test
  void oneAddressBeyondItsConnectionCap_isRefusedAtOnce_whileOthersAreServed() throws Exception {
    start(ApiConfig.defaults(), Limits.defaults().withConnections(1_000, 8));
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        held.add(RawHttp.connect(server.url().getPort(), "127.0.2.1"));
      }
      // The server opens accepted connections in parallel: let it see these first.
      Thread.sleep(500);
      long t0 = System.nanoTime();
      assertThat(RawHttp.exchange(server.url().getPort(), "127.0.2.1", "GET /health HTTP/1.1\r\n"
          + "Host: h\r\nConnection: close\r\n\r\n")).as("the 9th from one address").isEmpty();
      assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
      assertThat(RawHttp.exchange(server.url().getPort(), "127.0.2.2", "GET /health HTTP/1.1\r\n"
          + "Host: h\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
      assertThat(http.get("/health").status()).isEqualTo(200);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aClientTricklingHeaderBytes_isClosedWithinTheHeaderDeadline() throws Exception {
    start(ApiConfig.defaults(), Limits.defaults().withDeadlines(Duration.ofSeconds(2),
        Duration.ofSeconds(3), Duration.ofSeconds(30)));
    assertThat(RawHttp.trickle(server.url().getPort(), "GET /health HTTP/1.1\r\nHost: h\r\nX: "))
        .isBetween(2_000L, 3_500L);
    assertThat(RawHttp.trickle(server.url().getPort(),
        "POST /health HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n"))
        .as("a trickling body (answered without reading it, or cut off)").isLessThan(4_500L);
    assertThat(http.get("/health").status()).isEqualTo(200);
  }

  /** Sorted latencies of {@code n} cheap requests, in ns. */
  private long[] latencies(int n) {
    long[] ns = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      assertThat(http.get("/health").status()).isEqualTo(200);
      ns[i] = System.nanoTime() - t0;
    }
    Arrays.sort(ns);
    return ns;
  }
}
