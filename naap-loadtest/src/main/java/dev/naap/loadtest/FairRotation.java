package dev.naap.loadtest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chooses which orchestrators a run tests so that, over runs, each gets the same number of tests:
 * the ones with the fewest tests so far (ties by name), each at most once per round, so a run
 * never pins two tests to one orchestrator unless it asks for more tests than there are
 * orchestrators. A newcomer starts at zero and catches up. Stateless: the counts come from the
 * results.
 */
public final class FairRotation {
  private FairRotation() {}

  /** {@code n} picks from {@code orchestrators} (0 = one each), given the tests each has had. */
  public static List<String> choose(
      Collection<String> orchestrators, Map<String, Long> counts, int n) {
    List<String> order = orchestrators.stream().distinct()
        .sorted(Comparator.<String>comparingLong(o -> counts.getOrDefault(o, 0L))
            .thenComparing(Comparator.naturalOrder()))
        .toList();
    if (order.isEmpty()) {
      return List.of();
    }
    int picks = n == 0 ? order.size() : n;
    List<String> chosen = new ArrayList<>(picks);
    for (int i = 0; i < picks; i++) {
      chosen.add(order.get(i % order.size()));
    }
    return chosen;
  }
}
