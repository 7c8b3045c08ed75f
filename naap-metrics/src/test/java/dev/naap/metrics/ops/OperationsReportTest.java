package dev.naap.metrics.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.store.Rows;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats written by two processes become the Operations figures: rates from the change between
 * a process's two latest beats, summed over processes, gauges, histogram quantiles, processes that
 * stopped beating shown as down and one that stopped on purpose as stopped, both left out of the
 * figures; the store probe and the network health read a real store.
 */
class OperationsReportTest {

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.now().minusSeconds(60));
  private final InstantSource clock = () -> now.get();

  @Test
  void heartbeatsOfTwoProcesses_becomeRatesGaugesAndQuantiles() {
    Store store = TestEngine.uniqueStore("ops_report");
    PrometheusRegistry ingestRegistry = new PrometheusRegistry();
    Counter events =
        Counter.builder()
            .name("naap_ingest_events_total")
            .labelNames("family")
            .register(ingestRegistry);
    Counter rejected =
        Counter.builder()
            .name("naap_ingest_rejected_total")
            .labelNames("reason")
            .register(ingestRegistry);
    Gauge lag =
        Gauge.builder()
            .name("naap_ingest_consumer_lag")
            .labelNames("topic", "partition")
            .register(ingestRegistry);
    Gauge freshness = Gauge.builder().name("naap_rollup_lag_seconds").register(ingestRegistry);
    PrometheusRegistry apiRegistry = new PrometheusRegistry();
    Counter requests =
        Counter.builder()
            .name("naap_api_requests_total")
            .labelNames("route", "status")
            .register(apiRegistry);
    Histogram latency =
        Histogram.builder()
            .name("naap_api_request_duration_seconds")
            .labelNames("route", "status")
            .classicUpperBounds(0.1, 1, 10)
            .register(apiRegistry);
    PrometheusRegistry goneRegistry = new PrometheusRegistry();
    Counter.builder().name("naap_ingest_events_total").labelNames("family").register(goneRegistry)
        .labelValues("ai_stream_status").inc(1_000_000);
    Heartbeat ingest = new Heartbeat(store, "ingest", ingestRegistry, clock);
    Heartbeat serve = new Heartbeat(store, "serve", apiRegistry, clock);
    Heartbeat gone = new Heartbeat(store, "gone", goneRegistry, () -> now.get().minusSeconds(300));
    // A process stopped on purpose: its last beat, now, says so.
    PrometheusRegistry quitRegistry = new PrometheusRegistry();
    Counter quitEvents = Counter.builder().name("naap_ingest_events_total").labelNames("family")
        .register(quitRegistry);
    Heartbeat quit = new Heartbeat(store, "quit", quitRegistry, clock);

    events.labelValues("ai_stream_status").inc(100);
    lag.labelValues("t", "0").set(40);
    gone.beat();
    ingest.beat();
    serve.beat();
    quit.beat();
    now.set(now.get().plusSeconds(10));
    events.labelValues("ai_stream_status").inc(500);
    events.labelValues("stream_trace").inc(100);
    rejected.labelValues("bad_json").inc(20);
    lag.labelValues("t", "0").set(10);
    lag.labelValues("t", "1").set(5);
    freshness.set(7.5);
    for (int i = 0; i < 90; i++) {
      requests.labelValues("/v1/gpu/metrics", "200").inc();
      latency.labelValues("/v1/gpu/metrics", "200").observe(0.05);
    }
    for (int i = 0; i < 10; i++) {
      requests.labelValues("/v1/gpu/metrics", "500").inc();
      latency.labelValues("/v1/gpu/metrics", "500").observe(5);
    }
    latency.labelValues("static", "200").observe(100); // not an API route: left out of the latency
    ingest.beat();
    serve.beat();
    quitEvents.labelValues("ai_stream_status").inc(7_000);
    quit.stopped();

    Map<String, Object> f = new OperationsReport(store, clock).figures();
    @SuppressWarnings("unchecked")
    var processes = (List<Map<String, Object>>) f.get("processes");
    assertThat(processes)
        .extracting(p -> p.get("component") + " up=" + p.get("up") + " stopped=" + p.get("stopped"))
        .containsExactly("gone up=false stopped=false", "ingest up=true stopped=false",
            "quit up=false stopped=true", "serve up=true stopped=false");
    @SuppressWarnings("unchecked")
    var in = (Map<String, Object>) f.get("ingest");
    assertThat((double) in.get("events_per_second"))
        .isEqualTo(60.0); // neither the gone process nor the stopped one is counted
    assertThat(in.get("events_per_second_by_family"))
        .isEqualTo(Map.of("ai_stream_status", 50.0, "stream_trace", 10.0));
    assertThat(in.get("rejected_per_second_by_reason")).isEqualTo(Map.of("bad_json", 2.0));
    assertThat(in.get("consumer_lag")).isEqualTo(15.0);
    @SuppressWarnings("unchecked")
    var rollups = (Map<String, Object>) f.get("rollups");
    assertThat(rollups.get("freshness_seconds")).isEqualTo(7.5);
    @SuppressWarnings("unchecked")
    var api = (Map<String, Object>) f.get("api");
    assertThat((double) api.get("requests_per_second")).isEqualTo(10.0);
    assertThat((double) api.get("server_error_ratio")).isEqualTo(0.1);
    // 95th of 100: the 95th observation is in (1, 10], the 5th of its bucket's 10: 1 + 9 × 0.5.
    assertThat((double) api.get("latency_p95_seconds")).isEqualTo(5.5);
    assertThat((double) api.get("latency_mean_seconds")).isCloseTo((90 * 0.05 + 10 * 5) / 100.0,
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void testsAndScrapesPerHour_countOverTheWindow_notOneStepThatMissesThem() {
    Store store = TestEngine.uniqueStore("ops_window");
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter tests = Counter.builder().name("naap_loadtest_tests_total")
        .labelNames("kind", "pipeline", "outcome", "error_class").register(registry);
    Counter scrapes = Counter.builder().name("naap_scrape_runs_total").labelNames("status")
        .register(registry);
    Heartbeat beat = new Heartbeat(store, "loadtest", registry, clock);
    now.set(Instant.now().minusSeconds(400));
    tests.labelValues("live", "streamdiffusion", "success", "none").inc(2);
    scrapes.labelValues("ok").inc();
    beat.beat();
    // Five minutes later: 9 more tests (one failed) and one scrape run, then a quiet 15 s.
    now.set(now.get().plusSeconds(300));
    tests.labelValues("live", "streamdiffusion", "success", "none").inc(8);
    tests.labelValues("live", "streamdiffusion", "failure", "timeout").inc();
    scrapes.labelValues("ok").inc();
    beat.beat();
    now.set(now.get().plusSeconds(15));
    beat.beat();

    Map<String, Object> f = new OperationsReport(store, clock).figures();
    @SuppressWarnings("unchecked")
    var loadtest = (Map<String, Object>) f.get("loadtest");
    // Over the 315 s between the oldest beat and the latest: 8 and 1 tests, 1 scrape run.
    @SuppressWarnings("unchecked")
    var testsPerHour = (Map<String, Double>) loadtest.get("tests_per_hour_by_outcome");
    assertThat(testsPerHour).containsOnlyKeys("success", "failure");
    assertThat(testsPerHour.get("success")).isCloseTo(8 * 3600 / 315.0, within(1e-9));
    assertThat(testsPerHour.get("failure")).isCloseTo(3600 / 315.0, within(1e-9));
    @SuppressWarnings("unchecked")
    var scraper = (Map<String, Object>) f.get("scraper");
    @SuppressWarnings("unchecked")
    var runsPerHour = (Map<String, Double>) scraper.get("runs_per_hour_by_status");
    assertThat(runsPerHour).containsOnlyKeys("ok");
    assertThat(runsPerHour.get("ok")).isCloseTo(3600 / 315.0, within(1e-9));
  }

  @Test
  void storeProbe_reportsUpAndTheDisk_andNetworkHealthReadsTheRollups() {
    Store store = TestEngine.uniqueStore("ops_probe");
    PrometheusRegistry registry = new PrometheusRegistry();
    StoreProbe probe = new StoreProbe(store, InstantSource.system(), registry);
    assertThat(probe.up()).isFalse();
    probe.check();
    assertThat(probe.up()).isTrue();
    Map<String, Double> samples = Heartbeat.samples(registry);
    assertThat(samples).containsEntry("naap_store_up", 1.0);
    assertThat(samples.get("naap_store_disk_total_bytes")).isPositive();

    // One refresh's version of the minute: a single computed_at (now64() would differ row by row).
    store.execute(
        "INSERT INTO rollup_minute (bucket_minute, orchestrator_address, gpu_id, is_test_load,"
            + " segments, compliant_segments, computed_at) VALUES (toStartOfMinute(now()), '0xaa',"
            + " 'gpu-1', false, 30, 27, toDateTime64(1767225600, 6, 'UTC')),"
            + " (toStartOfMinute(now()), '0xbb', '', false, 10, 2, toDateTime64(1767225600, 6,"
            + " 'UTC')), (toStartOfMinute(now()), '0xcc', 'gpu-2', true, 50, 0,"
            + " toDateTime64(1767225600, 6, 'UTC'))");
    store.execute(
        "INSERT INTO demand_minute (bucket_minute, gateway, is_test_load, sessions_requested,"
            + " sessions_no_orchestrator, computed_at) VALUES (toStartOfMinute(now()), 'g', false,"
            + " 20, 5, toDateTime64(1767225600, 6, 'UTC'))");
    NetworkHealth health = new NetworkHealth(store, InstantSource.system(), registry);
    NetworkHealth.Figures figures = health.update();
    assertThat(figures.segments()).isEqualTo(40);
    assertThat(figures.attributionRatio()).isEqualTo(0.75);
    assertThat(figures.unservedRatio()).isEqualTo(0.25);
    assertThat(Heartbeat.samples(registry))
        .containsEntry("naap_orchestrator_sla_compliance_ratio{orchestrator=\"0xaa\"}", 0.9)
        .containsEntry("naap_orchestrator_sla_compliance_ratio{orchestrator=\"0xbb\"}", 0.2)
        .doesNotContainKey("naap_orchestrator_sla_compliance_ratio{orchestrator=\"0xcc\"}");
  }

  /**
   * A part the engine set aside as damaged (as it does when it opens a store with a truncated
   * file, DamagedPartTest in naap-app) is counted in {@code naap_store_damaged_parts}, which the
   * alert NaapStoreDamagedParts reads; a part detached on purpose is not.
   */
  @Test
  void storeProbe_countsTheDamagedPartsSetAside() throws Exception {
    Store store = TestEngine.uniqueStore("ops_damaged");
    PrometheusRegistry registry = new PrometheusRegistry();
    StoreProbe probe = new StoreProbe(store, InstantSource.system(), registry);
    probe.check();
    assertThat(Heartbeat.samples(registry)).containsEntry("naap_store_damaged_parts", 0.0);

    store.execute("CREATE TABLE probe_parts (x UInt8) ENGINE = MergeTree ORDER BY x");
    for (int i = 0; i < 2; i++) {
      store.execute("INSERT INTO probe_parts VALUES (" + i + ")");
    }
    Rows parts = Rows.query(store, "SELECT name, path FROM system.parts WHERE database ="
        + " currentDatabase() AND table = 'probe_parts' AND active ORDER BY name", Map.of(),
        List.of("name", "path"));
    assertThat(parts.size()).isEqualTo(2);
    for (Rows.Row part : parts) {
      store.execute("ALTER TABLE probe_parts DETACH PART '" + part.string("name") + "'");
    }
    // The first as the engine leaves a damaged part, the second as an operator's detach.
    Rows.Row damaged = parts.list().getFirst();
    Path detached = Path.of(damaged.string("path")).getParent().resolve("detached");
    Files.move(detached.resolve(damaged.string("name")),
        detached.resolve("broken-on-start_" + damaged.string("name")));

    probe.check();

    assertThat(Heartbeat.samples(registry)).containsEntry("naap_store_damaged_parts", 1.0);
    new Heartbeat(store, "ingest", registry, InstantSource.system()).beat();
    @SuppressWarnings("unchecked")
    var storeFigures = (Map<String, Object>) new OperationsReport(store, InstantSource.system())
        .figures().get("store");
    assertThat(storeFigures).containsEntry("damaged_parts", 1.0);
  }
}
