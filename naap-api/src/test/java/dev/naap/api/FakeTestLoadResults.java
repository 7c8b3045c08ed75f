package dev.naap.api;

import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.TestLoadResults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load test results in memory, filtered, ordered and paged as naap-loadtest's store queries do,
 * for tests of the HTTP layer alone (the same routes over the real store are tested in naap-app,
 * {@code TestLoadApiTest}). Test {@code i} of {@code tests} starts {@code i} minutes after
 * {@link #FIRST}, on orchestrator {@code https://o<i % 3>:8935}, pipeline {@code streamdiffusion}
 * (every fourth {@code text-to-image}), and fails when {@code i % 5 == 0}. Counts the calls, so
 * tests can see what the cache saved, and records the filters it was asked for.
 */
final class FakeTestLoadResults implements TestLoadResults {

  static final Instant FIRST = Instant.parse("2026-01-08T01:00:00Z");

  final AtomicInteger calls = new AtomicInteger();
  final List<Filter> filters = new CopyOnWriteArrayList<>();
  private final List<List<Object>> rows = new ArrayList<>();

  FakeTestLoadResults(int tests) {
    for (int i = 0; i < tests; i++) {
      Instant started = FIRST.plus(Duration.ofMinutes(i));
      boolean failed = i % 5 == 0;
      rows.add(
          Arrays.asList(
              "run-" + i / 10,
              "default",
              "test-" + i,
              i % 4 == 3 ? "batch" : "live",
              "https://o" + i % 3 + ":8935",
              "https://o" + i % 3 + ":8935",
              i % 4 == 3 ? "text-to-image" : "streamdiffusion",
              "stabilityai/sd-turbo",
              "good-prompts-v1@1",
              "p" + i,
              "a prompt, with \"quotes\"",
              started,
              started.plus(Duration.ofSeconds(60)),
              failed ? "failure" : "success",
              failed ? "timeout" : "none",
              failed ? "no output" : "",
              failed ? null : 12_000L + i,
              failed ? null : 11_000L,
              failed ? null : 900L,
              2L,
              failed ? 0L : 2L,
              failed ? null : 20.5,
              failed ? null : 0.05,
              failed ? 0L : 60L,
              null));
    }
    rows.sort(Comparator.comparing((List<Object> r) -> (Instant) r.get(11)).reversed()
        .thenComparing(r -> (String) r.get(2)));
  }

  @Override
  public Page results(Instant start, Instant end, Filter filter, int limit, int offset) {
    calls.incrementAndGet();
    filters.add(filter);
    List<List<Object>> matching = rows.stream().filter(r -> in(r, start, end)
        && matches(filter.orchestrators(), r.get(4)) && matches(filter.pipelines(), r.get(6))
        && matches(filter.outcomes(), r.get(13))).toList();
    int from = Math.min(offset, matching.size());
    int to = Math.min(from + limit, matching.size());
    return new Page(RESULT_COLUMNS, matching.subList(from, to), to < matching.size());
  }

  @Override
  public Page coverage(Instant start, Instant end, Filter filter) {
    calls.incrementAndGet();
    filters.add(filter);
    long tests = rows.stream().filter(r -> in(r, start, end)
        && matches(filter.orchestrators(), r.get(4)) && matches(filter.pipelines(), r.get(6)))
        .count();
    List<List<Object>> coverage = tests == 0 ? List.of() : List.of(Arrays.asList("https://o0:8935",
        "streamdiffusion", tests, tests, 1.0, FIRST, "success", "none", 12_000.0, 11_000.0, 20.5));
    return new Page(COVERAGE_COLUMNS, coverage, false);
  }

  private static boolean in(List<Object> row, Instant start, Instant end) {
    Instant started = (Instant) row.get(11);
    return !started.isBefore(start) && started.isBefore(end);
  }

  private static boolean matches(Set<String> wanted, Object value) {
    return wanted.isEmpty() || wanted.contains(value);
  }
}
