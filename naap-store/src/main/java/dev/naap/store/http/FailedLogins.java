package dev.naap.store.http;

import dev.naap.http.Clients;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client address (an IPv6 one by its /64, {@link Clients#of}: else
 * each of its 2^64 addresses had 30 guesses of its own), in fixed windows: an address that failed
 * {@link #MAX_FAILURES} times is refused without a check until its window ends, so that a
 * password cannot be guessed at the server's speed (about 930 guesses a second over loopback
 * without it). A client with the right password is refused too while its address is blocked: the
 * check itself would otherwise tell a guesser when it is right. At most {@link #MAX_TRACKED}
 * addresses are followed; when that many failed within one window, new ones are not (the
 * connection caps still bound them). Thread-safe.
 */
final class FailedLogins {
  static final int MAX_FAILURES = 30;
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final int MAX_TRACKED = 10_000;

  private record Window(long start, int failures) {}

  private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  FailedLogins(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Whole seconds until {@code address} may authenticate again; 0 when it may now. */
  long blockedSeconds(InetAddress address) {
    Window w = windows.get(Clients.of(address));
    long now = nanoClock.getAsLong();
    if (w == null || w.failures < MAX_FAILURES || ended(w, now)) {
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
        return;
      }
    }
    windows.compute(client, (a, w) -> w == null || ended(w, now)
        ? new Window(now, 1) : new Window(w.start, w.failures + 1));
  }

  private static boolean ended(Window w, long now) {
    return now - w.start >= WINDOW.toNanos();
  }
}
