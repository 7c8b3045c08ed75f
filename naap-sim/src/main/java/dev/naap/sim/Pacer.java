package dev.naap.sim;

import java.util.concurrent.CountDownLatch;

/**
 * Maps the simulation's virtual clock onto the wall clock. {@link #none()} runs as fast as
 * possible (backfill, tests); {@link #realTime(double, long)} holds each virtual instant after
 * {@code liveFromMs} until the wall clock reaches it, {@code speed} times faster than real time.
 */
public interface Pacer {

  /**
   * How many wall-clock nanoseconds remain before virtual time {@code virtualMs} may be simulated;
   * zero or less means now. The simulator sleeps in short steps and asks again, so that a stop
   * request is honoured promptly.
   */
  long waitNanos(long virtualMs);

  /** The virtual time that corresponds to the wall clock now, but never before {@code lastMs}. */
  default long virtualNowMs(long lastMs) {
    return lastMs;
  }

  static Pacer none() {
    return v -> 0;
  }

  /**
   * Backfills everything before {@code liveFromMs} without waiting, then runs at {@code speed}
   * times real time, anchored at the first instant simulated at or after {@code liveFromMs}.
   */
  static Pacer realTime(double speed, long liveFromMs) {
    return realTime(speed, liveFromMs, new CountDownLatch(1));
  }

  /**
   * {@link #realTime(double, long)}, counting {@code live} down when the run reaches {@code
   * liveFromMs}: the backfill is over. Streams started over the gateway's HTTP surface before
   * that run in the backfill's virtual time, where their minutes pass in milliseconds.
   */
  static Pacer realTime(double speed, long liveFromMs, CountDownLatch live) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed: expected > 0, got " + speed);
    }
    return new Pacer() {
      private long anchorNanos = Long.MIN_VALUE;

      @Override
      public long waitNanos(long virtualMs) {
        if (virtualMs < liveFromMs) {
          return 0;
        }
        if (anchorNanos == Long.MIN_VALUE) {
          anchorNanos = System.nanoTime();
          live.countDown();
        }
        return anchorNanos + (long) ((virtualMs - liveFromMs) * 1e6 / speed) - System.nanoTime();
      }

      @Override
      public long virtualNowMs(long lastMs) {
        if (anchorNanos == Long.MIN_VALUE) {
          return lastMs;
        }
        return Math.max(
            lastMs, liveFromMs + (long) ((System.nanoTime() - anchorNanos) * speed / 1e6));
      }
    };
  }
}
