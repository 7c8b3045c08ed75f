package dev.naap.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.api.DatasetCatalog;
import dev.naap.api.Readiness;
import dev.naap.metrics.query.TestLoadResults;
import dev.naap.metrics.ops.Heartbeat;
import dev.naap.metrics.ops.OperationsReport;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The Operations view in real headless Chromium: heartbeats of an ingest and an API process,
 * written to a real store, reach the view through {@code /v1/operations}; figures outside their
 * alert threshold are marked, the others not; a process stopped on purpose is listed as stopped,
 * not down; the console stays clean.
 */
class OperationsViewBrowserTest {

  @TempDir Path dir;

  @Test
  void heartbeats_showAsFigures_withThoseOutsideTheirThresholdMarked() {
    Store store = TestEngine.uniqueStore("ops_view");
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now().minusSeconds(10));
    InstantSource clock = now::get;
    PrometheusRegistry ingest = new PrometheusRegistry();
    Counter events =
        Counter.builder().name("naap_ingest_events_total").labelNames("family").register(ingest);
    Gauge lag =
        Gauge.builder()
            .name("naap_ingest_consumer_lag")
            .labelNames("topic", "partition")
            .register(ingest);
    Gauge freshness = Gauge.builder().name("naap_rollup_lag_seconds").register(ingest);
    Counter rejected =
        Counter.builder().name("naap_ingest_rejected_total").labelNames("reason").register(ingest);
    PrometheusRegistry api = new PrometheusRegistry();
    Counter requests =
        Counter.builder()
            .name("naap_api_requests_total")
            .labelNames("route", "status")
            .register(api);
    Heartbeat ingestBeat = new Heartbeat(store, "ingest", ingest, clock);
    Heartbeat apiBeat = new Heartbeat(store, "serve", api, clock);
    ingestBeat.beat();
    apiBeat.beat();
    now.set(now.get().plusSeconds(10));
    events.labelValues("ai_stream_status").inc(600);
    rejected.labelValues("bad_json").inc(3);
    lag.labelValues("streaming-events", "0").set(25_000);
    freshness.set(12);
    requests.labelValues("/v1/gpu/metrics", "200").inc(95);
    requests.labelValues("/v1/gpu/metrics", "500").inc(5);
    ingestBeat.beat();
    apiBeat.beat();
    // A scraper that stopped on purpose: listed, but not counted as down.
    new Heartbeat(store, "scrape", new PrometheusRegistry(), clock).stopped();

    OperationsReport report = new OperationsReport(store, InstantSource.system());
    try (ApiServer server =
            new ApiServer(
                    ApiConfig.defaults().withAddress("127.0.0.1", 0),
                    new ClickHouseMetricsQueries(store),
                    DatasetCatalog.empty(),
                    TestLoadResults.none(),
                    report::figures,
                    () -> new Readiness.Status(true, Map.of()),
                    new PrometheusRegistry(),
                    InstantSource.system())
                .mount(DashboardAssets.SITE_PATH, DashboardAssets.SITE)
                .mount(DashboardAssets.UPLOT_PATH, DashboardAssets.UPLOT)
                .start();
        Browser browser = new Browser(dir)) {
      browser.open(server.url() + "#/operations");
      assertThat(browser.one("#views a[data-view=operations]").getDomAttribute("aria-current"))
          .isEqualTo("page");
      assertThat(figure(browser, "Processes up")).contains("2 of 2");
      assertThat(ok(browser, "Processes up")).isEqualTo("true");
      assertThat(figure(browser, "Events ingested")).contains("60.0");
      assertThat(figure(browser, "Consumer lag")).contains("25,000");
      assertThat(ok(browser, "Consumer lag")).isEqualTo("false");
      assertThat(figure(browser, "Freshness")).contains("12 s");
      assertThat(ok(browser, "Freshness")).isEqualTo("true");
      assertThat(figure(browser, "API server errors")).contains("5.0 %");
      assertThat(ok(browser, "API server errors")).isEqualTo("false");
      assertThat(browser.all("section[aria-label='Rejected messages, last hour'] tbody tr"))
          .isEmpty();
      assertThat(browser.all("section[aria-label=Processes] tbody tr td[data-col=up]"))
          .extracting(WebElement::getText)
          .containsExactlyInAnyOrder("yes", "yes", "stopped");
      browser.screenshot(Path.of("target", "screenshots", "operations.png"), Browser.LAPTOP.width);
      assertThat(browser.consoleErrors()).as("errors in the browser console").isEmpty();
    }
  }

  private static String figure(Browser browser, String title) {
    return browser.one("section.card[data-figure='" + title + "'] .value").getText();
  }

  private static String ok(Browser browser, String title) {
    return browser.one("section.card[data-figure='" + title + "']").getDomAttribute("data-ok");
  }
}
