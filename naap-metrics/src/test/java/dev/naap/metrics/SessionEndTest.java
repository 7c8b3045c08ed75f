package dev.naap.metrics;

import static dev.naap.metrics.LiveEvents.A;
import static dev.naap.metrics.LiveEvents.B;
import static dev.naap.metrics.LiveEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A session's time ends at its last event other than the errors its gateway sends after the close
 * (docs/METRICS.md, "Network demand"), worked by hand through the refresh into stream-minutes and
 * concurrency. T0 is on a minute boundary: minute 0 is [T0, T0 + 60 s), minute 1 the next.
 */
class SessionEndTest {

  private final LiveEvents ev = new LiveEvents();

  /**
   * close: closed at 59.8 s, just before the boundary, then two stray errors at 60.7 and 62.3 s.
   * open: never closed, its last event a gateway error at 65 s. late: closed at 50 s, then a status
   * stamped by its runner at 61 s, which is no error.
   */
  private List<String> network() {
    return List.of(
        ev.request("close", 10_000),
        ev.ingest("close", A, 12_000),
        ev.processed("close", A, 13_000),
        ev.status("close", A, 30_000, 20, "ONLINE"),
        ev.trace("close", "gateway_ingest_stream_closed", "", 59_800),
        gatewayError("close", 60_700, "Error publishing, wrote 4096 dropping Post"
            + " \\\"https://aaaa:8935/ai/trickle/close\\\": connection reset by peer"),
        gatewayError("close", 62_300,
            "trickle subscribe error reading: Channel exists but sequence does not"),
        ev.request("open", 20_000),
        ev.ingest("open", B, 21_000),
        ev.processed("open", B, 22_000),
        gatewayError("open", 65_000, "Error publishing, dropping segment"),
        ev.request("late", 30_000),
        ev.ingest("late", A, 31_000),
        ev.processed("late", A, 32_000),
        ev.trace("late", "gateway_ingest_stream_closed", "", 50_000),
        ev.status("late", A, 61_000, 20, "ONLINE"));
  }

  // Worked by hand. Minute 0: close 10.0–59.8 s = 49.8 s, open 20–60 s = 40 s, late 30–60 s =
  // 30 s: 119.8 s, 3 streams. Minute 1: open 60–65 s = 5 s, late 60–61 s = 1 s: 6 s, 2 streams;
  // `close` no longer counts there (its stray errors had given it 2.3 s and a third stream).
  private static final String EXPECTED_MINUTES = "0\t119.8\t3\n1\t6\t2\n";

  @Test
  void demand_closedSessionWithStrayErrors_endsAtItsClose() {
    Store store = TestEngine.uniqueStore("session_end");
    LiveEvents.write(store, network(), Clock.systemUTC());
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

    assertThat(store.queryText("SELECT stream_id, toUnixTimestamp64Milli(session_end) - " + T0
            + " FROM sessions WHERE segment_index <= 1 ORDER BY stream_id", Map.of()))
        .isEqualTo("close\t59800\nlate\t61000\nopen\t65000\n");
    assertThat(minutes(store)).isEqualTo(EXPECTED_MINUTES);
    // The hour rollup: 125.8 s, and the peak over its minutes 3.
    assertThat(store.queryText("SELECT round(sum(stream_seconds), 3),"
            + " arrayMax(sumForEach(concurrent_by_minute)) FROM demand_hour_current", Map.of()))
        .isEqualTo("125.8\t3\n");
  }

  /**
   * The stray errors arrive and are refreshed before the close: the session first runs into
   * minute 1, then the late close takes it out of that minute again, exactly.
   */
  @Test
  void demand_closeAfterItsStrayErrorsWereRefreshed_givesTheSameMinutes() {
    Store store = TestEngine.uniqueStore("session_end_late_close");
    List<String> events = new ArrayList<>(network());
    String close = events.remove(4);
    RefresherTest.MutableClock clock = new RefresherTest.MutableClock(Instant.now());
    Refresher refresher = new Refresher(store, clock);
    LiveEvents.write(store, events, clock);
    clock.advance(Duration.ofMinutes(1));
    refresher.refresh();
    assertThat(minutes(store)).isEqualTo("0\t120\t3\n1\t8.3\t3\n");

    LiveEvents.write(store, List.of(close, events.get(5)), clock); // and a repeat
    clock.advance(Duration.ofMinutes(1));
    refresher.refresh();
    assertThat(minutes(store)).isEqualTo(EXPECTED_MINUTES);
  }

  /**
   * A store whose sessions were computed on the definition before V164: the migration touches the
   * closed sessions with an error after their close (here `close` alone), and the next refresh
   * takes them out of the minutes their errors had added.
   */
  @Test
  void migration_touchesTheSessionsItShortens_andTheRefreshRecomputesThem() throws IOException {
    Store store = TestEngine.uniqueStore("session_end_upgrade");
    runMigration(store, "V131__session_facts_by_session.sql"); // the definition before V164
    LiveEvents.write(store, network(), Clock.systemUTC());
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    refresher.refreshUpTo(Instant.now());
    assertThat(minutes(store)).isEqualTo("0\t120\t3\n1\t8.3\t3\n");
    String touches = "SELECT stream_id, count() FROM session_touches GROUP BY ALL ORDER BY ALL";
    assertThat(store.queryText(touches, Map.of())).isEqualTo("close\t7\nlate\t5\nopen\t4\n");

    runMigration(store, "V164__session_end_before_stray_errors.sql");
    assertThat(store.queryText(touches, Map.of())).isEqualTo("close\t8\nlate\t5\nopen\t4\n");
    refresher.refreshUpTo(Instant.now());
    assertThat(minutes(store)).isEqualTo(EXPECTED_MINUTES);
  }

  /** Runs a shipped migration's statements (each ends a line with ';'). */
  private static void runMigration(Store store, String file) throws IOException {
    String text;
    try (InputStream in = SessionEndTest.class.getResourceAsStream(
        "/dev/naap/store/migrations/" + file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String sql : text.split(";\\s*\\n")) {
      if (!sql.replaceAll("(?m)^--.*$", "").isBlank()) {
        store.execute(sql);
      }
    }
  }

  /** Per minute after T0: stream seconds and concurrent streams over every group. */
  private static String minutes(Store store) {
    return store.queryText("SELECT intDiv(toUnixTimestamp(bucket_minute) * 1000 - " + T0
        + ", 60000) AS m, round(sum(stream_seconds), 3), sum(concurrent_streams)"
        + " FROM demand_minute_current GROUP BY m ORDER BY m", Map.of());
  }

  /** A gateway error as go-livepeer's LiveErrorEventSender sends it: no orchestrator_info. */
  private String gatewayError(String stream, long t, String message) {
    return ev.envelope("ai_stream_events", t,
        "{\"type\":\"error\",\"capability\":\"\",\"message\":\"" + message
            + "\",\"stream_id\":\"" + stream + "\",\"request_id\":\"r-" + stream
            + "\",\"pipeline_id\":\"\",\"pipeline\":\"\"}");
  }
}
