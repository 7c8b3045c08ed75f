package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.http.RawHttp;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The management port over real HTTP: metrics, health, errors in plain text, no browser. */
class MetricsServerTest {

  @Test
  void servesMetricsAndHealth_andAnswersOtherPathsWithAPlain404() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("naap_test_things").help("things").register(registry).inc(3);
    try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry);
        HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.getPort();
      HttpResponse<String> metrics = http.send(
          HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("naap_test_things_total 3.0");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      HttpResponse<String> other = http.send(
          HttpRequest.newBuilder(URI.create(base + "/nothing")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).isEqualTo(404);
      assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("text/plain"));
      assertThat(other.headers().firstValue("Server")).isEmpty();
      for (String method : new String[] {"POST", "DELETE", "PUT"}) {
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as(method).isEqualTo(405);
        assertThat(write.headers().firstValue("Allow")).hasValue("GET, HEAD");
      }
    }
  }

  @Test
  void aBrowserPage_cannotReadTheMetrics_throughARebindingNameOrFromAnotherOrigin()
      throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("naap_test_things").help("things").register(registry).inc(3);
    try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry)) {
      int port = server.getPort();
      String[][] cases = {
          {"Host: evil.example:" + port, "403"},
          {"Host: localhost.evil.example", "403"},
          {"Host: 127.0.0.1:" + port + "\r\nOrigin: http://evil.example", "403"},
          {"Host: 127.0.0.1:" + port + "\r\nSec-Fetch-Site: cross-site", "403"},
          {"Host: 127.0.0.1:" + port, "200"},
          {"Host: localhost:" + port, "200"},
      };
      for (String path : new String[] {"/metrics", "/-/healthy"}) {
        for (String[] c : cases) {
          String answer = RawHttp.exchange(port, null, "GET " + path + " HTTP/1.1\r\n" + c[0]
              + "\r\nConnection: close\r\n\r\n");
          assertThat(answer).as(path + " " + c[0]).startsWith("HTTP/1.1 " + c[1]);
          assertThat(answer.contains("naap_test_things")).as(path + " " + c[0])
              .isEqualTo(path.equals("/metrics") && c[1].equals("200"));
        }
      }
    }
  }
}
