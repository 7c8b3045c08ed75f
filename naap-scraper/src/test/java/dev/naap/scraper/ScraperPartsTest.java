package dev.naap.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The scraper's parts on their own: readers, region, reachability, backoff, configuration. */
@Timeout(20)
class ScraperPartsTest {

  @Test
  void registeredOrchestrators_keepGoNamesBigNumbersAsStringsAndPriceAsRational()
      throws Exception {
    String body = """
        [{"Address":"0xD00354656922168815Fcd1e51CBddB9e359e3C7F","ServiceURI":"https://o:8935",
          "LastRewardRound":3912,"RewardCut":250000,"FeeShare":"500000",
          "DelegatedStake":123456789012345678901234567890,"ActivationRound":1,
          "DeactivationRound":115792089237316195423570985008687907853269984665640564039457584007913129639935,
          "LastActiveStakeUpdateRound":3913,"Active":true,"Status":"Registered",
          "PricePerPixel":"1618/1"}]
        """;
    var read = RegisteredReader.read(body.getBytes(StandardCharsets.UTF_8));

    assertThat(read).containsOnlyKeys("0xd00354656922168815fcd1e51cbddb9e359e3c7f");
    var r = read.values().iterator().next();
    assertThat(r.delegatedStake()).isEqualTo("123456789012345678901234567890");
    assertThat(r.deactivationRound()).startsWith("11579208923731619542357098500868790785");
    assertThat(r.feeShare()).isEqualTo("500000");
    assertThat(r.pricePerPixel()).isEqualTo("1618/1");
    assertThat(r.active()).isTrue();
    assertThatThrownBy(() -> RegisteredReader.read("[{\"Address\":\"0x1\",\"RewardCut\":1.5}]"
        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SourceException.class).hasMessageContaining("[0].RewardCut");
  }

  @Test
  void regionMapping_matchesAddressesAndHostsCaseInsensitivelyAndElseIsNull(@TempDir Path dir)
      throws Exception {
    Path map = dir.resolve("regions.txt");
    Files.writeString(map, """
        # operator regions
        0xABCDEF0000000000000000000000000000000001  FRA
        livebit.ca   LAX   # by host
        """);
    try (RegionResolver r = RegionResolver.open(map, null)) {
      assertThat(r.resolve("0xabcdef0000000000000000000000000000000001", "", "x", null))
          .isEqualTo(new RegionResolver.Region("FRA", "mapping"));
      assertThat(r.resolve("0x2", "0x3", "LiveBit.CA", null))
          .isEqualTo(new RegionResolver.Region("LAX", "mapping"));
      assertThat(r.resolve("0x2", "0x3", "other.host", InetAddress.getLoopbackAddress()))
          .isNull();
    }
    Files.writeString(map, "only-one-field\n");
    assertThatThrownBy(() -> RegionResolver.open(map, null))
        .hasMessageContaining("line 1").hasMessageContaining(map.toString());
    assertThatThrownBy(() -> RegionResolver.open(null, map))
        .hasMessageContaining("not a readable MaxMind DB file");
    assertThat(RegionResolver.regionOf(Map.of("country", Map.of("iso_code", "DE"),
        "continent", Map.of("code", "EU")))).isEqualTo("EU-DE");
  }

  @Test
  void geoDatabase_aRealMaxMindFileGivesContinentAndCountry_andTheMappingComesFirst(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("country.mmdb");
    // 127.0.0.0/8 -> a GeoLite2-Country shaped record in Germany, Europe.
    MaxMindDbFile.write(db, 127 << 24, 8, Map.of(
        "continent", Map.of("code", "EU", "names", Map.of("en", "Europe")),
        "country", Map.of("iso_code", "DE", "names", Map.of("en", "Germany"))));
    Path map = dir.resolve("regions.txt");
    Files.writeString(map, "mapped.host  FRA\n");

    try (RegionResolver r = RegionResolver.open(map, db)) {
      assertThat(r.resolve("0x1", "0x2", "orch.example", InetAddress.getByName("127.0.0.2")))
          .isEqualTo(new RegionResolver.Region("EU-DE", "geoip"));
      assertThat(r.resolve("0x1", "0x2", "orch.example", InetAddress.getByName("10.1.2.3"))).isNull();
      assertThat(r.resolve("0x1", "0x2", "mapped.host", InetAddress.getByName("127.0.0.2")))
          .isEqualTo(new RegionResolver.Region("FRA", "mapping"));
      assertThat(r.resolve("0x1", "0x2", "orch.example", null)).isNull();
    }

    byte[] whole = Files.readAllBytes(db);
    Files.write(db, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> RegionResolver.open(null, db))
        .hasMessageContaining(db.toString()).hasMessageContaining("not a readable MaxMind DB file");
  }

  @Test
  void reachability_measuresTcpAndReportsRefusedAndNonTlsPorts() throws Exception {
    var probe = new Reachability(Duration.ofSeconds(2));
    try (ServerSocket open = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      var ok = probe.probe("http://127.0.0.1:" + open.getLocalPort());
      assertThat(ok.ok()).isTrue();
      assertThat(ok.tcpConnectMs()).isNotNull().isGreaterThanOrEqualTo(0.0);

      var tls = probe.probe("https://127.0.0.1:" + open.getLocalPort());
      assertThat(tls.ok()).isFalse();
      assertThat(tls.tcpConnectMs()).isNotNull();
      assertThat(tls.errorKind()).isIn("tls", "timeout");
    }
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertThat(probe.probe("http://127.0.0.1:" + closedPort).errorKind()).isEqualTo("connect");
  }

  @Test
  void sourceBackoff_sitsOutOneThreeSevenRunsAndResetsOnSuccess() {
    SourceBackoff b = new SourceBackoff(5);
    StringBuilder pattern = new StringBuilder();
    for (int run = 0; run < 12; run++) {
      if (b.skip("s")) {
        pattern.append('-');
      } else {
        pattern.append('x');
        b.failed("s");
      }
    }
    assertThat(pattern.toString()).isEqualTo("xx-x---x----");
    b.succeeded("s");
    assertThat(b.skip("s")).isFalse();
    assertThat(b.skip("other")).isFalse();
  }

  @Test
  void config_reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> ScraperConfig.builder(List.of(URI.create("ftp://x")))
        .attempts(0).maxBodyBytes(1).observedFrom(" ").build())
        .hasMessageContaining("gateways: expected an http:// or https:// URL")
        .hasMessageContaining("attempts: expected 1..10, got 0")
        .hasMessageContaining("maxBodyBytes")
        .hasMessageContaining("observedFrom");
    assertThatThrownBy(() -> ScraperConfig.builder(List.of(URI.create("http://g:7935")))
        .interval(Duration.ofSeconds(30)).build())
        .hasMessageContaining("interval: PT30S must exceed the worst case");
  }
}
