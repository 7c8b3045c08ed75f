package dev.naap.loadtest;

import java.util.List;

/**
 * What one plan run did: its results (in the order tests finished), the tests it did not start
 * because the gateway was unavailable, and the most tests that ran at once.
 */
public record RunSummary(String runId, List<TestResult> results, int skipped, int peakConcurrency) {

  public RunSummary {
    results = List.copyOf(results);
  }

  public long count(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).count();
  }
}
