package dev.naap.bench;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Freshness: how long after an event is ingested the query layer shows it.
 *
 * <p>Workload: an embedded store with the rollup refresh loop running as {@code naap ingest} runs
 * it (every {@code --interval-ms}, default 5 000). Each of {@code --trials} trials (default 20)
 * waits a random 0–5 s (seed 7, so trials fall at every phase of the loop), writes one session of a
 * new orchestrator (request, first segment, first frame, one status sample, event times now)
 * through the ingest writer, then asks {@link MetricsQueries} every 50 ms for that orchestrator's
 * GPU metrics of the current hour until its segment shows. The figure is the time from the
 * write's return (the event is durable and would be acknowledged to Kafka) to the first answer
 * that shows it — what a user of the API sees, whatever the rollup versions do inside.
 *
 * <p>Run: {@code ./naap bench freshness [--trials N] [--interval-ms MS]}.
 */
public final class FreshnessBenchmark {

  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private FreshnessBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Options.parse(argv);
    int trials = Integer.parseInt(args.getOrDefault("trials", "20"));
    long intervalMs = Long.parseLong(args.getOrDefault("interval-ms", "5000"));
    Path work = Files.createTempDirectory("naap-bench-freshness-");
    System.out.printf("freshness benchmark: %d trials, refresh every %d ms, %d cores, work dir %s%n",
        trials, intervalMs, Runtime.getRuntime().availableProcessors(), work);

    try (Store store = Stores.open(new StoreConfig.Embedded(work.resolve("store"), 4))) {
      Clock clock = Clock.systemUTC();
      EventWriter writer = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
          IngestMetrics.unregistered(), clock);
      MetricsQueries queries = new ClickHouseMetricsQueries(store);
      Thread loop = Thread.ofPlatform().name("refresh").start(new RefreshLoop(new Refresher(store, clock),
          Duration.ofMillis(intervalMs), clock, new PrometheusRegistry()));
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
      System.out.printf("ingested → visible in the query layer: median %.2f s, p95 %.2f s, max %.2f s (%d trials)%n",
          QueryBenchmark.percentile(seconds, 0.5), QueryBenchmark.percentile(seconds, 0.95), seconds.getLast(),
          seconds.size());
    }
  }

  private static boolean visible(MetricsQueries queries, String orchestrator, Instant now) {
    MetricsQuery q = new MetricsQuery(now.minus(Duration.ofHours(2)), now.plus(Duration.ofHours(1)), Granularity.HOUR,
        Map.of(Dimension.ORCHESTRATOR, Set.of(orchestrator)), List.of(Dimension.ORCHESTRATOR), null, 10, 0, false);
    return !queries.run(Report.GPU_METRICS, q).rows().isEmpty();
  }

  /** One session on {@code orchestrator}: request, first segment, first frame, a status sample. */
  private static List<Message> session(int trial, String orchestrator, long nowMs) {
    String stream = "fresh-" + trial;
    List<String> events = List.of(
        trace(trial, 1, stream, "gateway_receive_stream_request", "", nowMs - 3_000),
        trace(trial, 2, stream, "gateway_send_first_ingest_segment", orchestrator, nowMs - 2_500),
        trace(trial, 3, stream, "gateway_receive_first_processed_segment", orchestrator, nowMs - 1_000),
        envelope(trial, 4, "ai_stream_status", nowMs, "{\"type\":\"status\",\"pipeline\":\"streamdiffusion\","
            + "\"state\":\"ONLINE\",\"timestamp\":" + nowMs + ",\"inference_status\":{\"fps\":20,\"restart_count\":0,"
            + "\"last_error\":null},\"stream_id\":\"" + stream + "\",\"request_id\":\"r-" + stream + "\","
            + "\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\"" + orchestrator + "\",\"url\":\"\"}}"));
    List<Message> messages = new ArrayList<>();
    for (String e : events) {
      messages.add(new Message(e.getBytes(StandardCharsets.UTF_8), Origin.file("freshness", messages.size())));
    }
    return messages;
  }

  private static String trace(int trial, int n, String stream, String subtype, String orchestrator, long ms) {
    return envelope(trial, n, "stream_trace", ms, "{\"type\":\"" + subtype + "\",\"timestamp\":" + ms
        + ",\"stream_id\":\"" + stream + "\",\"request_id\":\"r-" + stream + "\",\"pipeline_id\":\"\","
        + "\"orchestrator_info\":{\"address\":\"" + orchestrator + "\",\"url\":\"\"}}");
  }

  private static String envelope(int trial, int n, String type, long ms, String data) {
    return "{\"id\":\"fresh-" + trial + "-" + n + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + ms
        + "\",\"gateway\":\"gw-1\",\"data\":" + data + "}";
  }
}
