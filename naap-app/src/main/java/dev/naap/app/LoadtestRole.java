package dev.naap.app;

import dev.naap.loadtest.GatewayClient;
import dev.naap.loadtest.LoadtestMetrics;
import dev.naap.loadtest.LoadtestScheduler;
import dev.naap.loadtest.PlanRunner;
import dev.naap.loadtest.RunSummary;
import dev.naap.loadtest.StreamIngest;
import dev.naap.loadtest.TestPlan;
import dev.naap.loadtest.TimeSource;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;

/**
 * The load-tester role, run by {@code naap loadtest run} and inside {@code naap demo}: the plan's
 * tests against a gateway every interval of the plan, on the gateway's clock, results to the
 * store (docs/LOADTEST.md). {@link #run} until {@link #stop}, or {@link #runOnce}.
 */
final class LoadtestRole implements Runnable {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private final PlanRunner runner;
  private final LoadtestScheduler scheduler;

  LoadtestRole(TestPlan plan, GatewayClient client, StreamIngest ingest, Store store,
      double speed, PrometheusRegistry registry) {
    TimeSource time = speed == 1 ? TimeSource.system() : TimeSource.scaled(speed);
    LoadtestMetrics metrics = new LoadtestMetrics(registry);
    runner = PlanRunner.of(plan, client, ingest, store, metrics, time);
    scheduler = new LoadtestScheduler(runner::runOnce, plan.interval(), time, metrics);
  }

  /**
   * A client of a gateway that serves everything at {@code url}, as the simulator does, with the
   * default timeouts.
   */
  static GatewayClient client(URI url) {
    return new GatewayClient(url, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
  }

  @Override
  public void run() {
    scheduler.run();
  }

  void stop() {
    scheduler.stop();
  }

  RunSummary runOnce() throws InterruptedException {
    return runner.runOnce();
  }
}
