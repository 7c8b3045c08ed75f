package dev.naap.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regions: hosts resolved (IP literals, names, names that do not resolve, a name service that
 * hangs), a real MaxMind DB file with IPv4 and IPv6 networks in both record shapes, the
 * country-to-region table and its override, the operator mapping winning, and a whole scrape.
 */
@Timeout(60)
class RegionsTest {
  private static final Map<String, Object> DE = Map.of("country_code", "DE");
  private static final Map<String, Object> BR = Map.of("country_code", "BR");

  /** A test database: documentation networks in DE (v4), BR (v6), and GeoLite2-City shaped US. */
  private static Path database(Path dir) throws Exception {
    Map<String, Map<String, Object>> networks = new LinkedHashMap<>();
    networks.put("192.0.2.0/24", DE);
    networks.put("2001:db8:b::/48", BR);
    networks.put("198.51.100.0/25", Map.of(
        "continent", Map.of("code", "NA", "names", Map.of("en", "North America")),
        "country", Map.of("iso_code", "US", "names", Map.of("en", "United States")),
        "subdivisions", List.of(Map.of("iso_code", "OR", "names", Map.of("en", "Oregon")))));
    networks.put("198.51.100.128/25", Map.of(
        "continent", Map.of("code", "NA"), "country", Map.of("iso_code", "US")));
    // A country code the table does not list: the continent decides.
    networks.put("203.0.113.0/24", Map.of("continent", Map.of("code", "AF"),
        "country", Map.of("iso_code", "ZZ")));
    Path db = dir.resolve("test-country.mmdb");
    MaxMindDbFile.write(db, networks);
    return db;
  }

  private static RegionResolver.Region at(RegionResolver r, String ip) {
    return r.resolve("0x1", "0x2", ip, () -> HostResolver.literalIp(ip));
  }

  @Test
  void geoDatabase_ipv4AndIpv6LiteralsGetTheTablesRegion_bothRecordShapes(@TempDir Path dir)
      throws Exception {
    try (RegionResolver r = RegionResolver.open(null, database(dir), null)) {
      var saEast = new RegionResolver.Region("sa-east", "geoip");
      assertThat(at(r, "192.0.2.44")).isEqualTo(new RegionResolver.Region("eu-central", "geoip"));
      assertThat(at(r, "[2001:db8:b::17]")).isEqualTo(saEast);
      assertThat(at(r, "2001:db8:b:0:0:0:0:9")).isEqualTo(saEast);
      assertThat(at(r, "198.51.100.9").name()).isEqualTo("us-west");   // US-OR
      assertThat(at(r, "198.51.100.200").name()).isEqualTo("us-east"); // US, no subdivision
      assertThat(at(r, "203.0.113.1").name()).isEqualTo("af-south");  // continent:AF
      assertThat(at(r, "10.1.2.3")).isEqualTo(RegionResolver.UNKNOWN); // not in the database
      assertThat(at(r, "2001:db8:c::1")).isEqualTo(RegionResolver.UNKNOWN);
      assertThat(r.resolve("0x1", "0x2", "orch.example", () -> null))
          .isEqualTo(RegionResolver.UNKNOWN);                         // did not resolve
    }
  }

  @Test
  void operatorMappingWins_andTheTableIsOverridable(@TempDir Path dir) throws Exception {
    Path map = dir.resolve("orchestrators.txt");
    Files.writeString(map, """
        # operator regions
        0xABCDEF0000000000000000000000000000000001  fra-1
        LiveBit.ca   lax-1   # by host
        192.0.2.99   ams-1   # by IP literal
        """);
    Path table = dir.resolve("regions.txt");
    Files.writeString(table, "DE  eu-frankfurt\ncontinent:AF  africa\n");
    AtomicInteger asked = new AtomicInteger();
    try (RegionResolver r = RegionResolver.open(map, database(dir), table)) {
      assertThat(r.resolve("0xabcdef0000000000000000000000000000000001", "", "192.0.2.1", () -> {
        asked.incrementAndGet();
        return HostResolver.literalIp("192.0.2.1");
      })).isEqualTo(new RegionResolver.Region("fra-1", "operator"));
      assertThat(asked).hasValue(0); // a mapped orchestrator is never looked up
      assertThat(r.resolve("0x2", "0x3", "livebit.CA", () -> null))
          .isEqualTo(new RegionResolver.Region("lax-1", "operator"));
      assertThat(at(r, "192.0.2.99")).isEqualTo(new RegionResolver.Region("ams-1", "operator"));
      assertThat(at(r, "192.0.2.1")).isEqualTo(new RegionResolver.Region("eu-frankfurt", "geoip"));
      assertThat(at(r, "203.0.113.1").name()).isEqualTo("africa");
      assertThat(at(r, "2001:db8:b::1").name()).isEqualTo("sa-east"); // the built-in line stays
    }
    try (RegionResolver r = RegionResolver.open(map, null, null)) {
      assertThat(r.usesAddresses()).isFalse();
      assertThat(at(r, "192.0.2.1")).isEqualTo(RegionResolver.UNKNOWN);
    }
    Files.writeString(map, "only-one-field\n");
    assertThatThrownBy(() -> RegionResolver.open(map, null, null))
        .hasMessageContaining("line 1").hasMessageContaining(map.toString());
    Files.writeString(table, "DE\n");
    assertThatThrownBy(() -> RegionResolver.open(null, null, table))
        .hasMessageContaining("region table").hasMessageContaining(table.toString());
  }

  @Test
  void aTruncatedDatabaseIsRefusedAtStartWithItsPath(@TempDir Path dir) throws Exception {
    Path db = database(dir);
    byte[] whole = Files.readAllBytes(db);
    Files.write(db, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> RegionResolver.open(null, db, null))
        .hasMessageContaining(db.toString()).hasMessageContaining("not a readable MaxMind DB file");
  }

  @Test
  void builtInTable_namesEveryIsoCountry() {
    RegionTable table = RegionTable.load(null);
    List<String> missing = new ArrayList<>();
    for (String country : Locale.getISOCountries()) {
      if (table.regionOf(country, null, null) == null) {
        missing.add(country);
      }
    }
    assertThat(missing).isEmpty();
    assertThat(table.regionOf("US", "WA", "NA")).isEqualTo("us-west");
    assertThat(table.regionOf("JP", null, null)).isEqualTo("ap-northeast");
    assertThat(table.regionOf(null, null, "EU")).isEqualTo("eu-central");
    assertThat(table.regionOf(null, null, null)).isNull();
  }

  @Test
  void hostResolver_literalsWithoutLookup_namesCached_failuresAndHangsBounded() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    HostResolver.Lookup names = host -> {
      lookups.incrementAndGet();
      return switch (host) {
        case "orch.example" -> InetAddress.getByAddress(host, new byte[] {(byte) 192, 0, 2, 5});
        case "hangs.example" -> {
          try {
            release.await(); // a name service that never answers, until the test ends
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new UnknownHostException(host);
        }
        default -> throw new UnknownHostException(host);
      };
    };
    MutableClock clock = new MutableClock();
    try (HostResolver hosts = new HostResolver(Duration.ofMillis(300), names, clock)) {
      assertThat(hosts.resolve("203.0.113.7").ip().getHostAddress()).isEqualTo("203.0.113.7");
      assertThat(hosts.resolve("[2001:db8::1]").ip().getHostAddress())
          .isEqualTo("2001:db8:0:0:0:0:0:1");
      assertThat(hosts.resolve("2001:db8::2").ok()).isTrue();
      assertThat(lookups).hasValue(0);

      assertThat(hosts.resolve("orch.example").ip().getHostAddress()).isEqualTo("192.0.2.5");
      assertThat(hosts.resolve("ORCH.example").ok()).isTrue();
      assertThat(lookups).hasValue(1); // cached, case-insensitively

      HostResolver.Result missing = hosts.resolve("no-such-host.example");
      assertThat(missing.ok()).isFalse();
      assertThat(missing.error()).contains("unknown host");
      hosts.resolve("no-such-host.example");
      assertThat(lookups).hasValue(2); // the failure is cached too

      long t0 = System.nanoTime();
      HostResolver.Result hung = hosts.resolve("hangs.example");
      HostResolver.Result again = hosts.resolve("hangs.example");
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(hung.timedOut()).isTrue();
      assertThat(hung.error()).contains("timed out");
      assertThat(again.timedOut()).isTrue();
      assertThat(lookups).hasValue(3); // the pending lookup is shared, not repeated
      assertThat(waitedMs).isLessThan(10_000); // two deadlines, not a hang
      assertThat(hosts.resolve("orch.example").ok()).isTrue(); // other hosts unaffected

      clock.advance(HostResolver.NEGATIVE_TTL.plusSeconds(1));
      hosts.resolve("no-such-host.example");
      hosts.resolve("orch.example");
      assertThat(lookups).hasValue(4); // the failure expired, the answer not yet
      clock.advance(HostResolver.TTL);
      hosts.resolve("orch.example");
      assertThat(lookups).hasValue(5);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aScrape_storesEachOrchestratorsRegionAndItsSource(@TempDir Path dir) throws Exception {
    String a = "0x" + "a".repeat(40);
    String b = "0x" + "b".repeat(40);
    String c = "0x" + "c".repeat(40);
    String d = "0x" + "d".repeat(40);
    String e = "0x" + "e".repeat(40);
    String answer = """
        {"orchestrators": [%s, %s, %s, %s, %s]}
        """.formatted(orchestrator(a, "https://192.0.2.10:8935"),
        orchestrator(b, "https://[2001:db8:b::5]:8935"),
        orchestrator(c, "https://orch.example:8935"),
        orchestrator(d, "https://no-such-host.example:8935"),
        orchestrator(e, "https://192.0.2.11:8935"));
    Path map = dir.resolve("orchestrators.txt");
    Files.writeString(map, e + " operator-region\n");
    var dnsWorks = new java.util.concurrent.atomic.AtomicBoolean(true);
    MutableClock clock = new MutableClock();
    HostResolver.Lookup names = host -> {
      if (host.equals("orch.example") && dnsWorks.get()) {
        return InetAddress.getByAddress(host, new byte[] {(byte) 198, 51, 100, (byte) 130});
      }
      throw new UnknownHostException(host);
    };
    try (LoopbackServer gateway = new LoopbackServer()
            .json("/getNetworkCapabilities", answer.getBytes(StandardCharsets.UTF_8));
        Store store = TestEngine.uniqueStore("scrape_regions");
        Scraper scraper = new Scraper(ScraperConfig.builder(List.of(gateway.url()))
            .interval(Duration.ofSeconds(30)).attemptTimeout(Duration.ofSeconds(5)).attempts(1)
            .registeredOrchestrators(false)
            .reachability(false) // documentation addresses: nothing to connect to
            .regionMapping(map).geoDatabase(database(dir)).build(),
            store, ScrapeMetrics.unregistered(), clock, names)) {
      String expected = a + "\teu-central\tgeoip\n"
          + b + "\tsa-east\tgeoip\n"
          + c + "\tus-east\tgeoip\n"
          + d + "\t\\N\tunknown\n"
          + e + "\toperator-region\toperator\n";
      assertThat(scraper.runOnce().status()).isEqualTo("ok");
      assertThat(store.queryText("SELECT local_address, region, region_source"
          + " FROM orchestrators_current ORDER BY local_address", Map.of())).isEqualTo(expected);

      // The name service fails once the cached answer expired: c keeps its region, no new version.
      dnsWorks.set(false);
      clock.advance(HostResolver.TTL.plusMinutes(1));
      Scraper.RunSummary second = scraper.runOnce();
      assertThat(second.sources()).filteredOn(o -> o.endpoint().equals(Scraper.CAPABILITIES))
          .singleElement().satisfies(o -> assertThat(o.versionsWritten()).isZero());
      assertThat(store.queryText("SELECT local_address, region, region_source"
          + " FROM orchestrators_current ORDER BY local_address", Map.of())).isEqualTo(expected);
    }
  }

  @Test
  void manySlowNames_costARunOneDnsDeadline_notOnePerHost(@TempDir Path dir) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger lookups = new AtomicInteger();
    HostResolver.Lookup names = host -> {
      lookups.incrementAndGet();
      if (host.equals("orch.example")) {
        return InetAddress.getByAddress(host, new byte[] {(byte) 198, 51, 100, (byte) 130});
      }
      try {
        release.await(); // a name server that does not answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new UnknownHostException(host);
    };
    List<String> elements = new ArrayList<>();
    elements.add(orchestrator("0x" + "a".repeat(40), "https://orch.example:8935"));
    for (int i = 0; i < 20; i++) {
      String address = "0x" + String.format("%040x", i + 1);
      elements.add(orchestrator(address, "https://slow-" + i + ".example:8935"));
    }
    try (LoopbackServer gateway = new LoopbackServer();
        Store store = TestEngine.uniqueStore("scrape_slow_names")) {
      for (boolean reachability : new boolean[] {false, true}) {
        // Probes connect: then only the names that never resolve, so nothing leaves the host.
        List<String> listed = reachability ? elements.subList(1, elements.size()) : elements;
        gateway.json("/getNetworkCapabilities", ("{\"orchestrators\": ["
            + String.join(",", listed) + "]}").getBytes(StandardCharsets.UTF_8));
        lookups.set(0);
        try (Scraper scraper = new Scraper(ScraperConfig.builder(List.of(gateway.url()))
            .interval(Duration.ofMinutes(2)).attemptTimeout(Duration.ofSeconds(5)).attempts(1)
            .registeredOrchestrators(false).reachability(reachability)
            .dnsTimeout(Duration.ofMillis(300)).geoDatabase(database(dir)).build(),
            store, ScrapeMetrics.unregistered(), Clock.systemUTC(), names)) {
          long t0 = System.nanoTime();
          Scraper.RunSummary run = scraper.runOnce();
          Duration took = Duration.ofNanos(System.nanoTime() - t0);

          assertThat(run.status()).isEqualTo("ok");
          // One deadline per phase, not 20 x 300 ms (6 s); with probes, the names they waited
          // for are not waited for again. The rest is room for the store's writes.
          assertThat(took).as("reachability %s", reachability)
              .isLessThan(Duration.ofSeconds(4));
          assertThat(lookups.get()).isBetween(1, 21);
          if (!reachability) {
            // The name that answers is located (it may not queue behind the slow ones: first).
            assertThat(store.queryText("SELECT region, region_source FROM orchestrators_current"
                + " WHERE orch_uri = 'https://orch.example:8935'", Map.of()))
                .isEqualTo("us-east\tgeoip\n");
          }
        }
      }
    } finally {
      release.countDown();
    }
  }

  @Test
  void hostResolver_resolveAll_waitsForTheSetWithinOneDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HostResolver.Lookup names = host -> {
      if (host.startsWith("fast")) {
        return InetAddress.getByAddress(host, new byte[] {(byte) 192, 0, 2, 9});
      }
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new UnknownHostException(host);
    };
    try (HostResolver hosts = new HostResolver(Duration.ofMillis(300), names,
        Clock.systemUTC())) {
      List<String> set = new ArrayList<>(List.of("fast.example", "203.0.113.1", ""));
      for (int i = 0; i < 30; i++) {
        set.add("hang-" + i + ".example");
      }
      long t0 = System.nanoTime();
      Map<String, HostResolver.Result> found = hosts.resolveAll(set);
      long tookMs = (System.nanoTime() - t0) / 1_000_000;

      assertThat(tookMs).isBetween(250L, 1_500L); // once 300 ms, not 30 times
      assertThat(found).hasSize(33);
      assertThat(found.get("fast.example").ok()).isTrue();
      assertThat(found.get("203.0.113.1").ok()).isTrue();
      assertThat(found.get("").error()).isEqualTo("no host");
      assertThat(found.get("hang-29.example").timedOut()).isTrue();
    } finally {
      release.countDown();
    }
  }

  private static String orchestrator(String address, String uri) {
    return """
        {"address": "%s", "local_address": "%s", "orch_uri": "%s",
         "capabilities": {"capacities": {"35": 1}, "version": "0.8.8"}}
        """.formatted(address, address, uri);
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-08T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
