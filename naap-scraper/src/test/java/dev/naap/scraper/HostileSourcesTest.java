package dev.naap.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile gateways on loopback. Each is first a good gateway (the real live answer), then turns
 * bad: the failure is recorded with its reason, and the last good snapshot stays current.
 */
@Timeout(60)
class HostileSourcesTest {
  private static final byte[] LIVE = read();

  private static byte[] read() {
    try {
      return Files.readAllBytes(LoopbackServer.sharedData("getNetworkCapabilities-live.json"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ScraperConfig.Builder fastConfig(List<URI> gateways) {
    return ScraperConfig.builder(gateways)
        .connectTimeout(Duration.ofSeconds(1)).attemptTimeout(Duration.ofSeconds(1))
        .attempts(2).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
        .maxBodyBytes(1 << 20).interval(Duration.ofSeconds(5)).jitter(Duration.ZERO)
        .registeredOrchestrators(false).reachability(false);
  }

  @Test
  void badAnswers_areRecordedWithTheirReasonAndTheLastGoodSnapshotStays() throws Exception {
    Map<String, LoopbackServer> servers = new LinkedHashMap<>();
    for (String name : List.of("trickle", "huge", "invalid_json", "wrong_types", "http_500",
        "redirect_loop")) {
      servers.put(name, new LoopbackServer().json("/getNetworkCapabilities", LIVE));
    }
    List<URI> urls = servers.values().stream().map(LoopbackServer::url).toList();
    try (Store store = TestEngine.uniqueStore("scrape_hostile");
        Scraper scraper = new Scraper(fastConfig(urls).build(), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      Scraper.RunSummary good = scraper.runOnce();
      assertThat(good.status()).isEqualTo("ok");
      String current = currentCounts(store);

      servers.get("trickle").on("/getNetworkCapabilities", ex -> {
        ex.sendResponseHeaders(200, LIVE.length);
        try (OutputStream out = ex.getResponseBody()) {
          for (int i = 0; i < 100; i++) {
            out.write(LIVE[i]);
            out.flush();
            Thread.sleep(100);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      servers.get("huge").on("/getNetworkCapabilities", ex -> {
        ex.sendResponseHeaders(200, 0);  // chunked: no length to refuse up front
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) ' ');
        try (OutputStream out = ex.getResponseBody()) {
          for (int i = 0; i < 50; i++) {
            out.write(chunk);
          }
        } catch (IOException e) {
          // The scraper hung up at its limit.
        }
      });
      servers.get("invalid_json").json("/getNetworkCapabilities",
          "{\"orchestrators\": [{\"address\": ".getBytes(StandardCharsets.UTF_8));
      servers.get("wrong_types").json("/getNetworkCapabilities", ("{\"orchestrators\": [{"
          + "\"address\": \"0xab\", \"orch_uri\": \"https://o:1\", \"capabilities\": "
          + "{\"capacities\": {\"35\": \"many\"}}}]}").getBytes(StandardCharsets.UTF_8));
      servers.get("http_500").on("/getNetworkCapabilities",
          ex -> LoopbackServer.respond(ex, 500, "internal error"));
      servers.get("redirect_loop").on("/getNetworkCapabilities", ex -> {
        ex.getResponseHeaders().set("Location", "/elsewhere");
        LoopbackServer.respond(ex, 302, "");
      }).on("/elsewhere", ex -> {
        ex.getResponseHeaders().set("Location", "/getNetworkCapabilities");
        LoopbackServer.respond(ex, 302, "");
      });

      long t0 = System.nanoTime();
      Scraper.RunSummary bad = scraper.runOnce();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(bad.status()).isEqualTo("failed");
      Map<String, String> kinds = new LinkedHashMap<>();
      servers.forEach((name, server) -> kinds.put(name, bad.sources().stream()
          .filter(o -> o.source().equals(Scraper.sourceName(server.url())))
          .map(Scraper.SourceOutcome::errorKind).findFirst().orElseThrow()));
      assertThat(kinds).containsExactlyEntriesOf(Map.of(
          "trickle", "timeout", "huge", "too_large", "invalid_json", "invalid_json",
          "wrong_types", "invalid_shape", "http_500", "http_status",
          "redirect_loop", "redirect").entrySet().stream()
          .sorted(java.util.Comparator.comparing(e -> List.copyOf(servers.keySet())
              .indexOf(e.getKey())))
          .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));
      assertThat(bad.sources()).allSatisfy(o -> {
        assertThat(o.status()).isEqualTo("failed");
        assertThat(o.error()).isNotBlank();
      });
      // Retryable failures were tried twice, bad content once.
      assertThat(bad.sources()).filteredOn(o -> o.errorKind().equals("http_status"))
          .extracting(Scraper.SourceOutcome::attempts).containsExactly(2);
      assertThat(bad.sources()).filteredOn(o -> o.errorKind().equals("invalid_json"))
          .extracting(Scraper.SourceOutcome::attempts).containsExactly(1);
      assertThat(currentCounts(store)).isEqualTo(current);
      assertThat(
              store.queryText(
                  "SELECT error_kind, http_status, error != '' AS has_error"
                      + " FROM scrape_sources FINAL WHERE run_id = {id:String} ORDER BY error_kind",
                  Map.of("id", bad.runId())))
          .isEqualTo(
              """
              http_status	500	1
              invalid_json	\\N	1
              invalid_shape	\\N	1
              redirect	302	1
              timeout	\\N	1
              too_large	\\N	1
              """);
      // Every source ran at once, so the run took about one source's worst case, not six.
      assertThat(took).isLessThan(Duration.ofSeconds(4));
    } finally {
      servers.values().forEach(LoopbackServer::close);
    }
  }

  @Test
  void silentAndNonTlsServers_failAsTimeoutAndTls() throws Exception {
    try (RawServer silent = new RawServer(s -> sleepQuietly(5_000));
        RawServer plain = new RawServer(s -> {
          s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\nnot tls\n"
              .getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        });
        Store store = TestEngine.uniqueStore("scrape_raw");
        Scraper scraper = new Scraper(fastConfig(List.of(
            URI.create("http://127.0.0.1:" + silent.port()),
            URI.create("https://127.0.0.1:" + plain.port()))).attempts(1).build(), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      Scraper.RunSummary run = scraper.runOnce();

      assertThat(run.sources()).extracting(Scraper.SourceOutcome::errorKind)
          .containsExactly("timeout", "tls");
      assertThat(store.queryText("SELECT status, sources, sources_failed, error != ''"
          + " FROM scrape_runs FINAL", Map.of())).isEqualTo("failed\t2\t2\t1\n");
    }
  }

  @Test
  void theSchedule_keepsTimeWhileASourceHangsAndBacksThatSourceOff() throws Exception {
    try (RawServer silent = new RawServer(s -> sleepQuietly(5_000));
        LoopbackServer good = new LoopbackServer().json("/getNetworkCapabilities", LIVE);
        Store store = TestEngine.uniqueStore("scrape_schedule");
        Scraper scraper = new Scraper(fastConfig(List.of(
            URI.create("http://127.0.0.1:" + silent.port()), good.url()))
            .attempts(1).interval(Duration.ofMillis(1500)).build(), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      Thread loop = Thread.ofPlatform().start(() -> {
        try {
          scraper.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Thread.sleep(3_800);  // runs start at 0, 1.5 and 3.0 s
      scraper.stop();
      loop.join(5_000);
      assertThat(loop.isAlive()).isFalse();

      String[] runs = store.queryText("SELECT toUnixTimestamp64Milli(started_at),"
          + " toUnixTimestamp64Milli(finished_at), status FROM scrape_runs FINAL"
          + " ORDER BY started_at", Map.of()).split("\n");
      assertThat(runs).hasSize(3);
      List<long[]> times = new ArrayList<>();
      for (String r : runs) {
        String[] f = r.split("\t");
        times.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
        assertThat(f[2]).isEqualTo("partial");
      }
      for (int i = 1; i < times.size(); i++) {
        long gap = times.get(i)[0] - times.get(i - 1)[0];
        assertThat(gap).as("start-to-start gap of run %d", i).isBetween(1_300L, 1_800L);
        assertThat(times.get(i)[0]).as("run %d starts after run %d ended", i, i - 1)
            .isGreaterThanOrEqualTo(times.get(i - 1)[1]);
      }
      // The hanging source failed twice, then sat its first backoff run out; the good one never.
      String silentSource = "http://127.0.0.1:" + silent.port();
      assertThat(store.queryText("SELECT groupArray(status) FROM (SELECT s.status AS status"
          + " FROM scrape_sources AS s FINAL INNER JOIN scrape_runs AS r FINAL USING run_id"
          + " WHERE s.source = {s:String} ORDER BY r.started_at)", Map.of("s", silentSource)))
          .isEqualTo("['failed','failed','backoff']\n");
    }
  }

  @Test
  void aRunInProgress_makesAnotherRunSkipInsteadOfOverlapping() throws Exception {
    try (RawServer silent = new RawServer(s -> sleepQuietly(5_000));
        Store store = TestEngine.uniqueStore("scrape_overlap");
        Scraper scraper = new Scraper(fastConfig(List.of(
            URI.create("http://127.0.0.1:" + silent.port()))).attempts(1).build(), store,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      List<Scraper.RunSummary> first = new CopyOnWriteArrayList<>();
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          first.add(scraper.runOnce());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Thread.sleep(300);
      Scraper.RunSummary second = scraper.runOnce();
      t.join(5_000);

      assertThat(second.status()).isEqualTo("skipped");
      assertThat(first).singleElement().extracting(Scraper.RunSummary::status)
          .isEqualTo("failed");
      assertThat(store.queryText("SELECT count() FROM scrape_runs FINAL", Map.of()))
          .isEqualTo("1\n");
    }
  }

  @Test
  void anOrchestratorTricklingItsHandshake_doesNotHoldUpTheSnapshots() throws Exception {
    try (RawServer trickle = new RawServer(HostileSourcesTest::trickleTlsRecord)) {
      String orchestrators = String.join(",", List.of("a", "b", "c").stream()
          .map(k -> """
              {"address": "0x%s", "local_address": "0x%s",
               "orch_uri": "https://127.0.0.1:%d/%s", "capabilities": {"capacities": {"35": 1}}}
              """.formatted(k.repeat(40), k.repeat(40), trickle.port(), k)).toList());
      try (LoopbackServer gateway = new LoopbackServer().json("/getNetworkCapabilities",
              ("{\"orchestrators\": [" + orchestrators + "]}").getBytes(StandardCharsets.UTF_8));
          Store store = TestEngine.uniqueStore("scrape_trickle_probe");
          // One probe at a time, each allowed 10 s: the run's deadline of 1 s must end them.
          Scraper scraper = new Scraper(fastConfig(List.of(gateway.url())).attempts(1)
              .reachability(true).reachabilityParallelism(1)
              .reachabilityTimeout(Duration.ofSeconds(10))
              .reachabilityDeadline(Duration.ofSeconds(1)).build(), store,
              ScrapeMetrics.unregistered(), Clock.systemUTC())) {
        long t0 = System.nanoTime();
        Scraper.RunSummary run = scraper.runOnce();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(run.status()).isEqualTo("ok");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(store.queryText("SELECT count() FROM orchestrators_current", Map.of()))
            .isEqualTo("3\n");
        assertThat(store.queryText("SELECT ok, error_kind, error, count()"
            + " FROM orchestrator_reachability GROUP BY ALL", Map.of()))
            .isEqualTo("false\ttimeout\tthe probes of the run did not end within 1000 ms\t3\n");
      }
    }
  }

  @Test
  void storeFailures_areRetriedAndDoNotBackAGoodSourceOff() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(1);
    AtomicInteger tries = new AtomicInteger();
    try (LoopbackServer good = new LoopbackServer().json("/getNetworkCapabilities", LIVE);
        Store real = TestEngine.uniqueStore("scrape_store_down");
        Store flaky = new FlakyStore(real, failuresLeft, tries);
        Scraper scraper = new Scraper(fastConfig(List.of(good.url())).build(), flaky,
            ScrapeMetrics.unregistered(), Clock.systemUTC())) {
      // One failed insert: the write is tried again and the run is ok.
      assertThat(scraper.runOnce().status()).isEqualTo("ok");
      assertThat(tries).hasValue(2);

      // A store that stays down: each run fails with kind store after its tries, and the
      // source, which answers, is never sat out (a failing source would sit out the third).
      failuresLeft.set(Integer.MAX_VALUE);
      List<String> outcomes = new ArrayList<>();
      for (int run = 0; run < 3; run++) {
        tries.set(0);
        Scraper.SourceOutcome o = scraper.runOnce().sources().getFirst();
        outcomes.add(o.status() + "/" + o.errorKind() + "/" + tries.get());
      }
      assertThat(outcomes).containsExactly("failed/store/2", "failed/store/2", "failed/store/2");

      failuresLeft.set(0);
      assertThat(scraper.runOnce().status()).isEqualTo("ok");
      assertThat(currentCounts(real)).isNotEmpty();
    }
  }

  /**
   * A store whose reads of open orchestrator versions (the first step of each snapshot write,
   * counted in {@code tries}) fail while {@code failuresLeft} > 0.
   */
  private record FlakyStore(Store store, AtomicInteger failuresLeft, AtomicInteger tries)
      implements Store {
    @Override
    public byte[] query(String sql, Map<String, ?> params, String format) {
      if (sql.startsWith("SELECT * FROM orchestrator_versions FINAL")) {
        tries.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new dev.naap.store.StoreException(210, "store down (test)", sql);
        }
      }
      return store.query(sql, params, format);
    }

    @Override
    public void insert(String insertStatement, byte[] data) {
      store.insert(insertStatement, data);
    }

    @Override
    public String database() {
      return store.database();
    }

    @Override
    public String description() {
      return store.description();
    }

    @Override
    public void close() {}
  }

  /** A TLS server that has started a 16 KiB handshake record and sends it a byte per 100 ms. */
  static void trickleTlsRecord(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    byte[] header = {0x16, 0x03, 0x03, 0x40, 0x00};
    for (int i = 0; i < 16_389; i++) {
      out.write(i < header.length ? header[i] : 0x02);
      out.flush();
      sleepQuietly(100);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private static String currentCounts(Store store) {
    return store.queryText("SELECT source, count(), sum(length(capacities)) FROM"
        + " orchestrators_current GROUP BY source ORDER BY source", Map.of());
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A TCP server on loopback that hands each connection to {@code behaviour}. */
  static final class RawServer implements AutoCloseable {
    interface Behaviour {
      void serve(Socket s) throws IOException;
    }

    private final ServerSocket server;

    RawServer(Behaviour behaviour) throws IOException {
      server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            Thread.ofVirtual().start(() -> {
              try (s; InputStream ignored = s.getInputStream()) {
                behaviour.serve(s);
              } catch (IOException e) {
                // The client hung up.
              }
            });
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
