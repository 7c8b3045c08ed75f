package dev.naap.metrics.query;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A small value read from the store at most once per {@code maxAge}: callers within that time get
 * the last value, and callers that find it too old share one read instead of each sending their
 * own. A failed read is not remembered. For values that every request reports beside its answer
 * (the refresh watermark) and that may trail the store by that much.
 */
final class Recent<T> {

  private record Read<T>(T value, long atNanos) {}

  private final Supplier<T> read;
  private final long maxAgeNanos;
  private final LongSupplier nanos;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Read<T> last;

  Recent(Supplier<T> read, Duration maxAge) {
    this(read, maxAge, System::nanoTime);
  }

  Recent(Supplier<T> read, Duration maxAge, LongSupplier nanos) {
    this.read = read;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanos = nanos;
  }

  /** The last value if it is younger than {@code maxAge}, else a new read's. */
  T get() {
    Read<T> r = last;
    if (fresh(r)) {
      return r.value();
    }
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a shared read", e);
    }
    try {
      r = last;
      if (fresh(r)) {
        return r.value();
      }
      // Aged from before the read starts: what it returns is never older than that.
      long at = nanos.getAsLong();
      T value = read.get();
      last = new Read<>(value, at);
      return value;
    } finally {
      lock.unlock();
    }
  }

  private boolean fresh(Read<T> r) {
    return r != null && nanos.getAsLong() - r.atNanos() < maxAgeNanos;
  }
}
