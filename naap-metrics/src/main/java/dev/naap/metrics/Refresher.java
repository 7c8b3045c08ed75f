package dev.naap.metrics;

import dev.naap.store.RawParam;
import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the materialized metrics ({@code segment_facts}, {@code rollup_hour}, {@code rollup_day},
 * {@code rollup_minute}, {@code demand_minute}, {@code demand_hour}) exact under late, out-of-order
 * and repeated events, by recomputing what new events touched.
 *
 * <p>One {@link #refresh()}:
 * <ol>
 *   <li>reads the sessions that events ingested since the last watermark touched ({@code
 *       session_touches}, filled by a materialized view on {@code raw_events});
 *   <li>recomputes those sessions from the exact views into {@code segment_facts}, under a new
 *       version {@code computed_at}, and deletes (under the same version) the rows of their earlier
 *       versions that the new one no longer has: an hour a session left, a segment that is gone;
 *   <li>recomputes every hour those sessions count in, whole, into {@code rollup_hour} under the
 *       same version, and every day of those hours, whole, into {@code rollup_day} from the hours;
 *   <li>recomputes every minute those sessions' time covers, whole, into {@code rollup_minute}
 *       and {@code demand_minute}, and the hours of those minutes into {@code demand_hour}, under
 *       the same version;
 *   <li>recomputes every minute that payments and signed tickets ingested since the watermark fall
 *       in (and the minutes of the rest of their payment sessions), whole, into {@code fee_minute},
 *       and the hours of those minutes into {@code fee_hour}, under the same version;
 *   <li>moves the watermark.
 * </ol>
 * Readers use {@code segment_facts_current} and {@code rollup_hour_current}, which keep the latest
 * version of each segment and each hour, so a late event changes exactly the numbers it should.
 *
 * <p>Every statement reads only what it recomputes, never all history: the touched sessions'
 * events by key (the family tables are sorted by session), their earlier rows by key in {@code
 * segment_facts_keys}, the segments of an hour or minute through {@code segment_facts}' sort by
 * hour, and the capability snapshots of the sessions' time ({@link #snapshotFilter};
 * docs/METRICS.md, "Rollups").
 *
 * <p>A refresh that fails part-way leaves the watermark where it was and is simply run again: every
 * step is idempotent. The watermark trails by {@link #SETTLE} so that events written by another
 * ingest process with a slightly late clock are not skipped.
 *
 * <p>Thread-safe: refreshes are serialized.
 */
public final class Refresher {

  /** How far behind the newest ingested event the watermark stays. */
  static final Duration SETTLE = Duration.ofSeconds(2);
  /** Sessions recomputed per statement, to bound the size of one query. */
  private static final int KEYS_PER_STATEMENT = 5_000;
  private static final long HOUR_SECONDS = 3_600;
  private static final long DAY_SECONDS = 86_400;
  /** Minutes recomputed per statement: a day. */
  private static final int MINUTES_PER_STATEMENT = 1_440;
  private static final String MINUTE_OF_SEGMENT =
      "toStartOfMinute(assumeNotNull(coalesce(segment_start, request_time, session_start)))";
  private static final String NAME = "rollups";
  private static final List<String> SESSION_KEYS = List.of("stream_id_base64", "request_id_base64");
  /**
   * How far back a payment's session is looked for: its model (named by its first payment only)
   * and the previous payment its paid seconds run from.
   */
  public static final Duration PAYMENT_SESSION_LOOKBACK = Duration.ofHours(6);

  private final Store store;
  private final Clock clock;
  private final Runnable beforeWrite;
  private final String touchedSessions = Sql.load(Refresher.class, "touched_sessions.sql");
  private final String snapshotWindow = Sql.load(Refresher.class, "snapshot_window.sql");
  private final String recomputeSegments = Sql.load(Refresher.class, "recompute_segments.sql");
  private final String deleteSuperseded = Sql.load(Refresher.class, "delete_superseded.sql");
  private final String touchedHours = Sql.load(Refresher.class, "touched_hours.sql");
  private final String recomputeHours = Sql.load(Refresher.class, "recompute_rollup.sql")
      .replace("${rollup}", "rollup_hour").replace("${bucket}", "bucket_hour");
  private final String touchedMinutes = Sql.load(Refresher.class, "touched_minutes.sql");
  private final String recomputeMinutes = Sql.load(Refresher.class, "recompute_rollup.sql")
      .replace("${rollup}", "rollup_minute").replace("${bucket}", MINUTE_OF_SEGMENT);
  private final String recomputeDemand = Sql.load(Refresher.class, "recompute_demand.sql");
  private final String recomputeDays = Sql.load(Refresher.class, "recompute_days.sql");
  private final String recomputeDemandHours =
      Sql.load(Refresher.class, "recompute_demand_hours.sql");
  private final String touchedFeeMinutes = Sql.load(Refresher.class, "touched_fee_minutes.sql");
  private final String recomputeFees = Sql.load(Refresher.class, "recompute_fees.sql");
  private final String recomputeFeeHours = Sql.load(Refresher.class, "recompute_fee_hours.sql");
  private final String watermark = Sql.load(Refresher.class, "watermark.sql");
  private final String saveWatermark = Sql.load(Refresher.class, "save_watermark.sql");
  private long lastVersionMicros;

  public Refresher(Store store, Clock clock) {
    this(store, clock, () -> {});
  }

  /**
   * A refresher that runs {@code beforeWrite} before each statement that writes, such as {@link
   * RefreshLease#check()}: when it throws, the refresh stops there and leaves the watermark.
   */
  public Refresher(Store store, Clock clock, Runnable beforeWrite) {
    this.store = store;
    this.clock = clock;
    this.beforeWrite = beforeWrite;
  }

  /** What one refresh did. */
  public record Result(int sessions, int hours, int minutes, Instant watermark) {}

  /**
   * Recomputes what events ingested since the last refresh touched, up to {@link #SETTLE} ago;
   * returns what it did. For a loop that runs while events arrive.
   */
  public Result refresh() {
    return refreshUpTo(clock.instant().minus(SETTLE));
  }

  /**
   * As {@link #refresh()}, up to {@code to}: after an import, when every event is written, {@code
   * clock.instant()} takes in all of them.
   */
  public synchronized Result refreshUpTo(Instant to) {
    Instant from = lastWatermark();
    if (!to.isAfter(from)) {
      return new Result(0, 0, 0, from);
    }
    List<List<String>> keys = keys(Rows.query(store, touchedSessions,
        Map.of("from_ms", from.toEpochMilli(), "to_ms", to.toEpochMilli()), SESSION_KEYS));
    Set<Long> hours = new TreeSet<>();
    Set<Long> minutes = new TreeSet<>();
    if (!keys.isEmpty()) {
      long version = nextVersionMicros();
      for (RawParam chunk : tupleChunks(keys, KEYS_PER_STATEMENT, store.maxParamChars())) {
        run(recomputeSegments.replace("${snapshots}", snapshotFilter(chunk)),
            Map.of("keys", chunk, "version_us", version));
        run(deleteSuperseded, Map.of("keys", chunk, "version_us", version));
        hours.addAll(seconds(touchedHours, Map.of("keys", chunk), "hour_s"));
        minutes.addAll(seconds(touchedMinutes, Map.of("keys", chunk), "minute_s"));
      }
      List<Long> touched = List.copyOf(hours);
      run(recomputeHours, Map.of("buckets", touched, "hours", touched, "version_us", version));
      run(recomputeDays, Map.of("days", starts(hours, DAY_SECONDS), "version_us", version));
      List<Long> all = List.copyOf(minutes);
      for (int i = 0; i < all.size(); i += MINUTES_PER_STATEMENT) {
        List<Long> chunk = all.subList(i, Math.min(all.size(), i + MINUTES_PER_STATEMENT));
        run(
            recomputeMinutes,
            Map.of(
                "buckets",
                chunk,
                "hours",
                starts(Set.copyOf(chunk), HOUR_SECONDS),
                "version_us",
                version));
        run(recomputeDemand, Map.of("minutes", chunk, "version_us", version));
      }
      run(
          recomputeDemandHours,
          Map.of("hours", starts(minutes, HOUR_SECONDS), "version_us", version));
    }
    refreshFees(from, to);
    run(saveWatermark, Map.of("name", NAME, "watermark_ms", to.toEpochMilli()));
    return new Result(keys.size(), hours.size(), minutes.size(), to);
  }

  /**
   * The condition on {@code node_gpu_listings} that keeps the snapshots the GPU attribution of
   * these sessions can use (snapshot_window.sql): a range of the time the table is sorted by, so a
   * refresh reads the snapshots of its sessions' time, not all of them.
   */
  private String snapshotFilter(RawParam keys) {
    Rows window = Rows.query(store, snapshotWindow, Map.of("keys", keys),
        List.of("from_ms", "to_ms"));
    if (window.isEmpty()) {
      return "0";
    }
    Rows.Row w = window.single();
    return "event_time >= fromUnixTimestamp64Milli(toInt64(" + w.integer("from_ms") + "))"
        + " AND event_time <= fromUnixTimestamp64Milli(toInt64(" + w.integer("to_ms") + "))";
  }

  private void refreshFees(Instant from, Instant to) {
    long lookback = PAYMENT_SESSION_LOOKBACK.toSeconds();
    List<Long> minutes = seconds(touchedFeeMinutes, Map.of("from_ms", from.toEpochMilli(),
        "to_ms", to.toEpochMilli(), "lookback_s", lookback), "minute_s");
    if (minutes.isEmpty()) {
      return;
    }
    long version = nextVersionMicros();
    List<Long> sorted = minutes.stream().sorted().toList();
    for (int i = 0; i < sorted.size(); i += MINUTES_PER_STATEMENT) {
      List<Long> chunk = sorted.subList(i, Math.min(sorted.size(), i + MINUTES_PER_STATEMENT));
      run(recomputeFees, Map.of("minutes", chunk, "version_us", version, "lookback_s", lookback));
    }
    run(
        recomputeFeeHours,
        Map.of("hours", starts(Set.copyOf(sorted), HOUR_SECONDS), "version_us", version));
  }

  /**
   * Recomputes {@code rollup_day} for the days that start in [from, to) from {@code rollup_hour}:
   * after hours were written by other means than a refresh (a backfill, a benchmark).
   */
  public synchronized void recomputeDays(Instant from, Instant to) {
    run(
        recomputeDays,
        Map.of("days", starts(from, to, DAY_SECONDS), "version_us", nextVersionMicros()));
  }

  /**
   * Recomputes {@code demand_hour} for the hours that start in [from, to) from {@code
   * demand_minute}: after minutes were written by other means than a refresh.
   */
  public synchronized void recomputeDemandHours(Instant from, Instant to) {
    run(
        recomputeDemandHours,
        Map.of("hours", starts(from, to, HOUR_SECONDS), "version_us", nextVersionMicros()));
  }

  /** The starts of the buckets of {@code width} seconds that start in [from, to). */
  private static List<Long> starts(Instant from, Instant to, long width) {
    List<Long> starts = new ArrayList<>();
    for (long t = Math.ceilDiv(from.getEpochSecond(), width) * width;
        t < to.getEpochSecond();
        t += width) {
      starts.add(t);
    }
    return starts;
  }

  /**
   * The starts of the buckets of {@code width} seconds that hold the given times (epoch seconds).
   */
  private static List<Long> starts(Set<Long> times, long width) {
    return times.stream().map(t -> Math.floorDiv(t, width) * width).distinct().toList();
  }

  /** Where the last refresh, by any process, ended (the epoch when none has run). */
  public Instant watermark() {
    return lastWatermark();
  }

  private Instant lastWatermark() {
    Rows rows = Rows.query(store, watermark, Map.of("name", NAME), List.of("watermark_ms"));
    return rows.isEmpty() ? Instant.EPOCH
        : Instant.ofEpochMilli(rows.single().integer("watermark_ms"));
  }

  /** A version (µs) strictly newer than the last, even if the clock stands still or steps back. */
  private long nextVersionMicros() {
    Instant now = clock.instant();
    lastVersionMicros = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000,
        lastVersionMicros + 1);
    return lastVersionMicros;
  }

  private void run(String sql, Map<String, ?> params) {
    beforeWrite.run();
    store.query(sql, params, "TabSeparated");
  }

  /**
   * (stream_id, request_id) pairs as the ClickHouse text of Array(Tuple(String, String)) values,
   * each of at most {@code maxKeys} pairs and {@code maxChars} characters (a pair longer than that
   * alone goes alone).
   */
  static List<RawParam> tupleChunks(List<List<String>> keys, int maxKeys, int maxChars) {
    List<RawParam> chunks = new ArrayList<>();
    StringBuilder b = new StringBuilder("[");
    int n = 0;
    for (List<String> key : keys) {
      String tuple = "(" + quote(key.get(0)) + "," + quote(key.get(1)) + ")";
      if (n > 0 && (n == maxKeys || b.length() + 1 + tuple.length() + 1 > maxChars)) {
        chunks.add(new RawParam(b.append(']').toString()));
        b.setLength(0);
        b.append('[');
        n = 0;
      }
      b.append(n > 0 ? "," : "").append(tuple);
      n++;
    }
    if (n > 0) {
      chunks.add(new RawParam(b.append(']').toString()));
    }
    return chunks;
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Keys come base64-encoded, so any bytes in an id survive the text output. */
  private static List<List<String>> keys(Rows rows) {
    Base64.Decoder decoder = Base64.getDecoder();
    return rows.list().stream().map(r -> SESSION_KEYS.stream()
        .map(k -> new String(decoder.decode(r.string(k)), StandardCharsets.UTF_8)).toList())
        .toList();
  }

  /** The one column {@code field} of a statement's rows: epoch seconds. */
  private List<Long> seconds(String sql, Map<String, ?> params, String field) {
    return Rows.query(store, sql, params, List.of(field)).list().stream()
        .map(r -> r.integer(field)).toList();
  }
}
