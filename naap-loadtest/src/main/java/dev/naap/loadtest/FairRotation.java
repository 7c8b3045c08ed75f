package dev.naap.loadtest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses which orchestrators a run tests so that, over runs, each gets the same number of
 * tests: repeatedly the one with the fewest so far (ties by name). An orchestrator that joins
 * later starts at the current minimum, not at zero, so it is not tested back to back while the
 * others wait. Stateless: the counts come from the results.
 */
public final class FairRotation {
  private FairRotation() {}

  /** {@code n} picks from {@code orchestrators} (0 = one each), given the tests each has had. */
  public static List<String> choose(Collection<String> orchestrators, Map<String, Long> counts, int n) {
    if (orchestrators.isEmpty()) {
      return List.of();
    }
    long floor = orchestrators.stream().filter(counts::containsKey).mapToLong(counts::get).min().orElse(0);
    Map<String, Long> have = new HashMap<>();
    for (String o : orchestrators) {
      have.put(o, counts.getOrDefault(o, floor));
    }
    int picks = n == 0 ? orchestrators.size() : n;
    List<String> chosen = new ArrayList<>(picks);
    for (int i = 0; i < picks; i++) {
      String next = have.entrySet().stream()
          .min(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
          .orElseThrow().getKey();
      chosen.add(next);
      have.merge(next, 1L, Long::sum);
    }
    return chosen;
  }
}
