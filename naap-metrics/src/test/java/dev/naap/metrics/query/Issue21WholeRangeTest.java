package dev.naap.metrics.query;

import static dev.naap.metrics.LiveEvents.A;
import static dev.naap.metrics.LiveEvents.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.metrics.LiveEvents;
import dev.naap.metrics.Refresher;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: granularity {@code all} against the same numbers computed directly from the sessions
 * of a small seeded network — counts, sums and means exactly; quantiles within the t-digest's
 * documented rank error, and never the average of the buckets' quantiles.
 *
 * <p>The network: for each of six hours (two days ago) and each of orchestrators A and B, four
 * sessions, each within minutes 10–20 of its hour: a request, the first ingest segment after a
 * selection wait of 0.2–3 s, the first processed segment an orchestrator startup of 0.5–6 s
 * later, and 3–8 status samples every 10 s. Each hour × orchestrator has its own FPS level, so
 * the hours' quantiles differ and their average is not the range's quantile.
 */
class Issue21WholeRangeTest {

  /**
   * The rollups keep t-digest states ({@code quantilesTDigestState}), a sketch: ClickHouse calls
   * its quantiles approximate; its t-digest compresses with epsilon 0.01 (QuantileTDigest.h).
   */
  private static final double RANK_ERROR = 0.01;

  private static final Instant day =
      Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS);
  private static final List<Session> sessions = new ArrayList<>();
  private static Store store;
  private static MetricsQueries queries;

  /** One session as generated: its orchestrator, its minute, and what it measured. */
  private record Session(String orchestrator, long requestMs, long waitMs, long startupMs,
      double[] fps) {
    long ptffMs() {
      return waitMs + startupMs;
    }
  }

  @BeforeAll
  static void load() {
    Random random = new Random(21);
    LiveEvents ev = new LiveEvents(day.toEpochMilli());
    List<String> events = new ArrayList<>();
    for (int hour = 0; hour < 6; hour++) {
      for (String orchestrator : List.of(A, B)) {
        double level = (orchestrator.equals(A) ? 12 : 6) + 3 * hour;
        for (int i = 0; i < 4; i++) {
          String stream = "h" + hour + "-" + orchestrator.substring(2, 6) + "-" + i;
          long request = Duration.ofHours(hour).plusMinutes(10 + 2 * i).toMillis()
              + random.nextInt(30_000);
          long wait = 200 + random.nextInt(2_800);
          long startup = 500 + random.nextInt(5_500);
          double[] fps = new double[3 + random.nextInt(6)];
          for (int s = 0; s < fps.length; s++) {
            fps[s] = Math.round((level + 4 * random.nextGaussian()) * 100) / 100.0;
            fps[s] = Math.max(0.5, fps[s]);
          }
          sessions.add(new Session(orchestrator, request, wait, startup, fps));
          events.add(ev.request(stream, request));
          events.add(ev.ingest(stream, orchestrator, request + wait));
          events.add(ev.processed(stream, orchestrator, request + wait + startup));
          for (int s = 0; s < fps.length; s++) {
            long at = request + wait + startup + 10_000L * (s + 1);
            events.add(ev.status(stream, orchestrator, at, fps[s], "ONLINE"));
          }
        }
      }
    }
    store = TestEngine.uniqueStore("whole_range");
    LiveEvents.write(store, events, Clock.systemUTC());
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());
    queries = new ClickHouseMetricsQueries(store);
  }

  private static MetricsQuery query(Instant start, Instant end, Granularity g) {
    return new MetricsQuery(start, end, g, Map.of(), List.of(Dimension.ORCHESTRATOR), null, 1000,
        0, false);
  }

  private static Map<String, Map<String, Object>> byOrchestrator(Page page) {
    Map<String, Map<String, Object>> rows = new HashMap<>();
    for (List<Object> values : page.rows()) {
      Map<String, Object> row = new HashMap<>();
      for (int c = 0; c < page.columns().size(); c++) {
        row.put(page.columns().get(c).name(), values.get(c));
      }
      rows.put((String) row.get("orchestrator_address"), row);
    }
    return rows;
  }

  @Test
  void all_onWholeHours_isTheDirectComputationOverEverySample() {
    Instant start = day;
    Instant end = day.plus(Duration.ofHours(6));
    Page page = queries.run(Report.GPU_METRICS, query(start, end, Granularity.ALL));

    assertThat(page.rows()).hasSize(2);
    Map<String, Map<String, Object>> rows = byOrchestrator(page);
    for (String orchestrator : List.of(A, B)) {
      Map<String, Object> row = rows.get(orchestrator);
      assertThat(row.get("window_start")).isEqualTo(start);
      assertMatchesSessions(row, s -> s.orchestrator().equals(orchestrator));
    }
  }

  @Test
  void all_offTheHour_readsTheHoursThatStartInTheRange_asAt1h() {
    // 00:05–03:05: the hours that start in it, 01:00 to 03:00, as granularity 1h reads them (each
    // hour's sessions are in its minutes 10–20); the bucket is named after the range's start.
    Instant start = day.plus(Duration.ofMinutes(5));
    Instant end = day.plus(Duration.ofMinutes(185));
    Page page = queries.run(Report.GPU_METRICS, query(start, end, Granularity.ALL));

    Map<String, Map<String, Object>> rows = byOrchestrator(page);
    assertThat(rows).containsOnlyKeys(A, B);
    for (String orchestrator : List.of(A, B)) {
      Map<String, Object> row = rows.get(orchestrator);
      assertThat(row.get("window_start")).isEqualTo(start);
      assertMatchesSessions(row, s -> s.orchestrator().equals(orchestrator)
          && s.requestMs() >= Duration.ofHours(1).toMillis()
          && s.requestMs() < Duration.ofHours(4).toMillis());
    }
  }

  @Test
  void all_overWholeDays_readsTheDayRollups() {
    Instant start = day.minus(Duration.ofDays(1));
    Instant end = day.plus(Duration.ofDays(1));
    Page page = queries.run(Report.GPU_METRICS, query(start, end, Granularity.ALL));

    Map<String, Map<String, Object>> rows = byOrchestrator(page);
    assertThat(rows).containsOnlyKeys(A, B);
    for (String orchestrator : List.of(A, B)) {
      assertThat(rows.get(orchestrator).get("window_start")).isEqualTo(start);
      assertMatchesSessions(rows.get(orchestrator), s -> s.orchestrator().equals(orchestrator));
    }
  }

  @Test
  void all_isNotTheAverageOfTheBucketsQuantiles() {
    Instant end = day.plus(Duration.ofHours(6));
    Map<String, Object> whole =
        byOrchestrator(queries.run(Report.GPU_METRICS, query(day, end, Granularity.ALL))).get(A);
    Page hours = queries.run(Report.GPU_METRICS, query(day, end, Granularity.HOUR));
    double weighted = 0;
    long samples = 0;
    long segments = 0;
    for (Map<String, Object> hour : hoursOf(hours, A)) {
      weighted += (Double) hour.get("output_fps_p95") * (Long) hour.get("fps_samples");
      samples += (Long) hour.get("fps_samples");
      segments += (Long) hour.get("segments");
    }
    // Counts add up over the buckets; the quantile of the range is not the buckets' average.
    assertThat(whole.get("fps_samples")).isEqualTo(samples);
    assertThat(whole.get("segments")).isEqualTo(segments);
    double[] fps = fpsOf(s -> s.orchestrator().equals(A));
    double exact = exactQuantile(fps, 0.95);
    assertThat(Math.abs(weighted / samples - exact)).isGreaterThan(3.0);
    assertQuantile(whole, "output_fps_p95", fps, 0.95);
  }

  @Test
  void all_withoutGrouping_isOneRowForTheWholeNetwork() {
    MetricsQuery q = new MetricsQuery(day, day.plus(Duration.ofHours(6)), Granularity.ALL, Map.of(),
        List.of(Dimension.PIPELINE), null, 1000, 0, false);
    Page page = queries.run(Report.GPU_METRICS, q);

    assertThat(page.rows()).hasSize(1);
    Map<String, Object> row = byOrchestrator(page).values().iterator().next();
    assertMatchesSessions(row, s -> true);
  }

  @Test
  void all_ofDemand_countsEverySessionOnce() {
    MetricsQuery q = new MetricsQuery(day, day.plus(Duration.ofHours(6)), Granularity.ALL, Map.of(),
        List.of(Dimension.PIPELINE), null, 1000, 0, false);
    Page page = queries.run(Report.NETWORK_DEMAND, q);

    assertThat(page.rows()).hasSize(1);
    int requested =
        page.columns().stream().map(Column::name).toList().indexOf("sessions_requested");
    assertThat(page.rows().get(0).get(0)).isEqualTo(day);
    assertThat(page.rows().get(0).get(requested)).isEqualTo((long) sessions.size());
  }

  private static List<Map<String, Object>> hoursOf(Page page, String orchestrator) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (List<Object> values : page.rows()) {
      Map<String, Object> row = new HashMap<>();
      for (int c = 0; c < page.columns().size(); c++) {
        row.put(page.columns().get(c).name(), values.get(c));
      }
      if (orchestrator.equals(row.get("orchestrator_address"))) {
        rows.add(row);
      }
    }
    return rows;
  }

  /** The row's counts and means are the sessions'; its quantiles theirs within the rank error. */
  private static void assertMatchesSessions(Map<String, Object> row, Predicate<Session> which) {
    List<Session> chosen = sessions.stream().filter(which).toList();
    double[] fps = fpsOf(which);
    assertThat(row.get("segments")).isEqualTo((long) chosen.size());
    assertThat(row.get("fps_samples")).isEqualTo((long) fps.length);
    assertThat(row.get("ptff_samples")).isEqualTo((long) chosen.size());
    assertThat(row.get("startup_samples")).isEqualTo((long) chosen.size());
    assertThat(row.get("selection_wait_samples")).isEqualTo((long) chosen.size());
    assertThat(row.get("failed_segments")).isEqualTo(0L);
    assertThat((Double) row.get("output_fps_mean"))
        .isCloseTo(Arrays.stream(fps).average().orElseThrow(), within(1e-9));
    assertThat((Double) row.get("ptff_ms_mean"))
        .isCloseTo(chosen.stream().mapToLong(Session::ptffMs).average().orElseThrow(),
            within(1e-9));

    assertQuantile(row, "output_fps_p05", fps, 0.05);
    assertQuantile(row, "output_fps_p50", fps, 0.5);
    assertQuantile(row, "output_fps_p95", fps, 0.95);
    assertQuantile(row, "ptff_ms_p95", values(chosen, Session::ptffMs), 0.95);
    assertQuantile(row, "orchestrator_startup_ms_p95", values(chosen, Session::startupMs), 0.95);
    assertQuantile(row, "selection_wait_ms_p95", values(chosen, Session::waitMs), 0.95);
  }

  /**
   * A t-digest quantile at level q lies between the samples of rank (q − ε)·n and (q + ε)·n, one
   * sample's rank either way for the interpolation between neighbouring centroids.
   */
  private static void assertQuantile(
      Map<String, Object> row, String column, double[] samples, double q) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    int low = Math.max(0, (int) Math.floor((q - RANK_ERROR) * n) - 1);
    int high = Math.min(n - 1, (int) Math.ceil((q + RANK_ERROR) * n));
    assertThat((Double) row.get(column)).as(column + " of " + n + " samples")
        .isBetween(sorted[low], sorted[high]);
  }

  private static double[] fpsOf(Predicate<Session> which) {
    return sessions.stream().filter(which).flatMapToDouble(s -> Arrays.stream(s.fps())).toArray();
  }

  private static double[] values(List<Session> chosen, Function<Session, Long> value) {
    return chosen.stream().mapToDouble(s -> value.apply(s)).toArray();
  }

  /** The exact quantile at level q, interpolated between the neighbouring order statistics. */
  private static double exactQuantile(double[] samples, double q) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }
}
