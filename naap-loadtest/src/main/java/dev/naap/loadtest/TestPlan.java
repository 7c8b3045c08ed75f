package dev.naap.loadtest;

import java.time.Duration;
import java.util.List;

/**
 * What the tester runs, every {@code interval} (docs/LOADTEST.md, "Plans"). Immutable; built by
 * {@link TestPlanLoader}, which gives every key its default.
 *
 * @param orchestrators URL substrings to pin tests to; empty = every orchestrator that advertises
 *     the target's pipeline and model, rotated fairly
 * @param testsPerRun live tests per target and run; 0 = one per orchestrator
 */
public record TestPlan(String name, List<Target> targets, String dataset, Duration testDuration,
    Duration interval, int concurrency, List<String> orchestrators, int testsPerRun,
    int promptChanges, Duration pollInterval, Duration startupTimeout, Duration promptTimeout,
    int batchRequests) {

  public TestPlan {
    targets = List.copyOf(targets);
    orchestrators = List.copyOf(orchestrators);
  }

  /** A pipeline and model to test, live (streaming) or batch (request/response). */
  public record Target(String pipeline, String model, Kind kind) {}

  public enum Kind {
    LIVE,
    BATCH
  }
}
