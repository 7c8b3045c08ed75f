package dev.naap.dashboard;

import dev.naap.loadtest.GatewayClient;
import dev.naap.loadtest.HookIngest;
import dev.naap.loadtest.LoadtestMetrics;
import dev.naap.loadtest.PlanRunner;
import dev.naap.loadtest.RunSummary;
import dev.naap.loadtest.TestLoadStore;
import dev.naap.loadtest.TestPlanLoader;
import dev.naap.loadtest.TestResult;
import dev.naap.loadtest.TimeSource;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The real load tester ({@link PlanRunner}) against the gateway of a simulated network, ten times
 * faster than real time, writing its results into the store as {@code naap loadtest run} does: two
 * runs of a plan that covers every orchestrator advertising streamdiffusion, and one pinned to an
 * orchestrator that does not exist (a {@code no_orchestrator} failure); and a baseline three days
 * earlier ({@link #writeBaseline}). The simulated clock starts {@link #LEAD} before now, so every
 * test has started and ended before the dashboard's "now".
 */
final class LoadTestRuns {

  private static final double SPEED = 10;
  /** Longer than the runs take in simulated time (about 20 s of wall clock at ten times). */
  private static final Duration LEAD = Duration.ofMinutes(15);

  private static final String PLAN =
      """
      {"name": "dashboard", "test_duration": "40s", "poll_interval": "1s", "concurrency": 16,
       "prompt_changes": 2, "startup_timeout": "60s", "prompt_timeout": "15s"}
      """;
  private static final String NOWHERE =
      """
      {"name": "nowhere", "orchestrators": ["https://orch-99.nowhere.example"], "poll_interval": "1s"}
      """;

  private LoadTestRuns() {}

  /**
   * Runs the plans against the gateway of {@code network} without demand of its own (the tester's
   * streams are its only traffic) and writes the results into {@code store}.
   */
  static void run(SimConfig.Builder network, Store store) {
    long began = System.nanoTime();
    long startMs = Instant.now().minus(LEAD).toEpochMilli();
    Simulator sim = new Simulator(network.startMs(startMs).duration(Duration.ofHours(1))
        .peakStreamsPerHour(0).darkOrchestrator(false).build());
    Thread runner = Thread.ofPlatform().name("load-test-simulator").daemon().start(
        () -> sim.run((key, value) -> {}, Pacer.realTime(SPEED, startMs)));
    // Gateway 2 is the one that forwards is_test_load, as in the demo.
    try (GatewayServer gateway = GatewayServer.start(sim, 2, 0)) {
      GatewayClient client = new GatewayClient(URI.create("http://127.0.0.1:" + gateway.port()),
          Duration.ofSeconds(2), Duration.ofSeconds(15));
      TimeSource time = simulatedClock(startMs);
      PlanRunner tester = runner(PLAN, client, store, time);
      RunSummary first = tester.runOnce();
      RunSummary second = tester.runOnce();
      runner(NOWHERE, client, store, time).runOnce();
      writeBaseline(first, new TestLoadStore(store));
      System.out.printf(
          "load tester: %d tests in %.1f s%n",
          first.results().size() + second.results().size() + 1, (System.nanoTime() - began) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      sim.stop();
    }
    try {
      runner.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The first run's tests again three days earlier, for the view's comparison with the previous
   * 7 days: on every other orchestrator startup and prompt change took 40 % less then, so the page
   * has changes to flag. The only rows not measured by the load tester.
   */
  private static void writeBaseline(RunSummary run, TestLoadStore writes) {
    Duration earlier = Duration.ofDays(3);
    for (int i = 0; i < run.results().size(); i++) {
      TestResult r = run.results().get(i);
      double factor = i % 2 == 0 ? 0.6 : 1;
      writes.write(
          new TestResult(
              r.runId() + "-baseline",
              r.plan(),
              r.testId() + "-baseline",
              r.kind(),
              r.orchestrator(),
              r.servedBy(),
              r.pipeline(),
              r.model(),
              r.dataset(),
              r.promptId(),
              r.prompt(),
              r.startedAt().minus(earlier),
              r.endedAt().minus(earlier),
              r.outcome(),
              r.errorClass(),
              r.errorMessage(),
              scaled(r.startupMs(), factor),
              scaled(r.promptChangeMs(), factor),
              scaled(r.promptAppliedMs(), factor),
              r.promptChangesSent(),
              r.promptChangesSeen(),
              r.outputFps(),
              r.fpsJitter(),
              r.statusSamples(),
              r.latencyMs()),
          r.endedAt().minus(earlier));
    }
  }

  private static Long scaled(Long ms, double factor) {
    return ms == null ? null : Math.round(ms * factor);
  }

  private static PlanRunner runner(
      String plan, GatewayClient client, Store store, TimeSource time) {
    return PlanRunner.of(
        TestPlanLoader.parse(plan.getBytes(StandardCharsets.UTF_8)),
        client,
        new HookIngest(client),
        store,
        LoadtestMetrics.unregistered(),
        time);
  }

  /**
   * The simulator's clock: {@code startMs} now, running {@link #SPEED} times faster than the wall
   * clock.
   */
  private static TimeSource simulatedClock(long startMs) {
    long anchorNanos = System.nanoTime();
    return new TimeSource() {
      @Override
      public long nowMs() {
        return startMs + (long) ((System.nanoTime() - anchorNanos) * SPEED / 1e6);
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(Duration.ofNanos((long) (duration.toNanos() / SPEED)));
      }
    };
  }
}
