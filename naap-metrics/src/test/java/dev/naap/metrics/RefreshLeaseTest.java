package dev.naap.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresh lease on one store: one holder at a time, a clean release hands it over at once, a
 * dead holder's lease is taken over once expired, and a holder that lost it writes nothing.
 */
class RefreshLeaseTest {

  private static final Duration TTL = Duration.ofSeconds(3);

  @Test
  void lease_isHeldByOneAtATime_handedOverOnRelease_andTakenOverOnExpiry() throws Exception {
    Store store = TestEngine.uniqueStore("refresh_lease");
    RefreshLease a = new RefreshLease(store, "a", TTL);
    RefreshLease b = new RefreshLease(store, "b", TTL);

    // a claims term 1; b sees a live lease and stands by; a renews.
    assertThat(a.acquire()).isTrue();
    assertThat(a.term()).isEqualTo(1);
    assertThat(b.acquire()).isFalse();
    assertThat(a.acquire()).isTrue();
    a.check();

    // A clean stop releases: b claims term 2 at once, and a no longer gets it.
    a.release();
    assertThat(a.held()).isFalse();
    assertThat(b.acquire()).isTrue();
    assertThat(b.term()).isEqualTo(2);
    assertThat(a.acquire()).isFalse();

    // b "dies" (stops renewing): a takes over only after b's lease expired on the store's clock.
    long died = System.nanoTime();
    while (!a.acquire()) {
      Thread.sleep(100);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - died)).isGreaterThan(TTL.dividedBy(2));
    assertThat(a.term()).isEqualTo(3);
    // b, back from a pause, must not write: its own deadline passed and the lease is a's.
    assertThatThrownBy(b::check).isInstanceOf(RefreshLease.LostException.class);
    assertThat(b.acquire()).isFalse();
    assertThat(store.queryText("SELECT term, holder FROM refresh_lease FINAL WHERE name = 'rollups'"
        + " ORDER BY term DESC, holder DESC LIMIT 1", Map.of())).isEqualTo("3\ta\n");
  }

  @Test
  void refresher_withoutTheLease_writesNothing_andKeepsTheWatermark() {
    Store store = TestEngine.uniqueStore("refresh_lease_lost");
    RefreshLease never = new RefreshLease(store, "never", TTL);
    String watermark = "SELECT toUnixTimestamp64Milli(watermark) FROM refresh_state FINAL";
    String before = store.queryText(watermark, Map.of());
    Refresher refresher = new Refresher(store, Clock.systemUTC(), never::check);

    assertThatThrownBy(() -> refresher.refreshUpTo(Instant.now()))
        .isInstanceOf(RefreshLease.LostException.class);
    assertThat(store.queryText(watermark, Map.of())).isEqualTo(before);
  }

  /**
   * A holder of this data directory that is gone (its file lock dropped, as the operating system
   * drops it when the process dies) is succeeded at once by the next claimant of the directory,
   * with a 30 s ttl: never by a claimant of another directory or host, and never while the holder
   * still holds the lock. (The same with a real SIGKILL: {@code ImportKillTest}.)
   */
  @Test
  void holderOfThisDirectoryGone_isSucceededAtOnce_butNotFromAnotherDirectoryOrHost(
      @TempDir Path dir) throws Exception {
    Store store = TestEngine.uniqueStore("refresh_lease_local");
    Duration ttl = Duration.ofSeconds(30);
    Path data = Files.createDirectories(dir.resolve("data"));
    LocalLeaseHolder aFile = new LocalLeaseHolder(data, "host-1");
    RefreshLease a = new RefreshLease(store, "a", ttl, aFile);
    RefreshLease sameDir = new RefreshLease(store, "b", ttl, new LocalLeaseHolder(data, "host-1"));
    RefreshLease otherDir = new RefreshLease(store, "c", ttl,
        new LocalLeaseHolder(Files.createDirectories(dir.resolve("other")), "host-1"));
    RefreshLease otherHost = new RefreshLease(store, "d", ttl,
        new LocalLeaseHolder(data, "host-2"));

    assertThat(a.acquire()).isTrue();
    assertThat(Files.readString(data.resolve(LocalLeaseHolder.FILE))).isEqualTo("a\nhost-1\n");
    // Alive (it holds the lock; here another channel of this JVM, elsewhere another process).
    assertThat(sameDir.acquire()).isFalse();

    aFile.unlock(); // what its death does; its row stays live for 30 s
    assertThat(otherDir.acquire()).isFalse();
    assertThat(otherHost.acquire()).isFalse();
    long t0 = System.nanoTime();
    assertThat(sameDir.acquire()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ttl.dividedBy(3));
    assertThat(sameDir.term()).isEqualTo(2);
    assertThat(Files.readString(data.resolve(LocalLeaseHolder.FILE))).isEqualTo("b\nhost-1\n");
    assertThat(store.queryText("SELECT term, holder FROM refresh_lease FINAL WHERE name = 'rollups'"
        + " ORDER BY term DESC, holder DESC LIMIT 1", Map.of())).isEqualTo("2\tb\n");

    // a, had it only paused, must not write: the lease is b's.
    assertThat(a.acquire()).isFalse();
    // b holds the lock: a claimant of the directory waits.
    assertThat(new RefreshLease(store, "e", ttl, new LocalLeaseHolder(data, "host-1")).acquire())
        .isFalse();
    // A clean release unlocks and expires the row: anyone claims at once, as before.
    sameDir.release();
    assertThat(otherDir.acquire()).isTrue();
    assertThat(otherDir.term()).isEqualTo(3);
  }

  @Test
  void holder_withCharactersOutsideTheSafeSet_isRefused() {
    Store store = TestEngine.uniqueStore("refresh_lease_names");
    assertThatThrownBy(() -> new RefreshLease(store, "a\tb", TTL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RefreshLease(store, "a", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
