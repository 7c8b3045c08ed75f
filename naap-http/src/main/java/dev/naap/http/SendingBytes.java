package dev.naap.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A budget of answer bytes on their way to clients at once. An answer is held in the heap until
 * its client has read it, at the client's pace (a client that does not read holds it until the
 * idle timeout fails the write): without a bound, many slow readers could hold any number of
 * answers. An answer that does not fit is refused at once (the caller answers 503 and the client
 * retries); one larger than the whole budget is sent when nothing else is. Thread-safe.
 */
public final class SendingBytes {

  private final int max;
  private final Semaphore free;
  private final LongAdder refused = new LongAdder();

  /** A budget of {@code max} bytes, 1..{@link Integer#MAX_VALUE}. */
  public SendingBytes(long max) {
    if (max < 1 || max > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sending bytes " + max + " is outside 1.."
          + Integer.MAX_VALUE);
    }
    this.max = (int) max;
    this.free = new Semaphore(this.max);
  }

  /**
   * Holds {@code bytes} of the budget until the hold is closed (when the answer is written or the
   * write failed), or returns null, counted as a refusal, when they do not fit now.
   */
  public Hold tryHold(long bytes) {
    int weight = (int) Math.min(Math.max(bytes, 0), max);
    if (!free.tryAcquire(weight)) {
      refused.increment();
      return null;
    }
    return new Hold(weight);
  }

  /** Bytes of the budget not held now. */
  public int available() {
    return free.availablePermits();
  }

  /** The whole budget. */
  public int max() {
    return max;
  }

  /** Answers refused because they did not fit, since the start. */
  public long refused() {
    return refused.sum();
  }

  /** Bytes held for one answer; closing it more than once releases them once. */
  public final class Hold implements AutoCloseable {
    private final int weight;
    private final AtomicBoolean held = new AtomicBoolean(true);

    private Hold(int weight) {
      this.weight = weight;
    }

    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        free.release(weight);
      }
    }
  }
}
