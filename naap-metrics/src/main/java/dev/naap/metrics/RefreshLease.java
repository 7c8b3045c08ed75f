package dev.naap.metrics;

import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to run the rollup refresh, held by one process at a time among all that share a store
 * (ingests and {@code naap refresh}), in the table {@code refresh_lease}. A holder that dies loses
 * it when it expires; a holder that stops cleanly releases it at once.
 *
 * <p>Thread-safe; meant for the one refresh thread of a process.
 *
 * <h2>Why it is sound without a compare-and-set</h2>
 *
 * ClickHouse has no conditional write, and a ReplacingMergeTree keeps every row until it merges.
 * So a claim is a row {@code (term, holder, expires_at)}, read back through {@code FINAL}; the
 * lease is the claim with the highest {@code (term, holder)}, and {@code expires_at} is computed
 * and compared on the store's clock only (one clock, whatever the holders' clocks say). Writes are
 * synchronous inserts: a row is visible to every reader once its insert has returned. Times below
 * are each process's monotonic clock.
 *
 * <ol>
 *   <li><b>Claim.</b> A process reads the lease at {@code r}; if there is none, or it is expired,
 *       it inserts {@code (term + 1, me, now + ttl)}, which has returned at {@code i}. If {@code i
 *       - r > settle} it gives the claim up (it never acts on it). Otherwise it waits until
 *       {@code i + settle} and reads again: it holds the lease if the highest claim is its own.
 *       Two claimants X and Y of one term both saw the old lease, so X read before Y's row
 *       existed: {@code r_X < i_Y}, hence {@code i_X <= r_X + settle < i_Y + settle}, which is
 *       before Y reads back; Y sees X's row, and X sees Y's likewise. Both see both rows and agree
 *       on the higher holder. A claimant that gave up may leave the highest row; then nobody holds
 *       the term, and it expires: a pause, never two holders.
 *   <li><b>Hold.</b> The holder acts only until {@code r + ttl - margin}, where {@code r} is when
 *       its last successful claim or renewal began: its row's expiry on the store's clock is
 *       later than that, so nobody sees it expired while it may still write. The refresh checks
 *       {@link #check()} before every write and stops when it fails.
 *   <li><b>Renew.</b> Before that deadline, the holder rewrites its row with a new expiry and a
 *       higher version, then reads the lease back. A renewal counts only if it took less than the
 *       margin: then it landed while the old row was still live, so the lease never looked
 *       expired and no one could have claimed the next term.
 * </ol>
 * The refresh's writes are versioned recomputations, so even a statement that runs past the
 * deadline (longer than the margin) writes numbers that the next refresh overwrites; the lease
 * keeps two refreshers from racing on one watermark, not each statement from ever overlapping.
 *
 * <p>A dead holder's lease would hold everyone off until it expires (the ttl, 30 s): an import run
 * again after one was killed while it refreshed left the rollups stale. With a {@link
 * LocalLeaseHolder} (an embedded store's data directory), a claimant that finds the live lease
 * held by a process of the same directory that is gone (the file's lock is free and the file names
 * that holder) claims the next term at once, as if the lease had expired; that holder can never
 * write again without a new claim (step 1, which locks the file first), so there are still never
 * two holders. A holder keeps the lock from before its claim until it releases the lease or learns
 * it does not hold it.
 */
public final class RefreshLease {

  private static final Logger log = LoggerFactory.getLogger(RefreshLease.class);

  /** How long a claim lasts without renewal: how long the refresh pauses when its holder dies. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  /** The lease of the rollup refresh. */
  static final String ROLLUPS = "rollups";

  private final Store store;
  private final String name;
  private final String holder;
  private final long ttlNanos;
  private final long marginNanos;
  private final long settleNanos;
  private final LongSupplier nanoTime;
  private final LocalLeaseHolder local;
  private final String read = Sql.load(RefreshLease.class, "lease_read.sql");
  private final String write = Sql.load(RefreshLease.class, "lease_write.sql");

  private long term;
  private long version;
  private boolean held;
  private long deadlineNanos;

  /** Thrown by {@link #check()} when this process no longer holds the lease. */
  public static final class LostException extends RuntimeException {
    LostException(String message) {
      super(message);
    }
  }

  /** The lease of the rollup refresh for {@code holder}, a name unique to this process. */
  public RefreshLease(Store store, String holder, Duration ttl) {
    this(store, holder, ttl, null);
  }

  /**
   * As {@link #RefreshLease(Store, String, Duration)}; {@code local} (null: none) lets a process of
   * the same data directory take back a dead holder's lease at once.
   */
  public RefreshLease(Store store, String holder, Duration ttl, LocalLeaseHolder local) {
    this(store, ROLLUPS, holder, ttl, System::nanoTime, local);
  }

  RefreshLease(Store store, String name, String holder, Duration ttl, LongSupplier nanoTime) {
    this(store, name, holder, ttl, nanoTime, null);
  }

  RefreshLease(Store store, String name, String holder, Duration ttl, LongSupplier nanoTime,
      LocalLeaseHolder local) {
    if (ttl.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new IllegalArgumentException("lease ttl " + ttl + " is under 3 s");
    }
    if (!holder.matches("[A-Za-z0-9._:@\\-]{1,200}")) {
      throw new IllegalArgumentException("lease holder '" + holder + "': use 1 to 200 of A-Z a-z"
          + " 0-9 . _ : @ -");
    }
    this.store = store;
    this.name = name;
    this.holder = holder;
    this.ttlNanos = ttl.toNanos();
    this.marginNanos = ttlNanos / 3;
    this.settleNanos = ttlNanos / 15;
    this.nanoTime = nanoTime;
    this.local = local;
  }

  /**
   * Claims the lease, or renews it when held; returns whether this process holds it now. May wait
   * a fraction of the ttl while a claim settles.
   *
   * @throws InterruptedException while waiting for a claim to settle
   */
  public synchronized boolean acquire() throws InterruptedException {
    try {
      return claimOrRenew();
    } finally {
      if (local != null && !held) {
        local.unlock(); // not acting on a claim: a successor here may take its row back
      }
    }
  }

  private boolean claimOrRenew() throws InterruptedException {
    if (held && nanoTime.getAsLong() >= deadlineNanos) {
      held = false;
    }
    long start = nanoTime.getAsLong();
    Claim current = current();
    if (held) {
      if (!Claim.is(current, term, holder)) {
        held = false; // someone claimed a later term: never expected while held, but obeyed
        return false;
      }
      insert(term, ttlNanos / 1_000_000);
      Claim after = current();
      long end = nanoTime.getAsLong();
      if (!Claim.is(after, term, holder)) {
        held = false;
      } else if (end - start < marginNanos) {
        deadlineNanos = start + ttlNanos - marginNanos;
      }
      return held;
    }
    if (current != null && current.live() && !deadHere(current.holder())) {
      return false;
    }
    long claimed = current == null ? 1 : current.term() + 1;
    if (local != null) {
      local.note(holder); // when another process here holds the file, claimed unnoted: the ttl
    }
    insert(claimed, ttlNanos / 1_000_000);
    long inserted = nanoTime.getAsLong();
    if (inserted - start > settleNanos) {
      return false; // too slow to be sure a rival saw it: given up, it expires
    }
    Thread.sleep(Duration.ofNanos(Math.max(0, inserted + settleNanos - nanoTime.getAsLong())));
    if (Claim.is(current(), claimed, holder)) {
      term = claimed;
      held = true;
      deadlineNanos = start + ttlNanos - marginNanos;
    }
    return held;
  }

  /** Whether {@code other}, holding a live lease, is a process of this data directory now gone. */
  private boolean deadHere(String other) {
    if (local == null || other.equals(holder) || !local.isGone(other)) {
      return false;
    }
    log.info("the refresh lease's holder {} was a process of this data directory that is gone:"
        + " taking the lease back at once", other);
    return true;
  }

  /**
   * Returns normally while this process holds the lease, renewing it when half its time is gone.
   *
   * @throws LostException when the lease is lost or expired: the caller must not write
   */
  public synchronized void check() {
    if (held && deadlineNanos - nanoTime.getAsLong() < (ttlNanos - marginNanos) / 2) {
      try {
        acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LostException("interrupted while renewing the refresh lease");
      }
    }
    if (!held || nanoTime.getAsLong() >= deadlineNanos) {
      held = false;
      throw new LostException("the refresh lease (term " + term + ") is no longer held by "
          + holder);
    }
  }

  /** Whether this process holds the lease now. */
  public synchronized boolean held() {
    return held && nanoTime.getAsLong() < deadlineNanos;
  }

  /** The term of the last claim this process won (0: none). */
  public synchronized long term() {
    return term;
  }

  /** This process's holder name. */
  public String holder() {
    return holder;
  }

  /** Gives the lease up, so that another process takes it at once instead of after the ttl. */
  public synchronized void release() {
    try {
      if (held) {
        held = false;
        insert(term, 0);
      }
    } finally {
      if (local != null) {
        local.unlock();
      }
    }
  }

  private record Claim(long term, String holder, boolean live) {
    static boolean is(Claim claim, long term, String holder) {
      return claim != null && claim.term == term && claim.holder.equals(holder);
    }
  }

  private Claim current() {
    Rows rows = Rows.query(store, read, Map.of("name", name), List.of("term", "holder", "live"));
    if (rows.isEmpty()) {
      return null;
    }
    Rows.Row r = rows.single();
    return new Claim(r.integer("term"), r.string("holder"), r.bool("live"));
  }

  private void insert(long claimTerm, long ttlMs) {
    version++;
    store.query(write, Map.of("name", name, "term", claimTerm, "holder", holder, "ttl_ms", ttlMs,
        "version", version), "TabSeparated");
  }
}
