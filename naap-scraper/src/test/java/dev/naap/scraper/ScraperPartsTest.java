package dev.naap.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scraper's parts on their own: readers, reachability, backoff, configuration (regions:
 * RegionsTest).
 */
@Timeout(20)
class ScraperPartsTest {

  @Test
  void registeredOrchestrators_keepGoNamesBigNumbersAsStringsAndPriceAsRational()
      throws Exception {
    String body =
        """
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
  void reachability_measuresTcpAndReportsRefusedAndNonTlsPorts() throws Exception {
    var probe = new Reachability(Duration.ofSeconds(2), new HostResolver(Duration.ofSeconds(2),
        host -> { throw new java.net.UnknownHostException(host); }, java.time.Clock.systemUTC()));
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
    var unresolved = probe.probe("https://no-such-orchestrator.example:8935");
    assertThat(unresolved.errorKind()).isEqualTo("dns");
    assertThat(unresolved.error()).contains("unknown host no-such-orchestrator.example");
  }

  @Test
  void reachability_aServerTricklingItsHandshakeIsCutOffAtTheProbesDeadline() throws Exception {
    try (HostileSourcesTest.RawServer trickle = new HostileSourcesTest.RawServer(
            HostileSourcesTest::trickleTlsRecord);
        HostResolver hosts = new HostResolver(Duration.ofSeconds(2),
            host -> { throw new java.net.UnknownHostException(host); },
            java.time.Clock.systemUTC());
        Reachability probe = new Reachability(Duration.ofMillis(500), hosts)) {
      long t0 = System.nanoTime();
      var p = probe.probe("https://127.0.0.1:" + trickle.port());
      long tookMs = (System.nanoTime() - t0) / 1_000_000;

      // A byte every 100 ms keeps each read short: only a deadline on the whole probe ends it.
      assertThat(p.ok()).isFalse();
      assertThat(p.errorKind()).isEqualTo("timeout");
      assertThat(p.error()).contains("TLS handshake not done within 500 ms");
      assertThat(p.tcpConnectMs()).isNotNull();
      assertThat(tookMs).isBetween(400L, 3_000L);
    }
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
    // 3 x 20 s + 1 s + 2 s of fetching, 60 s of probes, 1 s + 2 s for a snapshot write retried.
    var fetchOnly = ScraperConfig.builder(List.of(URI.create("http://g:7935")))
        .interval(Duration.ofSeconds(100)).geoDatabase(null);
    assertThat(fetchOnly.reachability(false).build().worstCaseRunTime())
        .isEqualTo(Duration.ofSeconds(66));
    assertThatThrownBy(() -> fetchOnly.reachability(true).build())
        .hasMessageContaining("worst case of a run, PT2M6S")
        .hasMessageContaining("probes PT1M");
    // With a geo database, the region lookups of a run: one DNS deadline.
    assertThat(fetchOnly.reachability(false).geoDatabase(java.nio.file.Path.of("any.mmdb"))
        .build().worstCaseRunTime()).isEqualTo(Duration.ofSeconds(68));
  }
}
