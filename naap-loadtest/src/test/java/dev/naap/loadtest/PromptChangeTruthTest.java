package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.sim.GroundTruth;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load tester's prompt-change numbers against the simulator's ground truth: when the gateway
 * handled each {@code /update} and when the runner really applied it ({@code promptChanges}). One
 * change per test, so a test's median is that change's own measurement; two runs over every
 * orchestrator advertising streamdiffusion at 10 times real time.
 *
 * <p>Bounds, in simulated time, for a true apply delay {@code d} (0.1-0.6 s in the simulator):
 *
 * <ul>
 *   <li>{@code d <= prompt_change_ms <= d + 10 s + poll interval + SLACK}: the status that shows
 *       the change is made after the runner applied it, at most one status period (10 s) later,
 *       and the next poll sees it within one poll interval.
 *   <li>{@code d - 20 ms <= prompt_applied_ms <= d + poll interval + SLACK}: the estimate is
 *       {@code d} plus the time from the status being made to being polled (0 .. poll interval)
 *       plus the {@code /update}'s transport, minus up to 15 ms by which the runner stamps a status
 *       after the gateway's timer (the status {@code timestamp} jitter); 20 ms covers that and the
 *       millisecond rounding of the two clocks.
 * </ul>
 *
 * SLACK is 2 s of simulated time, 200 ms of wall clock at 10x: two loopback HTTP exchanges
 * (update, status), the simulator's 20 ms inbox granularity and thread wake-ups on a shared
 * machine.
 */
class PromptChangeTruthTest {
  static final double SPEED = 10;
  static final long STATUS_PERIOD_MS = 10_000;
  static final long SLACK_MS = 2_000;
  static final long STAMP_JITTER_MS = 20;
  static SimulatedGateway gateway;
  static Store store;
  static TestPlan plan;
  static List<TestResult> results = new ArrayList<>();
  static GroundTruth truth;

  @BeforeAll
  static void twoRuns() throws Exception {
    gateway = new SimulatedGateway(11, 16, 32, SPEED);
    store = TestEngine.uniqueStore("loadtest_prompt_truth");
    GatewayClient client =
        new GatewayClient(gateway.url(), Duration.ofSeconds(2), Duration.ofSeconds(15));
    // A change is sent only while prompt_timeout remains: 40 s leaves 13 s of simulated time (1.3 s
    // of wall clock) after the slowest startups of about 12 s, so a busy machine's delays do not
    // keep a test from timing its change.
    plan =
        TestPlanLoader.parse(
            """
            {"name": "prompt-truth", "test_duration": "40s", "poll_interval": "1s", "concurrency": 4,
             "prompt_changes": 1, "startup_timeout": "60s", "prompt_timeout": "15s"}
            """
                .getBytes(StandardCharsets.UTF_8));
    PlanRunner runner = PlanRunner.of(plan, client, new HookIngest(client), store,
        LoadtestMetrics.unregistered(), TimeSource.scaled(SPEED));
    results.addAll(runner.runOnce().results());
    results.addAll(runner.runOnce().results());
    truth = gateway.stop();
  }

  @AfterAll
  static void close() throws Exception {
    gateway.close();
    store.close();
  }

  @Test
  void everyTimedChange_liesWithinTheTruthsBounds() {
    Map<String, List<GroundTruth.PromptChange>> changes = truth.promptChanges().stream()
        .collect(Collectors.groupingBy(GroundTruth.PromptChange::streamId));
    long poll = plan.pollInterval().toMillis();
    int timed = 0;
    int estimated = 0;
    for (TestResult r : results) {
      List<GroundTruth.PromptChange> sent = changes.getOrDefault(r.testId(), List.of());
      assertThat(sent)
          .as("changes the simulator saw for %s", r.testId())
          .hasSize(r.promptChangesSent());
      if (r.promptChangeMs() == null) {
        continue;
      }
      GroundTruth.PromptChange change = sent.getFirst();
      assertThat(change.orchestrator()).isEqualTo(r.orchestrator());
      long d = change.appliedMs() - change.updateMs();
      System.out.printf("change %s truth=%d measured=%d applied=%s%n", r.testId(), d,
          r.promptChangeMs(), r.promptAppliedMs());
      assertThat(d).isBetween(100L, 600L);
      assertThat(r.promptChangeMs()).as("measured, truth %d ms", d)
          .isBetween(d, d + STATUS_PERIOD_MS + poll + SLACK_MS);
      timed++;
      if (r.promptAppliedMs() != null) {
        assertThat(r.promptAppliedMs()).as("estimate, truth %d ms", d)
            .isBetween(d - STAMP_JITTER_MS, d + poll + SLACK_MS);
        estimated++;
      }
    }
    // Two runs over every orchestrator advertising streamdiffusion: nearly every test times its
    // change.
    assertThat(results).hasSizeGreaterThanOrEqualTo(8);
    assertThat(timed).as("results %s", results).isGreaterThanOrEqualTo(results.size() - 2);
    assertThat(estimated).isEqualTo(timed);
  }
}
