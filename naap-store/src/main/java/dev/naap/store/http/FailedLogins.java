package dev.naap.store.http;

import dev.naap.http.Clients;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client address (an IPv6 one by its /64, {@link Clients#of}: else
 * each of its 2^64 addresses had 30 guesses of its own), in fixed windows: an address that failed
 * {@link #MAX_FAILURES} times is refused without a check until its window ends, so that a
 * password cannot be guessed at the server's speed (about 930 guesses a second over loopback
 * without it). A client with the right password is refused too while its address is blocked: the
 * check itself would otherwise tell a guesser when it is right. At most {@link #MAX_TRACKED}
 * addresses are followed; when that many failed within one window, the addresses not followed
 * share one budget of {@link #UNTRACKED_MAX_FAILURES} failures a window, and once it is spent
 * every address not followed is refused until that window ends: a guesser holding more networks
 * than the table gets that many more guesses, not unbounded ones, and honest new clients are held
 * back with it (SECURITY.md). Thread-safe.
 */
final class FailedLogins {
  static final int MAX_FAILURES = 30;
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final int MAX_TRACKED = 10_000;
  /** What all the addresses not followed may fail together in a window: one address's budget. */
  static final int UNTRACKED_MAX_FAILURES = MAX_FAILURES;

  private record Window(long start, int failures) {}

  private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();
  /** The failures of the addresses not followed (the table was full), counted together. */
  private final AtomicReference<Window> untracked = new AtomicReference<>();
  private final LongSupplier nanoClock;

  FailedLogins(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Whole seconds until {@code address} may authenticate again; 0 when it may now. */
  long blockedSeconds(InetAddress address) {
    Window w = windows.get(Clients.of(address));
    long now = nanoClock.getAsLong();
    int limit = MAX_FAILURES;
    if (w == null) {
      // Not followed: it shares the budget of all such addresses.
      w = untracked.get();
      limit = UNTRACKED_MAX_FAILURES;
    }
    if (w == null || w.failures < limit || ended(w, now)) {
      return 0;
    }
    long left = w.start + WINDOW.toNanos() - now;
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /** Counts a failed authentication of {@code address}. */
  void failed(InetAddress address) {
    InetAddress client = Clients.of(address);
    long now = nanoClock.getAsLong();
    if (windows.size() >= MAX_TRACKED) {
      windows.values().removeIf(w -> ended(w, now));
      if (windows.size() >= MAX_TRACKED && !windows.containsKey(client)) {
        untracked.updateAndGet(w -> next(w, now));
        return;
      }
    }
    windows.compute(client, (a, w) -> next(w, now));
  }

  /** {@code w} with one more failure at {@code now}: a new window when it ended. */
  private static Window next(Window w, long now) {
    return w == null || ended(w, now) ? new Window(now, 1) : new Window(w.start, w.failures + 1);
  }

  private static boolean ended(Window w, long now) {
    return now - w.start >= WINDOW.toNanos();
  }
}
