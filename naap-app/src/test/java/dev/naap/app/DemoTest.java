package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code naap demo} as a user runs it: the whole pipeline fills the store and the API shows it
 * within a bounded time, the dashboard is served, the load tester registers its streams, a stop
 * signal ends it with exit code 0 and leaves no process behind, and a second run resumes.
 */
class DemoTest {

  @TempDir Path dir;

  @Test
  void demo_fillsTheRollups_stopsCleanly_andResumes() throws Exception {
    Path data = dir.resolve("demo");
    Run first = runUntil(data, "demo-1.log", new Run(0, 0, 0), true);
    // The second run keeps the first run's events and adds new ones to them, on the same network.
    Run second = runUntil(data, "demo-2.log", first, false);

    assertThat(second.events()).as("events after the second run").isGreaterThan(first.events());
    assertThat(second.signers()).as("orchestrators scraped after the second run: the same network")
        .isEqualTo(first.signers());
  }

  /** What a run left in the store: events, successful scrapes, the orchestrators' signers. */
  private record Run(long events, long scrapes, long signers) {}

  /**
   * Runs the demo until its rollups hold sessions and the store more events and scrapes than
   * {@code before} (and, if {@code testSucceeded}, until a load test has succeeded against the
   * simulated gateway), stops it with SIGTERM; returns what it stored.
   */
  private Run runUntil(Path data, String log, Run before, boolean testSucceeded)
      throws Exception {
    int port = Ports.free();
    int apiPort = Ports.free();
    Process demo =
        ChildJvm.start(
            dir.resolve(log),
            "demo",
            "--dir",
            data.toString(),
            "--backfill-hours",
            "1",
            "--http-port",
            Integer.toString(port),
            "--port",
            Integer.toString(apiPort),
            "--metrics-port",
            "0");
    try {
      long sessions = 0;
      long events = 0;
      long scrapes = 0;
      long signers = 0;
      long testStreams = 0;
      long testSuccesses = 0;
      long orchestratorsWithoutRegion = -1;
      long sessionsWithRegionPercent = 0;
      String overview = "";
      // A load test lasts a minute of simulated time, at real time here.
      long deadline = System.nanoTime() + Duration.ofSeconds(testSucceeded ? 240 : 150).toNanos();
      while ((sessions == 0
              || events <= before.events()
              || scrapes <= before.scrapes()
              || signers == 0
              || !Files.readString(dir.resolve(log)).contains("History in: ")
              || testStreams == 0
              || !overview.contains("\"sessions\"")
              || (testSucceeded && testSuccesses == 0)
              || orchestratorsWithoutRegion != 0
              || sessionsWithRegionPercent <= 50)
          && System.nanoTime() < deadline
          && demo.isAlive()) {
        Thread.sleep(1_000);
        sessions = query(data, port, "SELECT sum(sessions_requested) FROM rollup_hour_current");
        events = query(data, port, "SELECT count() FROM raw_events");
        scrapes = query(data, port, "SELECT countIf(status = 'ok') FROM scrape_runs FINAL");
        signers = query(data, port, "SELECT uniqExact(local_address) FROM orchestrator_versions"
            + " WHERE local_address != ''");
        testStreams = query(data, port, "SELECT count() FROM test_load_streams");
        testSuccesses =
            query(data, port, "SELECT countIf(outcome = 'success') FROM test_load_results FINAL");
        overview = get(apiPort, "/v1/network/overview");
        orchestratorsWithoutRegion =
            query(
                data,
                port,
                "SELECT if(count() = 0, -1, countIf(region_source NOT IN"
                    + " ('operator', 'geoip'))) FROM orchestrators_current");
        sessionsWithRegionPercent = query(data, port,
            "SELECT intDiv(100 * countIf(region != ''), greatest(count(), 1)) FROM sessions");
      }
      assertThat(sessions).as("sessions in the rollups (see %s)", log).isPositive();
      assertThat(events).as("events stored (see %s)", log).isGreaterThan(before.events());
      assertThat(scrapes).as("scrapes that succeeded (see %s)", log)
          .isGreaterThan(before.scrapes());
      assertThat(testStreams).as("streams the load tester started (see %s)", log).isPositive();
      if (testSucceeded) {
        assertThat(testSuccesses).as("load tests that succeeded (see %s)", log).isPositive();
      }
      assertThat(overview).as("the API's overview (see %s)", log).contains("\"sessions\"");
      assertThat(orchestratorsWithoutRegion)
          .as("scraped orchestrators without a region (see %s)", log)
          .isZero();
      assertThat(sessionsWithRegionPercent)
          .as("percent of sessions with a region (see %s)", log)
          .isGreaterThan(50);
      assertThat(get(apiPort, "/")).as("the dashboard at /").contains("<html");
      assertThat(signers).as("orchestrators scraped (see %s)", log).isPositive();
      assertThat(Files.readString(dir.resolve(log))).as("the demo says when its history is in")
          .contains("History in: the rollups hold the simulated network since");

      demo.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the same orderly stop
      assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo stops").isTrue();
      assertThat(demo.exitValue()).isZero();
      Thread.sleep(500);
      assertThat(
              ProcessHandle.allProcesses()
                  .filter(p -> p.info().commandLine().orElse("").contains(data.toString())))
          .as("processes left behind")
          .isEmpty();
      return new Run(events, scrapes, signers);
    } finally {
      demo.destroyForcibly();
    }
  }

  /**
   * A number from the demo's ClickHouse HTTP endpoint, or 0 while it is not up yet; authenticated
   * with the password the demo generated into its directory.
   */
  private static long query(Path data, int port, String sql) {
    try {
      String password = java.nio.file.Files.readString(data.resolve(FacadePassword.FILE)).strip();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/?query=" + java.net.URLEncoder.encode(sql,
              java.nio.charset.StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10))
              .header("X-ClickHouse-User", "default").header("X-ClickHouse-Key", password).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && !r.body().isBlank() ? Long.parseLong(r.body().strip()) : 0;
    } catch (Exception e) {
      return 0;
    }
  }

  /** The body of a 200 answer from the demo's API, or "" while it is not up yet. */
  private static String get(int port, String path) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (Exception e) {
      return "";
    }
  }
}
