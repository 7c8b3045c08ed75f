package dev.naap.http;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A budget of answer bytes on their way to clients at once. An answer is held in the heap until
 * its client has read it, at the client's pace (a client that does not read holds it until the
 * idle timeout fails the write): without a bound, many slow readers could hold any number of
 * answers. An answer that does not fit is refused at once (the caller answers 503 and the client
 * retries); one larger than the whole budget is sent when nothing else is.
 *
 * <p>A client (as the caller names it: its address, an IPv6 one by its /64, {@link Clients}) may
 * hold at most {@code 1/}{@link #CLIENT_SHARES} of the budget, so that one client reading large
 * answers slowly leaves the rest to others; one answer larger than that share is sent when the
 * client holds nothing else. The table of clients holds only those holding bytes, so it is no
 * larger than the answers being sent (bounded by the connection caps). Thread-safe.
 */
public final class SendingBytes {

  /**
   * A client may hold one part in this many of the budget: 16 MiB of the API's 64, 64 MiB of the
   * ClickHouse endpoint's 256 (its largest result). Clients from this many networks can still
   * hold it all.
   */
  public static final int CLIENT_SHARES = 4;

  /** Which bound refused an answer. */
  public enum Refusal {
    /** The budget of all clients: the answers being sent to others leave no room. */
    ALL,
    /** The client's share: the answers being sent to this client leave no room. */
    CLIENT
  }

  private final int max;
  private final int share;
  /** Guarded by this. */
  private int free;
  /** Bytes held per client, only clients that hold some. Guarded by this. */
  private final Map<String, Integer> holding = new HashMap<>();
  private final LongAdder refused = new LongAdder();

  /** A budget of {@code max} bytes, 1..{@link Integer#MAX_VALUE}. */
  public SendingBytes(long max) {
    if (max < 1 || max > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sending bytes " + max + " is outside 1.."
          + Integer.MAX_VALUE);
    }
    this.max = (int) max;
    this.share = Math.max(1, this.max / CLIENT_SHARES);
    this.free = this.max;
  }

  /**
   * Holds {@code bytes} of the budget for {@code client} until the hold is closed (when the answer
   * is written or the write failed), or returns a refused hold, counted, when they do not fit now:
   * beside the answers being sent to all clients, or beside this client's own beyond its share.
   */
  public synchronized Hold tryHold(String client, long bytes) {
    int weight = (int) Math.min(Math.max(bytes, 0), max);
    int held = holding.getOrDefault(client, 0);
    Refusal refusal = null;
    if (held > 0 && (long) held + weight > share) {
      refusal = Refusal.CLIENT;
    } else if (weight > free) {
      refusal = Refusal.ALL;
    }
    if (refusal != null) {
      refused.increment();
      return new Hold(client, 0, refusal);
    }
    free -= weight;
    if (weight > 0) {
      holding.merge(client, weight, Integer::sum);
    }
    return new Hold(client, weight, null);
  }

  private synchronized void release(String client, int weight) {
    free += weight;
    if (weight > 0) {
      holding.computeIfPresent(client, (c, held) -> held == weight ? null : held - weight);
    }
  }

  /** Bytes of the budget not held now. */
  public synchronized int available() {
    return free;
  }

  /** Bytes {@code client} holds now. */
  public synchronized int held(String client) {
    return holding.getOrDefault(client, 0);
  }

  /** Clients holding bytes now: the size of the table. */
  public synchronized int clients() {
    return holding.size();
  }

  /** The whole budget. */
  public int max() {
    return max;
  }

  /** The most one client may hold, but for one answer larger than it. */
  public int share() {
    return share;
  }

  /** Answers refused because they did not fit, since the start. */
  public long refused() {
    return refused.sum();
  }

  /**
   * Bytes held for one answer, or a refusal ({@link #refusal()} not null) that holds none; closing
   * it more than once releases them once.
   */
  public final class Hold implements AutoCloseable {
    private final String client;
    private final int weight;
    private final Refusal refusal;
    private final AtomicBoolean held;

    private Hold(String client, int weight, Refusal refusal) {
      this.client = client;
      this.weight = weight;
      this.refusal = refusal;
      this.held = new AtomicBoolean(refusal == null);
    }

    /** Null when the bytes are held; else the bound that refused them. */
    public Refusal refusal() {
      return refusal;
    }

    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        release(client, weight);
      }
    }
  }
}
