package dev.naap.metrics;

import static dev.naap.metrics.LiveEvents.A;
import static dev.naap.metrics.LiveEvents.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.Message;
import dev.naap.ingest.Origin;
import dev.naap.store.RawParam;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The incremental refresh must give exactly what a full recompute from the events gives, whatever
 * the order, repetition and lateness of the events, and whenever refreshes run in between.
 */
class RefresherTest {

  private static final long HOUR = 3_600_000;
  private final LiveEvents ev = new LiveEvents();

  /** Sessions over two hours and two orchestrators, with a swap, failures and unmet demand. */
  private List<String> network() {
    List<String> e = new ArrayList<>();
    e.addAll(ev.session("good-a", 1_500, 20, 21, 19));
    e.addAll(
        List.of(
            ev.request("slow-b", 60_000),
            ev.ingest("slow-b", B, 61_000),
            ev.processed("slow-b", B, 68_000),
            ev.status("slow-b", B, 78_000, 16, "ONLINE"),
            ev.status("slow-b", B, 88_000, 17, "ONLINE")));
    e.addAll(
        List.of(
            ev.request("swap", 120_000),
            ev.ingest("swap", A, 121_000),
            ev.processed("swap", A, 122_000),
            ev.swap("swap", A, 150_000),
            ev.ingest("swap", B, 151_000),
            ev.processed("swap", B, 151_900),
            ev.status("swap", B, 160_000, 25, "ONLINE")));
    e.addAll(List.of(ev.request("err", HOUR + 5_000), ev.ingest("err", A, HOUR + 6_000),
        ev.status("err", A, HOUR + 16_000, 0, "ERROR")));
    e.addAll(List.of(ev.request("unmet", HOUR + 9_000), ev.noOrchestrators("unmet", HOUR + 9_500)));
    e.addAll(
        List.of(
            ev.request("later", HOUR + 30_000),
            ev.ingest("later", B, HOUR + 31_000),
            ev.processed("later", B, HOUR + 32_000),
            ev.status("later", B, HOUR + 42_000, 22, "ONLINE"),
            ev.ingestMetrics("later", HOUR + 35_000, 1_000, 10),
            ev.ingestMetrics("later", HOUR + 40_000, 51_000, 510),
            // Closed just before a minute boundary, then a stray error after it: the session
            // ends at its close (docs/METRICS.md, "Network demand").
            ev.trace("later", "gateway_ingest_stream_closed", "", HOUR + 59_900),
            ev.envelope("ai_stream_events", HOUR + 61_000, "{\"type\":\"error\","
                + "\"capability\":\"\",\"message\":\"trickle subscribe error reading: Channel"
                + " exists but sequence does not\",\"stream_id\":\"later\","
                + "\"request_id\":\"r-later\",\"pipeline_id\":\"\",\"pipeline\":\"\"}")));
    return e;
  }

  @Test
  void refresh_inOrderOrShuffledDuplicatedAndLate_givesTheFullRecompute() {
    List<String> events = network();

    // In order, one batch, one refresh.
    Store once = TestEngine.uniqueStore("refresh_once");
    feed(once, List.of(events));

    // Shuffled, with repeats, in five batches with a refresh after each: later batches hold events
    // older than what was already refreshed, so hours and sessions must be recomputed.
    List<String> messy = new ArrayList<>(events);
    messy.addAll(events.subList(0, 7));
    Collections.shuffle(messy, new Random(11));
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batches.add(messy.subList(i * messy.size() / 5, (i + 1) * messy.size() / 5));
    }
    Store incremental = TestEngine.uniqueStore("refresh_incremental");
    feed(incremental, batches);

    String expected = fullRecompute(once);
    assertThat(rollups(once)).isEqualTo(expected);
    assertThat(rollups(incremental)).isEqualTo(expected);
    // Hand check of the expected numbers: hour 0 holds good-a, slow-b and swap (two segments);
    // hour 1 holds err (failed, its one sample has fps 0), unmet (no orchestrator) and later.
    assertThat(expected)
        .isEqualTo(
            """
            0\t3\t3\t0\t4\t0\t6
            1\t3\t1\t1\t2\t1\t1
            """);
    // The day and demand rollups, recomputed along, agree too (rollup_minute is kept 8 days, so
    // these old events may already have left it).
    for (String table :
        List.of(
            "SELECT bucket_day, sum(segments), sum(fps_samples), sum(failed_segments),"
                + " sum(sessions_requested) FROM rollup_day_current GROUP BY bucket_day ORDER BY"
                + " bucket_day",
            "SELECT bucket_minute, gateway, pipeline, region, sessions_requested,"
                + " sessions_no_orchestrator, stream_seconds, concurrent_streams FROM"
                + " demand_minute_current ORDER BY ALL",
            "SELECT bucket_hour, gateway, pipeline, region, sessions_requested, stream_seconds,"
                + " concurrent_by_minute FROM demand_hour_current ORDER BY ALL")) {
      assertThat(incremental.queryText(table, Map.of()))
          .isEqualTo(once.queryText(table, Map.of()))
          .isNotEmpty();
    }
    // Stream time, straight from the sessions' time: `later` runs 29.9 s, to its close.
    String demandSeconds = "SELECT round(sum(stream_seconds), 3) FROM demand_minute_current";
    String sessionSeconds = "SELECT round(sum(toUnixTimestamp64Milli(session_end)"
        + " - toUnixTimestamp64Milli(session_start)) / 1000, 3) FROM sessions"
        + " WHERE segment_index <= 1";
    assertThat(incremental.queryText(demandSeconds, Map.of()))
        .isEqualTo(once.queryText(sessionSeconds, Map.of()))
        .isEqualTo(incremental.queryText(sessionSeconds, Map.of()));
    assertThat(once.queryText("SELECT toUnixTimestamp64Milli(session_end) - "
            + "toUnixTimestamp64Milli(session_start) FROM sessions WHERE stream_id = 'later'",
        Map.of())).isEqualTo("29900\n");
    assertThat(
            once.queryText(
                "SELECT sum(segments), sum(sessions_requested) FROM rollup_day_current", Map.of()))
        .isEqualTo(
            once.queryText(
                "SELECT sum(segments), sum(sessions_requested) FROM rollup_hour_current",
                Map.of()));
    // FPS quantiles over the samples of hour 0: 16, 17, 19, 20, 21, 25 (fps > 0 only).
    String hour0 =
        "SELECT arrayMap(q -> round(q, 3), quantilesTDigestMerge(0.05, 0.5,"
            + " 0.95)(fps_quantiles_state)) FROM rollup_hour_current WHERE bucket_hour ="
            + " toStartOfHour(fromUnixTimestamp64Milli("
            + LiveEvents.T0
            + "))";
    assertThat(incremental.queryText(hour0, Map.of())).isEqualTo(once.queryText(hour0, Map.of()));
    String[] q = once.queryText(hour0, Map.of()).strip().replaceAll("[\\[\\]]", "").split(",");
    assertThat(Double.parseDouble(q[0])).isBetween(16.0, 17.0);
    assertThat(Double.parseDouble(q[1])).isBetween(19.0, 20.0);
    assertThat(Double.parseDouble(q[2])).isBetween(21.0, 25.0);
  }

  /**
   * A late event for a session whose other events are in an old month's partitions: only that
   * session and its hours are recomputed, exactly. The late status moves the session's first
   * segment two hours earlier (its old hour must lose it) and a late swap adds a second segment.
   */
  @Test
  void refresh_lateEventForASessionInAnOldPartition_givesTheFullRecompute() {
    long day = 24 * HOUR;
    List<String> early = new ArrayList<>(List.of(ev.request("old", 0), ev.ingest("old", A, 1_000),
        ev.processed("old", A, 2_000), ev.status("old", A, 10_000, 20, "ONLINE")));
    early.addAll(
        new LiveEvents(LiveEvents.T0 + 40 * day)
            .session("recent", 1_500, 18, 19, 21)); // a later month
    List<String> late =
        List.of(
            ev.status("old", A, -2 * HOUR, 17, "ONLINE"),
            ev.swap("old", A, 30_000),
            ev.ingest("old", B, 31_000),
            ev.processed("old", B, 32_000),
            ev.status("old", B, 40_000, 22, "ONLINE"));

    Store incremental = TestEngine.uniqueStore("refresh_late_old_partition");
    feed(incremental, List.of(early, late));
    List<String> all = new ArrayList<>(early);
    all.addAll(late);
    Store once = TestEngine.uniqueStore("refresh_late_old_partition_once");
    feed(once, List.of(all));

    String expected = fullRecompute(incremental);
    assertThat(rollups(incremental)).isEqualTo(expected).isEqualTo(rollups(once));
    // Hour -2 now holds old's first segment (which carries the session's counts), hour 0 only its
    // second segment, and the session 40 days later is untouched.
    assertThat(expected)
        .isEqualTo(
            """
            -2\t1\t1\t0\t1\t0\t2
            0\t0\t0\t0\t1\t0\t1
            960\t1\t1\t0\t1\t0\t3
            """);
    String segments =
        "SELECT stream_id, segment_index, orchestrator_address, bucket_hour, fps_samples "
            + "FROM %s ORDER BY ALL";
    assertThat(incremental.queryText(segments.formatted("segment_facts_current"), Map.of()))
        .isEqualTo(incremental.queryText(segments.formatted("segment_facts_source"), Map.of()))
        .isEqualTo(once.queryText(segments.formatted("segment_facts_current"), Map.of()));
    for (String table :
        List.of(
            "SELECT bucket_day, sum(segments), sum(fps_samples) FROM rollup_day_current GROUP BY"
                + " ALL ORDER BY ALL",
            "SELECT bucket_minute, sessions_requested, stream_seconds, concurrent_streams FROM"
                + " demand_minute_current ORDER BY ALL")) {
      assertThat(incremental.queryText(table, Map.of()))
          .isEqualTo(once.queryText(table, Map.of()))
          .isNotEmpty();
    }
  }

  @Test
  void tupleChunks_boundKeysAndCharactersPerStatement() {
    List<List<String>> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      keys.add(List.of("s" + i, "r'" + i));
    }
    // One tuple is ('s0','r\'0'): 13 characters; with brackets and commas 3 fit in 47.
    List<String> bySize = Refresher.tupleChunks(keys, 5_000, 47).stream()
        .map(RawParam::text).toList();
    assertThat(bySize).hasSize(4).allMatch(t -> t.length() <= 47);
    assertThat(bySize.getFirst()).isEqualTo("[('s0','r\\'0'),('s1','r\\'1'),('s2','r\\'2')]");
    assertThat(String.join("", bySize).split("\\),\\(|\\)\\]\\[\\(")).hasSize(10);
    assertThat(Refresher.tupleChunks(keys, 4, Integer.MAX_VALUE)).hasSize(3);
    assertThat(Refresher.tupleChunks(keys, 4, 5)).hasSize(10);
    assertThat(Refresher.tupleChunks(List.of(), 4, 100)).isEmpty();
  }

  @Test
  void refresh_throughTheHttpFacade_splitsKeysThatWouldNotFitOneUrl() {
    // A refresh that fell behind, through a server store: 1 000 sessions with long ids are about
    // 170 000 characters of keys, past the facade's 128 KiB request line in one statement.
    Store store = TestEngine.serverStore("refresh_behind_" + System.nanoTime());
    MutableClock clock = new MutableClock(Instant.now());
    LiveEvents ev = new LiveEvents(clock.millis() - 3_600_000);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      String stream = "behind-%04d-".formatted(i) + "x".repeat(68);
      events.addAll(List.of(ev.request(stream, i), ev.ingest(stream, A, i + 1_000),
          ev.processed(stream, A, i + 1_800)));
    }
    LiveEvents.write(store, events, clock);
    clock.advance(Duration.ofMinutes(1));

    assertThat(new Refresher(store, clock).refresh().sessions()).isEqualTo(1_000);
    assertThat(store.queryText("SELECT uniqExact(stream_id) FROM segment_facts_current",
        Map.of()).strip()).isEqualTo("1000");
  }

  @Test
  void refresh_withNothingNew_doesNothing() {
    Store store = TestEngine.uniqueStore("refresh_idle");
    MutableClock clock = new MutableClock(Instant.now());
    Refresher refresher = new Refresher(store, clock);

    assertThat(refresher.refresh().sessions()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(refresher.refresh().sessions()).isZero();
  }

  /**
   * Writes each batch with the ingest writer, then refreshes, a minute later each time. Ingest time
   * is today's (session_touches keeps a week), event times are those of the events.
   */
  private static void feed(Store store, List<List<String>> batches) {
    MutableClock clock = new MutableClock(Instant.now());
    EventWriter writer = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        IngestMetrics.unregistered(), clock);
    Refresher refresher = new Refresher(store, clock);
    for (List<String> batch : batches) {
      List<Message> messages = new ArrayList<>();
      for (String e : batch) {
        messages.add(
            new Message(e.getBytes(StandardCharsets.UTF_8), Origin.file("test", messages.size())));
      }
      assertThat(writer.write(messages).rejected()).isZero();
      clock.advance(Duration.ofMinutes(1));
      refresher.refresh();
    }
  }

  /** Per hour: sessions requested, started, unmet; segments, failed, compliant. */
  private static String rollups(Store store) {
    return store.queryText(
        """
        SELECT intDiv(toUnixTimestamp(bucket_hour) * 1000 - %d, 3600000) AS h,
               sum(sessions_requested), sum(sessions_started), sum(sessions_no_orchestrator),
               sum(segments), sum(failed_segments), sum(fps_samples)
        FROM rollup_hour_current GROUP BY h ORDER BY h\
        """
            .formatted(hourOf(LiveEvents.T0)),
        Map.of());
  }

  /** The same numbers straight from the exact views, with no materialization at all. */
  private static String fullRecompute(Store store) {
    return store.queryText(
        """
        SELECT intDiv(toUnixTimestamp(toStartOfHour(assumeNotNull(coalesce(segment_start, request_time,
                   session_start)))) * 1000 - %d, 3600000) AS h,
               countIf(segment_index <= 1 AND request_time IS NOT NULL),
               countIf(segment_index <= 1 AND reached_first_frame),
               countIf(segment_index = 0 AND no_orchestrator),
               countIf(segment_index >= 1), countIf(failed), sum(fps_samples)
        FROM sessions GROUP BY h ORDER BY h\
        """
            .formatted(hourOf(LiveEvents.T0)),
        Map.of());
  }

  private static long hourOf(long ms) {
    return ms - Math.floorMod(ms, HOUR);
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
