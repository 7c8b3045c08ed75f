package dev.naap.loadtest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** The load tester's Prometheus metrics (docs/LOADTEST.md, "Metrics"). Thread-safe. */
public final class LoadtestMetrics {
  private final Counter tests;
  private final Counter skipped;
  private final Counter runs;
  private final Counter missedTicks;
  private final Gauge running;
  private final Histogram startup;
  private final Histogram promptChange;
  private final Histogram batchLatency;
  private final Gauge lastRun;
  private final Gauge lastSuccess;

  /** Registers the metrics in {@code registry}. */
  public LoadtestMetrics(PrometheusRegistry registry) {
    tests = Counter.builder().name("naap_loadtest_tests_total")
        .help("Tests finished, by kind, pipeline, outcome and error class")
        .labelNames("kind", "pipeline", "outcome", "error_class").register(registry);
    skipped = Counter.builder().name("naap_loadtest_tests_skipped_total")
        .help("Tests not started because the gateway was unavailable earlier in the run")
        .register(registry);
    runs = Counter.builder().name("naap_loadtest_runs_total")
        .help("Plan runs, by status (ok, failed)").labelNames("status").register(registry);
    missedTicks =
        Counter.builder()
            .name("naap_loadtest_missed_ticks_total")
            .help("Scheduled starts skipped because the previous run was still going")
            .register(registry);
    running = Gauge.builder().name("naap_loadtest_running_tests")
        .help("Tests running now (never above the plan's concurrency)").register(registry);
    startup = seconds(registry, "naap_loadtest_startup_seconds",
        "Live tests: start request to the first status with output");
    promptChange = seconds(registry, "naap_loadtest_prompt_change_seconds",
        "Live tests: /update to the first status showing the new params with output");
    batchLatency = seconds(registry, "naap_loadtest_batch_latency_seconds",
        "Batch tests: request to answer");
    lastRun = Gauge.builder().name("naap_loadtest_last_run_timestamp_seconds")
        .help("When the last plan run ended, whatever its outcome (Unix time)").register(registry);
    lastSuccess = Gauge.builder().name("naap_loadtest_last_success_timestamp_seconds")
        .help("When a test last succeeded (Unix time)").register(registry);
  }

  private static Histogram seconds(PrometheusRegistry registry, String name, String help) {
    return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).labelNames("pipeline")
        .classicOnly().classicExponentialUpperBounds(0.1, 2, 12).register(registry);
  }

  /** Metrics that go nowhere, for tests and one-shot runs. */
  public static LoadtestMetrics unregistered() {
    return new LoadtestMetrics(new PrometheusRegistry());
  }

  void finished(TestResult r) {
    if (r.outcome() == Outcome.SUCCESS) {
      lastSuccess.set(System.currentTimeMillis() / 1e3);
    }
    tests.labelValues(r.kind(), r.pipeline(), r.outcome().label(), r.errorClass().label()).inc();
    if (r.startupMs() != null) {
      startup.labelValues(r.pipeline()).observe(r.startupMs() / 1000.0);
    }
    if (r.promptChangeMs() != null) {
      promptChange.labelValues(r.pipeline()).observe(r.promptChangeMs() / 1000.0);
    }
    if (r.latencyMs() != null) {
      batchLatency.labelValues(r.pipeline()).observe(r.latencyMs() / 1000.0);
    }
  }

  void skipped() {
    skipped.inc();
  }

  void run(boolean ok) {
    runs.labelValues(ok ? "ok" : "failed").inc();
    lastRun.set(System.currentTimeMillis() / 1e3);
  }

  void missedTicks(long n) {
    missedTicks.inc(n);
  }

  void running(int n) {
    running.set(n);
  }
}
