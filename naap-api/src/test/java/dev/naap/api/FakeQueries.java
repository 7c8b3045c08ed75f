package dev.naap.api;

import dev.naap.metrics.query.Column;
import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.DiscoveryQuery;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.MetricsQuery;
import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.Report;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A query layer with fixed rows, for tests of the HTTP layer alone: every report has the columns
 * window_start, orchestrator_address, segments, fps_mean and {@code rows} rows (fps null on odd
 * rows). It counts the calls to {@link #run}, so tests can see what the cache saved.
 */
final class FakeQueries implements MetricsQueries {

  static final Instant AS_OF = Instant.parse("2026-01-08T12:00:00Z");
  private static final List<Column> COLUMNS = List.of(
      new Column("window_start", Column.Type.TIMESTAMP, "", "bucket start"),
      new Column("orchestrator_address", Column.Type.STRING, "", "orchestrator"),
      new Column("segments", Column.Type.INTEGER, "", "segments"),
      new Column("fps_mean", Column.Type.DECIMAL, "frames/s", "mean output FPS"));

  final AtomicInteger runs = new AtomicInteger();
  final List<MetricsQuery> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final int rows;
  /** How long {@link #run} takes, to let requests overlap. */
  volatile long delayMs;
  /** Runs interrupted during their delay: cancelled, as the store cancels a read. */
  final AtomicInteger interrupted = new AtomicInteger();
  /** Thrown by every report query when set: a failing store. */
  volatile RuntimeException failure;
  /**
   * When set, the rows are the hours that start in the query's range, as the store's buckets are
   * (row i's window_start is the start rounded up to the hour, plus i hours), not {@code rows}.
   */
  volatile boolean hourly;
  /** What {@link #latestMigration} does: answers, or hangs or fails as a test makes it. */
  volatile LongSupplier latestMigration = () -> 140;

  FakeQueries(int rows) {
    this.rows = rows;
  }

  @Override
  public List<Column> columns(Report report, List<Dimension> groupBy) {
    return COLUMNS;
  }

  @Override
  public List<Dimension> groupable(Report report) {
    return List.of(Dimension.ORCHESTRATOR, Dimension.GPU_ID, Dimension.PIPELINE);
  }

  @Override
  public Page run(Report report, MetricsQuery query) {
    runs.incrementAndGet();
    seen.add(query);
    if (failure != null) {
      throw failure;
    }
    if (delayMs > 0) {
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        Thread.currentThread().interrupt();
      }
    }
    Instant first = query.start().truncatedTo(ChronoUnit.HOURS);
    first = first.equals(query.start()) ? first : first.plus(Duration.ofHours(1));
    long all = hourly ? Duration.between(first, query.end().minusNanos(1)).toHours() + 1 : rows;
    List<List<Object>> page = new ArrayList<>();
    for (long i = query.offset(); i < Math.min(all, query.offset() + query.limit()); i++) {
      List<Object> row = row(i);
      if (hourly) {
        row.set(0, first.plus(Duration.ofHours(i)));
      }
      page.add(row);
    }
    return new Page(COLUMNS, page, query.offset() + query.limit() < all);
  }

  static List<Object> row(long i) {
    return Arrays.asList(Instant.parse("2026-01-08T00:00:00Z").plusSeconds(3600 * (i % 24)),
        String.format("0x%040x", i), i, i % 2 == 0 ? 20.5 : null);
  }

  @Override
  public long latestMigration() {
    return latestMigration.getAsLong();
  }

  @Override
  public Instant dataAsOf() {
    return AS_OF;
  }

  @Override
  public List<SlaTargets> slaTargets() {
    return List.of(new SlaTargets("*", 5000, 15, 0.25, 0.99, 5000));
  }

  @Override
  public Optional<OrchestratorDetail> orchestrator(String address, MetricsQuery query) {
    if (!address.equals(String.format("0x%040x", 1))) {
      return Optional.empty();
    }
    Page one = new Page(COLUMNS, List.of(row(1)), false);
    return Optional.of(new OrchestratorDetail(one, one, run(Report.GPU_METRICS, query)));
  }

  @Override
  public Page scoreHistory(String address, MetricsQuery query) {
    runs.incrementAndGet();
    return new Page(MetricsQueries.scoreHistoryColumns(query.groupBy()), List.of(), false);
  }

  /** The signers {@link #discover} knows, one node each; it leaves out those excluded. */
  static final List<String> SIGNERS =
      List.of("0x" + "a".repeat(40), "0x" + "b".repeat(40), "0x" + "c".repeat(40));

  @Override
  public Page discover(DiscoveryQuery query) {
    runs.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (String signer : SIGNERS) {
      if (!query.exclude().contains(signer)) {
        List<Object> row = new ArrayList<>(
            java.util.Collections.nCopies(DiscoveryQuery.COLUMNS.size(), null));
        row.set(0, "https://" + signer.substring(2, 3) + ".example:8935");
        row.set(1, signer);
        rows.add(row);
      }
    }
    return new Page(DiscoveryQuery.COLUMNS, rows, false);
  }

  @Override
  public List<Headline> overview(MetricsQuery query) {
    return List.of(new Headline("output_fps_mean", 20.5, null, 10, 0, "frames/s"));
  }

  @Override
  public Live live(Map<Dimension, Set<String>> filters, boolean includeTestLoad,
      Instant at) {
    return new Live(at, List.of(), false, Map.of(), Map.of());
  }
}
