package dev.naap.bench;

import dev.naap.app.Main;
import dev.naap.app.Range;
import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.Message;
import dev.naap.ingest.Origin;
import dev.naap.metrics.RefreshLoop;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.Granularity;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.MetricsQuery;
import dev.naap.metrics.query.Report;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Freshness: how long after an event is ingested the query layer shows it.
 *
 * <p>Workload: an embedded store holding {@code --sessions} earlier sessions (each on one of 400
 * orchestrators, one every 648 ms back from now — the rate of a 1 000-GPU network, so 4 000 000
 * sessions are its month and more sessions mean more history, not a busier hour — generated in the
 * engine by {@code freshness_sessions.sql}), the capability snapshots of the same span ({@code
 * --gateways} gateways each listing the 400 orchestrators' 1 000 GPUs every 25 min, the default
 * report interval of go-livepeer's gateways: {@code freshness_snapshots.sql}), all refreshed once
 * before the trials (that first refresh's time is printed too), with the rollup refresh loop
 * running as {@code naap ingest} runs it (every {@code --interval-ms}). Each of {@code --trials} trials waits a random 0–5 s (seed 7,
 * so trials fall at every phase of the loop), writes one session of a new orchestrator (request,
 * first segment, first frame, one status sample, event times now) through the ingest writer, then
 * asks {@link MetricsQueries} every 50 ms for that orchestrator's GPU metrics of the current hour
 * until its segment shows. The figure is the time from the write's return (the event is durable and
 * would be acknowledged to Kafka) to the first answer that shows it — what a user of the API sees,
 * whatever the rollup versions do inside. The loop's own refresh durations during the trials are
 * printed too (mean and max, from its histogram).
 *
 * <p>Run: {@code ./naap bench freshness [--sessions N] [--trials N] [--interval-ms MS]}.
 */
@Command(name = "freshness", description = "how long after an event is ingested the query "
    + "layer shows it")
public final class FreshnessBenchmark implements Main.Runner {

  private static final Duration GIVE_UP = Duration.ofSeconds(60);
  /** A session every 648 ms: 4 000 000 in 30 days, a 1 000-GPU network's rate. */
  private static final long SESSION_SPACING_MS = 648;
  /** Earlier sessions generated per statement. */
  private static final int SESSIONS_PER_STATEMENT = 250_000;
  /** A gateway's capabilities report interval (go-livepeer's {@code -liveAICapReportInterval}). */
  private static final Duration SNAPSHOT_INTERVAL = Duration.ofMinutes(25);
  /** Snapshot rounds (one snapshot per gateway each) generated per statement. */
  private static final int SNAPSHOTS_PER_STATEMENT = 40;

  @Option(names = "--sessions", paramLabel = "N", description = "earlier sessions in the store")
  @Range(min = 0, max = Integer.MAX_VALUE)
  int sessions = 0;

  @Option(names = "--trials", paramLabel = "N", description = "events timed")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int trials = 20;

  @Option(names = "--gateways", paramLabel = "G", description = "gateways sending capability "
      + "snapshots of the 1 000 GPUs every 25 min over the earlier sessions' span (0: none)")
  @Range(min = 0, max = 100)
  int gateways = 3;

  @Option(names = "--interval-ms", paramLabel = "MS", description = "the refresh loop's interval")
  @Range(min = 1, max = Integer.MAX_VALUE)
  long intervalMs = RefreshLoop.DEFAULT_INTERVAL.toMillis();

  FreshnessBenchmark() {}

  @Override
  public int run(PrintStream out, PrintStream err) throws Exception {
    WorkDir work = WorkDir.temporary("naap-bench-freshness-");
    System.out.printf(
        "freshness benchmark: %d trials, %d earlier sessions, refresh every %d ms, %d cores, "
            + "work dir %s%n",
        trials, sessions, intervalMs, Runtime.getRuntime().availableProcessors(), work);

    try (work; Store store = Stores.open(new StoreConfig.Embedded(work.resolve("store"), 4))) {
      Clock clock = Clock.systemUTC();
      EventWriter writer =
          new EventWriter(
              store,
              new EventParser(),
              EventWriter.DuplicateCheck.BATCH,
              IngestMetrics.unregistered(),
              clock);
      MetricsQueries queries = new ClickHouseMetricsQueries(store);
      if (sessions > 0) {
        long start = System.nanoTime();
        long now = clock.millis();
        preload(store, sessions, now);
        System.out.printf(
            "%d earlier sessions generated in %.1f s%n",
            sessions, (System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        int snapshots = preloadSnapshots(store, sessions, gateways, now);
        System.out.printf(
            "%d earlier capability snapshots (%d gateways) generated in %.1f s%n",
            snapshots * gateways, gateways, (System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        new Refresher(store, clock).refreshUpTo(clock.instant());
        System.out.printf("%d earlier sessions written and refreshed in %.1f s%n", sessions,
            (System.nanoTime() - start) / 1e9);
      }
      PrometheusRegistry registry = new PrometheusRegistry();
      Thread loop =
          Thread.ofPlatform()
              .name("refresh")
              .start(
                  new RefreshLoop(
                      new Refresher(store, clock), Duration.ofMillis(intervalMs), clock, registry));
      Random random = new Random(7);
      List<Double> seconds = new ArrayList<>();
      try {
        for (int trial = 1; trial <= trials; trial++) {
          Thread.sleep(random.nextInt(5_000));
          String orchestrator = String.format("0x%040x", trial);
          writer.write(session(trial, orchestrator, clock.millis()));
          long written = System.nanoTime();
          while (!visible(queries, orchestrator, clock.instant())) {
            if (System.nanoTime() - written > GIVE_UP.toNanos()) {
              throw new IllegalStateException("trial " + trial + ": not visible after " + GIVE_UP);
            }
            Thread.sleep(50);
          }
          double s = (System.nanoTime() - written) / 1e9;
          seconds.add(s);
          System.out.printf("trial %2d: visible after %.2f s%n", trial, s);
        }
      } finally {
        loop.interrupt();
        loop.join();
      }
      seconds.sort(Double::compare);
      System.out.printf(
          "ingested → visible in the query layer: median %.2f s, p95 %.2f s, max %.2f s (%d"
              + " trials)%n",
          QueryBenchmark.percentile(seconds, 0.5),
          QueryBenchmark.percentile(seconds, 0.95),
          seconds.getLast(),
          seconds.size());
      printRefreshDurations(registry);
    }
    return 0;
  }

  private static boolean visible(MetricsQueries queries, String orchestrator, Instant now) {
    MetricsQuery q =
        new MetricsQuery(
            now.minus(Duration.ofHours(2)),
            now.plus(Duration.ofHours(1)),
            Granularity.HOUR,
            Map.of(Dimension.ORCHESTRATOR, Set.of(orchestrator)),
            List.of(Dimension.ORCHESTRATOR),
            null,
            10,
            0,
            false);
    return !queries.run(Report.GPU_METRICS, q).rows().isEmpty();
  }

  /** {@code count} earlier sessions, generated in the engine (freshness_sessions.sql). */
  private static void preload(Store store, int count, long nowMs) {
    String sql = GeneratedNetwork.sql("freshness_sessions.sql");
    for (int first = 0; first < count; first += SESSIONS_PER_STATEMENT) {
      store.query(
          sql,
          Map.of(
              "first",
              first,
              "count",
              Math.min(SESSIONS_PER_STATEMENT, count - first),
              "now_ms",
              nowMs,
              "spacing_ms",
              SESSION_SPACING_MS),
          "TabSeparated");
    }
  }

  /**
   * The snapshots of {@code gateways} gateways over the span of {@code sessions} earlier sessions
   * (freshness_snapshots.sql); returns the snapshots per gateway.
   */
  private static int preloadSnapshots(Store store, int sessions, int gateways, long nowMs) {
    if (gateways == 0) {
      return 0;
    }
    String sql = GeneratedNetwork.sql("freshness_snapshots.sql");
    long intervalMs = SNAPSHOT_INTERVAL.toMillis();
    int count = (int) (SESSION_SPACING_MS * sessions / intervalMs) + 1;
    for (int first = 0; first < count; first += SNAPSHOTS_PER_STATEMENT) {
      store.query(
          sql,
          Map.of(
              "first", first,
              "count", Math.min(SNAPSHOTS_PER_STATEMENT, count - first),
              "gateways", gateways,
              "now_ms", nowMs,
              "interval_ms", intervalMs),
          "TabSeparated");
    }
    return count;
  }

  /** The refresh loop's durations during the trials, from its histogram. */
  private static void printRefreshDurations(PrometheusRegistry registry) {
    for (MetricSnapshot m : registry.scrape()) {
      if (m instanceof HistogramSnapshot h && h.getMetadata().getPrometheusName()
          .equals("naap_rollup_refresh_duration_seconds")) {
        HistogramSnapshot.HistogramDataPointSnapshot p = h.getDataPoints().getFirst();
        ClassicHistogramBuckets buckets = p.getClassicBuckets();
        double p95 = Double.NaN;
        long below = 0; // the buckets' counts are per bucket, not cumulative
        for (int i = 0; i < buckets.size(); i++) {
          below += buckets.getCount(i);
          if (below >= 0.95 * p.getCount()) {
            p95 = buckets.getUpperBound(i);
            break;
          }
        }
        System.out.printf(
            "refresh loop: %d refreshes during the trials, mean %.3f s, p95 at most %.3f s%n",
            p.getCount(), p.getSum() / p.getCount(), p95);
      }
    }
  }

  private static List<Message> session(int trial, String orchestrator, long nowMs) {
    return session("fresh-" + trial, orchestrator, nowMs);
  }

  /** One session on {@code orchestrator}: request, first segment, first frame, a status sample. */
  private static List<Message> session(String stream, String orchestrator, long nowMs) {
    List<String> events =
        List.of(
            trace(1, stream, "gateway_receive_stream_request", "", nowMs - 3_000),
            trace(2, stream, "gateway_send_first_ingest_segment", orchestrator, nowMs - 2_500),
            trace(
                3, stream, "gateway_receive_first_processed_segment", orchestrator, nowMs - 1_000),
            envelope(
                stream,
                4,
                "ai_stream_status",
                nowMs,
                "{\"type\":\"status\",\"pipeline\":\"streamdiffusion\","
                    + "\"state\":\"ONLINE\",\"timestamp\":"
                    + nowMs
                    + ",\"inference_status\":{\"fps\":20,\"restart_count\":0,"
                    + "\"last_error\":null},\"stream_id\":\""
                    + stream
                    + "\",\"request_id\":\"r-"
                    + stream
                    + "\","
                    + "\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\""
                    + orchestrator
                    + "\",\"url\":\"\"}}"));
    List<Message> messages = new ArrayList<>();
    for (String e : events) {
      messages.add(
          new Message(e.getBytes(StandardCharsets.UTF_8), Origin.file(stream, messages.size())));
    }
    return messages;
  }

  private static String trace(int n, String stream, String subtype, String orchestrator, long ms) {
    return envelope(
        stream,
        n,
        "stream_trace",
        ms,
        "{\"type\":\""
            + subtype
            + "\",\"timestamp\":"
            + ms
            + ",\"stream_id\":\""
            + stream
            + "\",\"request_id\":\"r-"
            + stream
            + "\",\"pipeline_id\":\"\","
            + "\"orchestrator_info\":{\"address\":\""
            + orchestrator
            + "\",\"url\":\"\"}}");
  }

  private static String envelope(String stream, int n, String type, long ms, String data) {
    return "{\"id\":\"" + stream + "-" + n + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + ms
        + "\",\"gateway\":\"gw-1\",\"data\":" + data + "}";
  }
}
