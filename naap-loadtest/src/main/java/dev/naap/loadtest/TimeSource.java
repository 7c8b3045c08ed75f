package dev.naap.loadtest;

import java.time.Duration;

/**
 * The clock and the sleep of the load tester, injected so a test can drive a simulated gateway
 * that runs faster than real time: with {@link #scaled} every measured duration and every wait is
 * in the simulation's time. Implementations are thread-safe.
 */
public interface TimeSource {

  /** Now, in epoch milliseconds. */
  long nowMs();

  /** Waits {@code duration} of this source's time. */
  void sleep(Duration duration) throws InterruptedException;

  /** The wall clock. */
  static TimeSource system() {
    return new TimeSource() {
      @Override
      public long nowMs() {
        return System.currentTimeMillis();
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
      }
    };
  }

  /**
   * Time that runs {@code speed} times faster than the wall clock from now on, as a simulator
   * paced at that speed ({@code naap simulate --speed}) sees it.
   */
  static TimeSource scaled(double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed: expected > 0, got " + speed);
    }
    long originMs = System.currentTimeMillis();
    long anchorNanos = System.nanoTime();
    return new TimeSource() {
      @Override
      public long nowMs() {
        return originMs + (long) ((System.nanoTime() - anchorNanos) * speed / 1e6);
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(Duration.ofNanos((long) (duration.toNanos() / speed)));
      }
    };
  }
}
