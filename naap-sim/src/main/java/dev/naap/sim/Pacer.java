package dev.naap.sim;

/**
 * Maps the simulation's virtual clock onto the wall clock. {@link #none()} runs as fast as
 * possible (backfill, tests); {@link #realTime(double, long)} holds each virtual instant after
 * {@code liveFromMs} until the wall clock reaches it, {@code speed} times faster than real time.
 */
public interface Pacer {

  /** Returns when virtual time {@code virtualMs} may be simulated. */
  void awaitVirtual(long virtualMs) throws InterruptedException;

  static Pacer none() {
    return v -> {};
  }

  /**
   * Backfills everything before {@code liveFromMs} without waiting, then runs at {@code speed}
   * times real time, anchored at the first call after {@code liveFromMs}.
   */
  static Pacer realTime(double speed, long liveFromMs) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed: expected > 0, got " + speed);
    }
    return new Pacer() {
      private long anchorNanos = -1;

      @Override
      public void awaitVirtual(long virtualMs) throws InterruptedException {
        if (virtualMs < liveFromMs) {
          return;
        }
        if (anchorNanos < 0) {
          anchorNanos = System.nanoTime();
        }
        long dueNanos = anchorNanos + (long) ((virtualMs - liveFromMs) * 1e6 / speed);
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) {
          java.util.concurrent.TimeUnit.NANOSECONDS.sleep(Math.min(wait, 200_000_000L));
        }
      }
    };
  }
}
