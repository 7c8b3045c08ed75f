package dev.naap.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionTest {

  private static final String A = LiveEvents.A;
  private static final String B = LiveEvents.B;

  /** Every rollup of the old month, as the query layer's versions see them. */
  private static final List<String> OLD_ROLLUPS =
      List.of(
          "SELECT bucket_hour, orchestrator_address, sessions_requested, segments, fps_samples,"
              + " fps_sample_sum, finalizeAggregation(ptff_ms_state) FROM rollup_hour_current WHERE"
              + " bucket_hour < '2026-02-01' ORDER BY ALL",
          "SELECT bucket_day, orchestrator_address, sessions_requested, segments, fps_samples "
              + "FROM rollup_day_current WHERE bucket_day < '2026-02-01' ORDER BY ALL",
          "SELECT bucket_hour, gateway, sessions_requested, stream_seconds, concurrent_by_minute "
              + "FROM demand_hour_current WHERE bucket_hour < '2026-02-01' ORDER BY ALL",
          "SELECT count(), sum(sessions_requested), sum(stream_seconds) FROM demand_minute_current "
              + "WHERE bucket_minute < '2026-02-01'");

  @Test
  void apply_dropsOldRawEventsAndKeepsTheRollupsHistory() {
    Store store = TestEngine.uniqueStore("retention");
    Instant now = Instant.now();
    RefresherTest.MutableClock clock = new RefresherTest.MutableClock(now);
    // Two sessions in January 2026 (old), two in the last hour (recent).
    LiveEvents old = new LiveEvents();
    LiveEvents recent = new LiveEvents(now.toEpochMilli() - 3_600_000);
    List<String> events = new ArrayList<>();
    for (LiveEvents ev : List.of(old, recent)) {
      events.addAll(
          List.of(
              ev.request("s1", 0),
              ev.ingest("s1", A, 1_000),
              ev.processed("s1", A, 1_800),
              ev.status("s1", A, 10_000, 20, "ONLINE"),
              ev.ingestMetrics("s1", 12_000, 1_000, 10),
              ev.request("s2", 60_000),
              ev.ingest("s2", B, 61_000),
              ev.processed("s2", B, 62_500),
              ev.status("s2", B, 70_000, 14, "ONLINE"),
              ev.restart("s2", B, 80_000)));
    }
    LiveEvents.write(store, events, clock);
    Refresher refresher = new Refresher(store, clock);
    clock.advance(Duration.ofMinutes(1));
    refresher.refresh();
    List<String> before = results(store, OLD_ROLLUPS);
    assertThat(before).allSatisfy(r -> assertThat(r).isNotBlank());
    assertThat(before.getFirst()).contains(A).contains(B);
    String recentRaw = count(store, "raw_events FINAL WHERE envelope_time >= '2026-02-01'");

    // A day later (the partitions were last written now), with the default policy: raw events
    // are kept 90 days, so January's go; the hour, day and demand rollups stay.
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    List<String> dropped = new Retention(store, Retention.Policy.defaults(), clock).apply();

    assertThat(dropped)
        .contains(
            "raw_events/202601",
            "stream_trace_events/202601",
            "ai_stream_status_events/202601",
            "ai_stream_events/202601",
            "stream_ingest_metrics_events/202601",
            "segment_facts/202601",
            "segment_facts_keys/202601",
            "rollup_minute/20260108");
    assertThat(dropped).noneMatch(p -> p.startsWith("rollup_hour/") || p.startsWith("rollup_day/")
        || p.startsWith("demand_") || p.endsWith("/" + currentMonth(now)));
    for (String table :
        List.of(
            "raw_events",
            "stream_trace_events",
            "ai_stream_status_events",
            "ai_stream_events",
            "stream_ingest_metrics_events")) {
      assertThat(count(store, table + " WHERE envelope_time < '2026-02-01'"))
          .as(table)
          .isEqualTo("0");
    }
    assertThat(count(store, "raw_events FINAL WHERE envelope_time >= '2026-02-01'"))
        .isEqualTo(recentRaw)
        .isNotEqualTo("0");
    assertThat(results(store, OLD_ROLLUPS)).isEqualTo(before);

    // A late session of January (an import, a topic held back): January's raw events and segments
    // are gone, so recomputing its hours from what is left would overwrite complete rollups with
    // this one session's. The horizon, raised before the drop, makes the refresh leave them as they
    // are.
    assertThat(store.queryText("SELECT max(horizon) FROM retention_horizon", Map.of()).strip())
        .isEqualTo("2026-02-01 00:00:00");
    LiveEvents.write(store, List.of(old.request("s4", 120_000), old.ingest("s4", B, 121_000),
        old.processed("s4", B, 122_000), old.status("s4", B, 130_000, 25, "ONLINE")), clock);
    clock.advance(Duration.ofMinutes(1));
    Refresher.Result late = refresher.refresh();
    assertThat(late.sessions()).isEqualTo(1);
    assertThat(late.hours()).isZero();
    assertThat(late.minutes()).isZero();
    assertThat(results(store, OLD_ROLLUPS)).isEqualTo(before);

    // The refresh goes on as before: new events are rolled up, the old history is untouched.
    LiveEvents later = new LiveEvents(clock.millis() - 600_000);
    LiveEvents.write(store, List.of(later.request("s3", 0), later.ingest("s3", A, 1_000),
        later.processed("s3", A, 1_500), later.status("s3", A, 5_000, 18, "ONLINE")), clock);
    clock.advance(Duration.ofMinutes(1));
    assertThat(refresher.refresh().sessions()).isEqualTo(1);
    assertThat(results(store, OLD_ROLLUPS)).isEqualTo(before);
    // Only what the late session wrote to January goes again (this clock runs a day ahead of the
    // parts' write times, so they count as quiet).
    assertThat(new Retention(store, Retention.Policy.defaults(), clock).apply()).isNotEmpty()
        .allMatch(p -> p.endsWith("/202601"));
    assertThat(new Retention(store, Retention.Policy.defaults(), clock).apply()).isEmpty();

    // A rollup's own retention drops that rollup only.
    List<String> hours =
        new Retention(store, Retention.Policy.parse(List.of("rollup_hour=30")), clock).apply();
    assertThat(hours).containsExactly("rollup_hour/202601");
    assertThat(count(store, "rollup_hour WHERE bucket_hour < '2026-02-01'")).isEqualTo("0");
    assertThat(results(store, OLD_ROLLUPS.subList(1, 4))).isEqualTo(before.subList(1, 4));
  }

  @Test
  void apply_leavesPartitionsWrittenInTheLastDay() {
    Store store = TestEngine.uniqueStore("retention_quiet");
    Clock clock = Clock.systemUTC();
    LiveEvents old = new LiveEvents();
    LiveEvents.write(store, List.of(old.request("s1", 0), old.ingest("s1", A, 1_000)), clock);
    // An import of January's events happened just now: the refresh must see them before they go.
    assertThat(new Retention(store, Retention.Policy.defaults(), clock).apply()).isEmpty();
    assertThat(count(store, "raw_events")).isEqualTo("2");
  }

  @Test
  void everyTablePartitionedByTime_isUnderARetention() {
    Store store = TestEngine.uniqueStore("retention_tables");
    List<String> partitioned = store.queryText("SELECT name FROM system.tables WHERE database ="
            + " currentDatabase() AND engine LIKE '%MergeTree' AND partition_key != ''"
            + " ORDER BY name", Map.of()).lines().toList();
    List<String> covered = new ArrayList<>();
    for (Retention.Data d : Retention.Data.values()) {
      covered.addAll(d.tables);
    }
    // The load tester's results: a row per test stream, small (docs/STORE.md).
    covered.add("test_load_results");
    assertThat(partitioned).containsExactlyInAnyOrderElementsOf(covered);
  }

  @Test
  void policy_parsesOverridesAndReportsEveryBadEntry() {
    Retention.Policy p =
        Retention.Policy.parse(List.of("raw=30", "rollup_hour=0", " demand_minute = 60 "));
    assertThat(p.days())
        .containsEntry(Retention.Data.RAW, 30)
        .containsEntry(Retention.Data.ROLLUP_HOUR, 0)
        .containsEntry(Retention.Data.DEMAND_MINUTE, 60)
        .containsEntry(Retention.Data.ROLLUP_MINUTE, Retention.Data.ROLLUP_MINUTE.defaultDays);
    assertThat(Retention.Policy.defaults().toString())
        .isEqualTo("raw=90d,capabilities=400d,reachability=400d,load_readings=400d,"
            + "rollup_minute=8d,rollup_hour=400d,rollup_day=0d,demand_minute=400d,demand_hour=0d,"
            + "fee_minute=400d,fee_hour=0d");
    assertThatThrownBy(
            () ->
                Retention.Policy.parse(
                    List.of(
                        "raw=3", "rollup_minute=2", "hours=5", "rollup_day=x", "capabilities=20")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raw: expected 0 (keep everything) or 7..36500 days, got 3")
        .hasMessageContaining("rollup_minute: expected 0 (keep everything) or 8..36500 days, got 2")
        .hasMessageContaining("'hours=5': expected NAME=DAYS with NAME one of raw, capabilities")
        .hasMessageContaining("rollup_day: expected a number of days, got 'x'")
        .hasMessageContaining("capabilities: 20 days is shorter than raw (90 days)");
  }

  @Test
  void periodEnd_readsMonthAndDayPartitionIds() {
    assertThat(Retention.periodEnd("202612")).isEqualTo(LocalDate.of(2027, 1, 1));
    assertThat(Retention.periodEnd("20260228")).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(Retention.periodEnd("all")).isNull();
    assertThat(Retention.periodEnd("202613")).isNull();
  }

  private static String currentMonth(Instant now) {
    LocalDate d = now.atZone(ZoneOffset.UTC).toLocalDate();
    return String.format("%04d%02d", d.getYear(), d.getMonthValue());
  }

  private static String count(Store store, String from) {
    return store.queryText("SELECT count() FROM " + from, Map.of()).strip();
  }

  private static List<String> results(Store store, List<String> queries) {
    return queries.stream().map(q -> store.queryText(q, Map.of())).toList();
  }
}
