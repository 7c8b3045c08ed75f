package dev.naap.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import dev.naap.http.BrowserGuard.Refusal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrowserGuardTest {

  private final BrowserGuard guard =
      new BrowserGuard(List.of(" Metrics.Internal "), List.of("https://ops.example"));

  @Test
  void addressesLocalhostAndAllowedNames_pass_anyOtherNameIsRebinding() {
    for (String host : List.of("127.0.0.1", "127.0.0.1:9401", "10.1.2.3:80", "[::1]:9400",
        "[fe80::1]", "localhost", "LOCALHOST:9401", "metrics.internal", "metrics.internal:9400")) {
      assertThat(guard.check(headers("Host", host))).as(host).isEmpty();
    }
    for (String host : List.of("evil.example", "evil.example:9401", "127.0.0.1.evil.example",
        "localhost.evil.example", "[::1", "[evil]:80", "metrics.internal.evil.example")) {
      assertThat(guard.check(headers("Host", host))).as(host).contains(Refusal.HOST);
    }
    assertThat(guard.check(new Headers())).isEmpty(); // HTTP/1.0 without Host: no browser
  }

  @Test
  void anOriginMustBeAllowed_andACrossSiteFetchWithoutOneIsRefused() {
    assertThat(guard.check(headers("Origin", "https://ops.example"))).isEmpty();
    assertThat(guard.check(headers("Origin", "https://evil.example")))
        .contains(Refusal.ORIGIN);
    assertThat(guard.check(headers("Origin", "null"))).contains(Refusal.ORIGIN);
    assertThat(guard.check(headers("Sec-Fetch-Site", "cross-site")))
        .contains(Refusal.CROSS_SITE);
    assertThat(guard.check(headers("Sec-Fetch-Site", "same-origin"))).isEmpty();
    assertThat(new BrowserGuard(List.of(), List.of()).check(headers("Origin", "http://127.0.0.1")))
        .as("no origin allowed: any page refused").isEqualTo(Optional.of(Refusal.ORIGIN));
  }

  private static Headers headers(String name, String value) {
    Headers h = new Headers();
    h.add(name, value);
    return h;
  }
}
