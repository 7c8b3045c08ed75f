package dev.naap.scraper;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** The scraper's Prometheus metrics (docs/SCRAPER.md, "Metrics"). Thread-safe. */
public final class ScrapeMetrics {
  private final Counter runs;
  private final Counter errors;
  private final Counter versions;
  private final Counter versionsUpdated;
  private final Gauge orchestrators;
  private final Gauge gpus;
  private final Gauge unreachable;
  private final Histogram runSeconds;
  private final Gauge sourceUp;
  private final Gauge lastSuccess;

  /** Registers the metrics in {@code registry}. */
  public ScrapeMetrics(PrometheusRegistry registry) {
    runs = Counter.builder().name("naap_scrape_runs_total")
        .help("Scrape runs, by outcome (ok, partial, failed)").labelNames("status")
        .register(registry);
    errors = Counter.builder().name("naap_scrape_errors_total")
        .help("Failed source scrapes, by source, endpoint and kind")
        .labelNames("source", "endpoint", "kind").register(registry);
    versions = Counter.builder().name("naap_scrape_versions_written_total")
        .help("New snapshot versions written, by table").labelNames("table").register(registry);
    versionsUpdated = Counter.builder().name("naap_scrape_versions_updated_total")
        .help("Open versions rewritten in place because only their load changed (idle and"
            + " busy containers), by table")
        .labelNames("table").register(registry);
    orchestrators = Gauge.builder().name("naap_scrape_orchestrators")
        .help("Orchestrators in the last good answer of each source").labelNames("source")
        .register(registry);
    gpus = Gauge.builder().name("naap_scrape_gpus")
        .help("Distinct GPU ids in the last good answer of each source").labelNames("source")
        .register(registry);
    unreachable = Gauge.builder().name("naap_scrape_unreachable_orchestrators")
        .help("Orchestrator service URIs that failed the last reachability probe")
        .register(registry);
    runSeconds = Histogram.builder().name("naap_scrape_run_duration_seconds")
        .help("Duration of one scrape run").unit(Unit.SECONDS)
        .classicOnly().classicExponentialUpperBounds(0.05, 2, 12).register(registry);
    sourceUp =
        Gauge.builder()
            .name("naap_scrape_source_up")
            .help("1 when the last capabilities scrape of a source succeeded, else 0")
            .labelNames("source")
            .register(registry);
    lastSuccess = Gauge.builder().name("naap_scrape_source_last_success_timestamp_seconds")
        .help("When a source last answered a capabilities scrape that was written (Unix time)")
        .labelNames("source").register(registry);
  }

  /** Metrics that go nowhere, for tests and one-shot runs that do not export them. */
  public static ScrapeMetrics unregistered() {
    return new ScrapeMetrics(new PrometheusRegistry());
  }

  void run(String status, long nanos) {
    runs.labelValues(status).inc();
    runSeconds.observe(nanos / 1e9);
  }

  void error(String source, String endpoint, String kind) {
    errors.labelValues(source, endpoint, kind).inc();
  }

  void versionsWritten(String table, int count) {
    versions.labelValues(table).inc(count);
  }

  void versionsUpdated(String table, int count) {
    versionsUpdated.labelValues(table).inc(count);
  }

  /** The outcome of a source's capabilities scrape; {@code nowMs} is wall-clock time. */
  void sourceOutcome(String source, boolean ok, long nowMs) {
    sourceUp.labelValues(source).set(ok ? 1 : 0);
    if (ok) {
      lastSuccess.labelValues(source).set(nowMs / 1e3);
    }
  }

  void seen(String source, int orchestratorCount, int gpuCount) {
    orchestrators.labelValues(source).set(orchestratorCount);
    gpus.labelValues(source).set(gpuCount);
  }

  void unreachable(int count) {
    unreachable.set(count);
  }
}
