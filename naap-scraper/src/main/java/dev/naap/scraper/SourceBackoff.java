package dev.naap.scraper;

import java.util.HashMap;
import java.util.Map;

/**
 * Backs off a source that keeps failing, counted in runs so it needs no clock: after the n-th
 * consecutive failed run the source sits out {@code min(2^(n-1) - 1, maxSkippedRuns)} runs (0, 1,
 * 3, 7, … runs), then is tried again; one success resets it. Other sources are unaffected.
 * Thread-safe.
 */
final class SourceBackoff {
  private final int maxSkippedRuns;
  private final Map<String, int[]> state = new HashMap<>();  // {consecutive failures, runs to skip}

  SourceBackoff(int maxSkippedRuns) {
    this.maxSkippedRuns = maxSkippedRuns;
  }

  /** True if {@code source} sits out this run (and counts the run as sat out). */
  synchronized boolean skip(String source) {
    int[] s = state.get(source);
    if (s == null || s[1] == 0) {
      return false;
    }
    s[1]--;
    return true;
  }

  synchronized void failed(String source) {
    int[] s = state.computeIfAbsent(source, k -> new int[2]);
    s[0]++;
    long skip = s[0] >= 31 ? Long.MAX_VALUE : (1L << (s[0] - 1)) - 1;
    s[1] = (int) Math.min(skip, maxSkippedRuns);
  }

  synchronized void succeeded(String source) {
    state.remove(source);
  }

  /** Consecutive failed runs of {@code source}. */
  synchronized int failures(String source) {
    int[] s = state.get(source);
    return s == null ? 0 : s[0];
  }
}
