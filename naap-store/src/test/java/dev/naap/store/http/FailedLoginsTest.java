package dev.naap.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailedLoginsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final FailedLogins logins = new FailedLogins(now::get);

  @Test
  void anAddressIsBlockedAfterItsBudget_untilItsWindowEnds_andAloneOfItsKind() throws Exception {
    InetAddress guesser = InetAddress.getByName("10.0.0.1");
    InetAddress other = InetAddress.getByName("10.0.0.2");
    for (int i = 0; i < FailedLogins.MAX_FAILURES - 1; i++) {
      logins.failed(guesser);
    }
    assertThat(logins.blockedSeconds(guesser)).isZero();
    logins.failed(guesser);
    assertThat(logins.blockedSeconds(guesser)).isEqualTo(60);
    assertThat(logins.blockedSeconds(other)).isZero();
    now.addAndGet(59_500_000_000L);
    assertThat(logins.blockedSeconds(guesser)).isEqualTo(1);
    now.addAndGet(500_000_000L);
    assertThat(logins.blockedSeconds(guesser)).isZero();
    logins.failed(guesser); // a new window: one failure
    assertThat(logins.blockedSeconds(guesser)).isZero();
  }

  /** A guesser with a /64 is one client: a new address of it is blocked with the others. */
  @Test
  void anIPv6ClientIsBlockedByItsSlash64_notPerAddress() throws Exception {
    for (int i = 1; i <= FailedLogins.MAX_FAILURES; i++) {
      logins.failed(InetAddress.getByName("2001:db8:1:2::" + Integer.toHexString(i)));
    }
    assertThat(logins.blockedSeconds(InetAddress.getByName("2001:db8:1:2:ffff::1")))
        .isEqualTo(60);
    assertThat(logins.blockedSeconds(InetAddress.getByName("2001:db8:1:3::1"))).isZero();
  }

  @Test
  void theTableIsBounded_endedWindowsMakeRoom() throws Exception {
    fillTheTable();
    InetAddress late = InetAddress.getByName("192.168.0.1");
    for (int i = 0; i < FailedLogins.MAX_FAILURES; i++) {
      logins.failed(late);
    }
    assertThat(logins.blockedSeconds(late)).as("blocked by the budget of those not followed")
        .isEqualTo(60);
    now.addAndGet(FailedLogins.WINDOW.toNanos());
    assertThat(logins.blockedSeconds(late)).isZero();
    for (int i = 0; i < FailedLogins.MAX_FAILURES; i++) {
      logins.failed(late);
    }
    assertThat(logins.blockedSeconds(late)).isEqualTo(60);
    assertThat(logins.blockedSeconds(InetAddress.getByName("192.168.0.2")))
        .as("followed now: the ended windows made room").isZero();
  }

  /**
   * A guesser holding more networks than the table follows: once the table is full, all the
   * addresses it does not follow share one budget, so their guesses are bounded (before, each got
   * unbounded guesses while the table stayed full). Followed addresses keep their own count.
   */
  @Test
  void beyondAFullTable_guessesFromFurtherNetworksAreBounded_untilTheWindowEnds()
      throws Exception {
    fillTheTable();
    int guesses = 0;
    for (int i = 0; i < 5_000; i++) {
      InetAddress network = InetAddress.getByName("2001:db8:" + Integer.toHexString(i) + "::1");
      if (logins.blockedSeconds(network) == 0) {
        guesses++;
        logins.failed(network);
      }
    }
    assertThat(guesses).isEqualTo(FailedLogins.UNTRACKED_MAX_FAILURES);
    InetAddress honest = InetAddress.getByName("2001:db8:ffff::1");
    assertThat(logins.blockedSeconds(honest)).as("held back with them").isEqualTo(60);
    InetAddress followed = InetAddress.getByAddress(new byte[] {10, 0, 0, 7});
    assertThat(logins.blockedSeconds(followed)).as("in the table: its own count").isZero();
    logins.failed(followed);
    assertThat(logins.blockedSeconds(followed)).isZero();

    now.addAndGet(FailedLogins.WINDOW.toNanos() / 2);
    assertThat(logins.blockedSeconds(honest)).isEqualTo(30);
    now.addAndGet(FailedLogins.WINDOW.toNanos() / 2);
    assertThat(logins.blockedSeconds(honest)).as("the window ended").isZero();
  }

  private void fillTheTable() throws Exception {
    for (int i = 0; i < FailedLogins.MAX_TRACKED; i++) {
      logins.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8),
          (byte) i}));
    }
  }
}
