package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.naap.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules of {@code deploy/prometheus/naap-alerts.yml}, end to end: a real Prometheus
 * scrapes a running NaaP (the store served by {@code naap clickhouse-http}, {@code naap ingest} and
 * {@code naap serve} on it, a Kafka broker), a real Alertmanager routes to a webhook in this test.
 * Stopping the ingest brings NaapIngestDown to the webhook within its promise (its {@code for} of 1
 * min plus a scrape and an evaluation); stopping the store brings NaapStoreDown, reported by the
 * API's store probe, within its promise (15 s without an answer, then its {@code for} of 30 s);
 * both resolve when the processes come back. Scrapes and evaluations run every second; the rules
 * are the shipped ones, unchanged. Skipped where Debian's {@code prometheus} and {@code
 * prometheus-alertmanager} are not installed, unless {@code NAAP_REQUIRE_PROMETHEUS} is set.
 */
class AlertsEndToEndTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Time for a notification to travel: scrape, evaluation, Alertmanager's group wait, the POST. */
  private static final Duration SLACK = Duration.ofSeconds(15);
  private static final String STORE_PASSWORD = "alerts-e2e-store";

  /** One alert as a webhook notification carried it. */
  record Received(Instant at, String status, String alertname, String job, Instant startsAt) {}

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void ingestDownAndStoreDown_alertsReachTheWebhookInTime_andResolve(@TempDir Path dir)
      throws Exception {
    Path prometheus = PromtoolRulesTest.tool("prometheus", "prometheus");
    Path alertmanager =
        PromtoolRulesTest.tool("prometheus-alertmanager", "prometheus-alertmanager");
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer webhook = webhook(received);
    List<Process> processes = new ArrayList<>();
    Path log = dir.resolve("naap.log");
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic("events", 1);
      int storePort = Ports.free();
      int ingestPort = Ports.free();
      int apiPort = Ports.free();
      int managementPort = Ports.free();
      int promPort = Ports.free();
      int amPort = Ports.free();
      String storeUrl = "http://127.0.0.1:" + storePort;
      // The store stands in for a ClickHouse server: writable for the ingest, with a password.
      String[] storeArgs = {
        "clickhouse-http",
        "--data-dir",
        dir.resolve("store").toString(),
        "--port",
        Integer.toString(storePort),
        "--allow-writes",
        "--password",
        STORE_PASSWORD
      };
      String[] ingestArgs = {
        "ingest",
        "--bootstrap-servers",
        broker.bootstrapServers(),
        "--topic",
        "events",
        "--clickhouse-url",
        storeUrl,
        "--clickhouse-password",
        STORE_PASSWORD,
        "--metrics-port",
        Integer.toString(ingestPort)
      };
      // Prometheus and Alertmanager start while NaaP does; only notifications after a stop count.
      Files.writeString(
          dir.resolve("alertmanager.yml"),
          """
          route:
            receiver: test
            group_by: [alertname, job]
            group_wait: 1s
            group_interval: 1s
            repeat_interval: 1h
          receivers:
            - name: test
              webhook_configs:
                - url: http://127.0.0.1:%d/alerts
                  send_resolved: true
          """
              .formatted(webhook.getAddress().getPort()));
      track(
          processes,
          new ProcessBuilder(
                  alertmanager.toString(),
                  "--config.file=" + dir.resolve("alertmanager.yml"),
                  "--storage.path=" + dir.resolve("am"),
                  "--web.listen-address=127.0.0.1:" + amPort,
                  "--cluster.listen-address=")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("alertmanager.log").toFile())
              .start());
      Files.copy(PromtoolRulesTest.RULES, dir.resolve("naap-alerts.yml"));
      Files.writeString(
          dir.resolve("prometheus.yml"),
          """
          global: {scrape_interval: 1s, evaluation_interval: 1s}
          rule_files: [naap-alerts.yml]
          alerting:
            alertmanagers: [{static_configs: [{targets: ['127.0.0.1:%d']}]}]
          scrape_configs:
            - job_name: naap-ingest
              static_configs: [{targets: ['127.0.0.1:%d']}]
            - job_name: naap-api
              static_configs: [{targets: ['127.0.0.1:%d']}]
          """
              .formatted(amPort, ingestPort, managementPort));
      track(
          processes,
          new ProcessBuilder(
                  prometheus.toString(),
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort,
                  "--rules.alert.resend-delay=1s")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start());
      Process store = track(processes, ChildJvm.start(log, storeArgs));
      await("the store answers", Duration.ofSeconds(60), () -> ok(storeUrl + "/ping"));
      Process ingest = track(processes, ChildJvm.start(log, ingestArgs));
      await("the ingest exports metrics", Duration.ofSeconds(60),
          () -> ok("http://127.0.0.1:" + ingestPort + "/metrics"));
      track(processes, ChildJvm.start(log, "serve", "--clickhouse-url", storeUrl,
          "--clickhouse-password", STORE_PASSWORD, "--port", Integer.toString(apiPort),
          "--management-port", Integer.toString(managementPort)));
      await(
          "the API answers",
          Duration.ofSeconds(60),
          () -> ok("http://127.0.0.1:" + apiPort + "/health"));

      String promUrl = "http://127.0.0.1:" + promPort;
      await("Prometheus sees both targets up and the store up", Duration.ofSeconds(60),
          () -> series(promUrl, "up == 1") == 2 && series(promUrl, "naap_store_up == 1") == 2);

      // The ingest stops; a little later, separately, the store.
      ingest.destroy();
      assertThat(ingest.waitFor(60, TimeUnit.SECONDS)).isTrue();
      Instant ingestStopped = Instant.now();
      Thread.sleep(5_000);
      store.destroy();
      assertThat(store.waitFor(60, TimeUnit.SECONDS)).isTrue();
      Instant storeStopped = Instant.now();

      Duration ingestPromise = Duration.ofMinutes(1).plus(SLACK);
      Duration storePromise = Duration.ofSeconds(15 + 5 + 30).plus(SLACK);
      await("NaapIngestDown and NaapStoreDown fire", ingestPromise.plusSeconds(5),
          () -> first(received, "firing", "NaapIngestDown", ingestStopped) != null
              && first(received, "firing", "NaapStoreDown", ingestStopped) != null);
      Received ingestDown = first(received, "firing", "NaapIngestDown", ingestStopped);
      Received storeDown = first(received, "firing", "NaapStoreDown", ingestStopped);
      assertThat(ingestDown.job()).isEqualTo("naap-ingest");
      assertThat(Duration.between(ingestStopped, ingestDown.at())).isLessThan(ingestPromise)
          .isGreaterThan(Duration.ofMinutes(1).minusSeconds(2));
      assertThat(storeDown.job()).isEqualTo("naap-api");
      assertThat(Duration.between(storeStopped, storeDown.at())).isLessThan(storePromise);
      // The store alert was caused by the store, not by the ingest's outage before it.
      assertThat(storeDown.startsAt()).isAfter(storeStopped);

      // Both come back: the store first, since the ingest opens it.
      Instant restarted = Instant.now();
      store = track(processes, ChildJvm.start(log, storeArgs));
      await("the store answers again", Duration.ofSeconds(60), () -> ok(storeUrl + "/ping"));
      track(processes, ChildJvm.start(log, ingestArgs));
      await("both alerts resolve", Duration.ofSeconds(60),
          () -> first(received, "resolved", "NaapIngestDown", restarted) != null
              && first(received, "resolved", "NaapStoreDown", restarted) != null);
      System.out.printf(
          "alerts e2e: NaapIngestDown after %d s (promise %d s), NaapStoreDown after %d s"
              + " (promise %d s), both resolved %d s after the restart%n",
          Duration.between(ingestStopped, ingestDown.at()).toSeconds(),
          ingestPromise.toSeconds(),
          Duration.between(storeStopped, storeDown.at()).toSeconds(),
          storePromise.toSeconds(),
          Duration.between(restarted, received.getLast().at()).toSeconds());
    } catch (AssertionError e) {
      // The temporary directory goes with the test: say what the processes did while it exists.
      throw new AssertionError(e.getMessage() + "\n" + whatRan(processes, log), e);
    } finally {
      for (Process p : processes.reversed()) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      webhook.stop(0);
    }
  }

  /** Each process started, alive or with its exit code, and the end of NaaP's log. */
  private static String whatRan(List<Process> processes, Path log) {
    StringBuilder out = new StringBuilder("processes:\n");
    for (Process p : processes) {
      out.append("  ").append(p.isAlive() ? "alive" : "exited " + p.exitValue()).append(": ")
          .append(p.info().commandLine().orElse("pid " + p.pid())).append('\n');
    }
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      out.append("the last lines of ").append(log.getFileName()).append(":\n");
      lines.subList(Math.max(0, lines.size() - 60), lines.size())
          .forEach(l -> out.append("  ").append(l).append('\n'));
    } catch (IOException | java.io.UncheckedIOException e) {
      out.append("cannot read ").append(log).append(": ").append(e);
    }
    return out.toString();
  }

  private static Process track(List<Process> processes, Process p) {
    processes.add(p);
    return p;
  }

  /**
   * The first notification of {@code alertname} with {@code status} received after {@code since},
   * or null.
   */
  private static Received first(
      List<Received> received, String status, String alertname, Instant since) {
    return received.stream()
        .filter(
            r ->
                r.status().equals(status)
                    && r.alertname().equals(alertname)
                    && r.at().isAfter(since))
        .findFirst()
        .orElse(null);
  }

  /** A webhook receiver on loopback that records every alert of every notification. */
  private static HttpServer webhook(List<Received> received) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/alerts",
        ex -> {
          try (ex) {
            JsonNode body = JSON.readTree(ex.getRequestBody().readNBytes(1 << 20));
            Instant now = Instant.now();
            for (JsonNode a : body.path("alerts")) {
              received.add(
                  new Received(
                      now,
                      a.path("status").asText(),
                      a.path("labels").path("alertname").asText(),
                      a.path("labels").path("job").asText(),
                      Instant.parse(a.path("startsAt").asText())));
            }
            ex.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    return server;
  }

  /**
   * How many series the instant query {@code expr} returns now; 0 when Prometheus is not up yet.
   */
  private static int series(String promUrl, String expr) {
    try {
      String uri =
          promUrl
              + "/api/v1/query?query="
              + java.net.URLEncoder.encode(expr, StandardCharsets.UTF_8);
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()).path("data").path("result").size() : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static boolean ok(String url) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void await(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
      }
      Thread.sleep(250);
    }
  }
}
