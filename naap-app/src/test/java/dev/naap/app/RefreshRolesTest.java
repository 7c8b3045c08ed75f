package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code naap refresh} processes on one store, a ClickHouse server over HTTP (the project's
 * facade): one refreshes at a time; when the holder is killed hard, the other takes over once the
 * lease expired, and goes on moving the watermark; a clean stop hands the lease back at once.
 */
class RefreshRolesTest {

  // Long enough that a loaded machine (CI runs two test JVMs beside these two refreshers and the
  // server) renews within the margin, a third of it; at 4 s a slow renewal lost term 1 once.
  private static final int TTL_MS = 10_000;
  private static final String LEASE = "SELECT term, holder, expires_at > now64(3, 'UTC')"
      + " FROM refresh_lease FINAL WHERE name = 'rollups' ORDER BY term DESC, holder DESC LIMIT 1";
  private static final String WATERMARK =
      "SELECT toUnixTimestamp64Milli(watermark) FROM refresh_state FINAL WHERE name = 'rollups'";

  @TempDir Path dir;

  @Test
  void twoRefreshers_oneHoldsTheLease_theOtherTakesOverWhenItIsKilled() throws Exception {
    try (StoreFacade facade = new StoreFacade(dir)) {
      List<Process> refreshers = new ArrayList<>();
      Map<Process, Path> logs = new HashMap<>();
      for (String name : List.of("a", "b")) {
        List<String> args = new ArrayList<>(List.of("refresh", "--refresh-interval-ms", "200",
            "--lease-ttl-ms", Integer.toString(TTL_MS), "--metrics-port", "-1"));
        args.addAll(facade.storeArgs());
        Path log = dir.resolve("refresh-" + name + ".log");
        Process p = ChildJvm.start(log, args.toArray(String[]::new));
        refreshers.add(p);
        logs.put(p, log);
      }
      try {
        // 1. One of them claims term 1 and keeps it while both run: the other only stands by.
        //    Started together, both may write a claim of term 1 before either settles; the higher
        //    holder wins (RefreshLease). So the lease is read once its holder has refreshed.
        awaitLease(facade, 1);
        long watermark = awaitWatermarkAfter(facade, 0);
        String[] first = awaitLease(facade, 1);
        Process holder = owner(refreshers, first[1]);
        Process standby = refreshers.get(1 - refreshers.indexOf(holder));
        for (int i = 0; i < 10; i++) {
          Thread.sleep(300);
          assertThat(lease(facade)).as("lease while both run").containsExactly(first);
        }
        assertThat(Files.readString(logs.get(holder)))
            .contains("holding the refresh lease (term 1)");
        assertThat(Files.readString(logs.get(standby))).doesNotContain("holding the refresh lease");

        // 2. The holder dies hard: its lease expires on the store's clock, then the other claims
        //    term 2 and refreshes from the watermark the dead one left.
        holder.destroyForcibly();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        String[] second = awaitLease(facade, 2);
        long takeoverMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.println("RefreshRolesTest: takeover " + takeoverMs + " ms after the kill (ttl "
            + TTL_MS + " ms)");
        assertThat(owner(refreshers, second[1])).isSameAs(standby);
        assertThat(takeoverMs).isLessThan(TTL_MS + 15_000L);
        awaitWatermarkAfter(facade, watermark + TTL_MS);
        assertThat(Files.readString(logs.get(standby)))
            .contains("holding the refresh lease (term 2)");

        // 3. A clean stop releases the lease: no live holder is left behind.
        StoreFacade.stop(standby);
        assertThat(standby.exitValue()).isZero();
        assertThat(lease(facade)).containsExactly("2", second[1], "0");
      } finally {
        for (Process p : refreshers) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static String[] lease(StoreFacade facade) {
    String row = facade.text(LEASE).strip();
    return row.isEmpty() ? new String[0] : row.split("\t");
  }

  /** Waits until term {@code term} is the live lease. */
  private static String[] awaitLease(StoreFacade facade, int term) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      String[] lease = lease(facade);
      if (lease.length == 3 && lease[0].equals(Integer.toString(term)) && lease[2].equals("1")) {
        return lease;
      }
      assertThat(System.nanoTime())
          .as("lease term %d within 120 s (lease now: %s)", term, String.join(" ", lease))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static long awaitWatermarkAfter(StoreFacade facade, long afterMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      String value = facade.text(WATERMARK).strip();
      if (!value.isEmpty() && Long.parseLong(value) > afterMs) {
        return Long.parseLong(value);
      }
      assertThat(System.nanoTime())
          .as("watermark after %d within 120 s", afterMs)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The process whose pid is in the holder name (host-PID-random). */
  private static Process owner(List<Process> processes, String holder) {
    return processes.stream().filter(p -> holder.contains("-" + p.pid() + "-")).findFirst()
        .orElseThrow(() -> new AssertionError("no process holds " + holder));
  }
}
