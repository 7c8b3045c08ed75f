package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.TestLoadRules;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.metrics.query.Granularity;
import dev.naap.metrics.query.MetricsQuery;
import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.Report;
import dev.naap.sim.FileSink;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score against the simulator's truth (docs/METRICS.md, "Orchestrator score"): over two hours
 * of a simulated network (seed 11), the scores of the orchestrator × pipeline rows with 20+
 * segments must order them the way their true failure probability does (the nodes' probabilities
 * weighed by the segments each served). Prints the Spearman rank correlation it measured (0.952
 * over 10 rows when written), and each row with its counts and its cohort's figures, from which
 * METRICS.md's worked example recomputes one score by hand.
 */
class ScoreRankTest {

  /** Orchestrators with fewer segments are left out: their score is mostly the network's prior. */
  private static final long MIN_SEGMENTS = 20;

  @TempDir Path dir;

  @Test
  void scoreOrdersOrchestratorsLikeTheirTrueFailureProbability() {
    Instant start = Instant.parse("2026-03-03T17:00:00Z");
    Duration length = Duration.ofHours(2);
    SimConfig config = SimConfig.builder().seed(11).startMs(start.toEpochMilli()).duration(length)
        .perfectDelivery().build();
    Path events = dir.resolve("events.ndjson");
    GroundTruth truth;
    try (FileSink sink = new FileSink(events)) {
      truth = new Simulator(config).run(sink, Pacer.none());
    }
    Store store = TestEngine.uniqueStore("score_rank");
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    new FileImport(new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.STORE,
        IngestMetrics.unregistered(), Clock.systemUTC())).importFile(events);
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

    Page page =
        new ClickHouseMetricsQueries(store)
            .run(
                Report.ORCHESTRATOR_SCORES,
                new MetricsQuery(
                    start.minus(Duration.ofHours(1)),
                    start.plus(length).plus(Duration.ofHours(1)),
                    Granularity.HOUR,
                    Map.of(),
                    List.of(),
                    null,
                    1000,
                    0,
                    false));
    List<String> names = page.columns().stream().map(c -> c.name()).toList();
    // The truth of one signer × pipeline: its nodes' failure probabilities, weighed by the segments
    // each served of that pipeline (a signer fronts several nodes, each with its own).
    Map<String, Double> nodeFailure = new HashMap<>();
    truth.orchestrators().forEach(o -> nodeFailure.put(o.url(), o.failureProbability()));
    Map<String, double[]> weighed = new HashMap<>();
    for (GroundTruth.NodePipelineTruth n : truth.nodePipelines()) {
      double[] w =
          weighed.computeIfAbsent(n.signerAddress() + "|" + n.pipeline(), k -> new double[2]);
      w[0] += n.segments() * nodeFailure.getOrDefault(n.url(), 0.0);
      w[1] += n.segments();
    }
    List<double[]> pairs = new ArrayList<>();
    for (List<Object> row : page.rows()) {
      String key =
          row.get(names.indexOf("orchestrator_address")) + "|" + row.get(names.indexOf("pipeline"));
      long segments = (Long) row.get(names.indexOf("segments"));
      double[] w = weighed.get(key);
      if (segments >= MIN_SEGMENTS
          && row.get(names.indexOf("score")) != null
          && w != null
          && w[1] > 0) {
        pairs.add(new double[] {(Double) row.get(names.indexOf("score")), -w[0] / w[1]});
        // Every figure METRICS.md's worked example needs to recompute the row by hand.
        Map<String, Object> r = new HashMap<>();
        names.forEach(n -> r.put(n, row.get(names.indexOf(n))));
        System.out.printf(
            "  %s score %.4f [%.4f, %.4f] reliability %.5f quality %.5f | segments %d failed %s fps"
                + " %.4f over %s samples, startup %.2f ms over %s | cohort P %.6f F %.4f S %.2f |"
                + " fps_quality %.5f startup_quality %.5f | true p_fail %.3f%n",
            key,
            r.get("score"),
            r.get("score_low"),
            r.get("score_high"),
            r.get("reliability"),
            r.get("quality"),
            segments,
            r.get("failed_segments"),
            r.get("output_fps_mean"),
            r.get("fps_samples"),
            r.get("orchestrator_startup_ms_mean"),
            r.get("startup_samples"),
            r.get("network_reliability"),
            r.get("network_fps_mean"),
            r.get("network_startup_ms_mean"),
            r.get("fps_quality"),
            r.get("startup_quality"),
            w[0] / w[1]);
      }
    }
    double rho = spearman(pairs);
    System.out.printf("score rank test: %d orchestrator x pipeline rows with %d+ segments, "
        + "Spearman(score, -true failure probability) = %.3f%n", pairs.size(), MIN_SEGMENTS, rho);
    assertThat(pairs.size()).isGreaterThanOrEqualTo(8);
    assertThat(rho).isGreaterThan(0.7);
  }

  private static double spearman(List<double[]> pairs) {
    double[] x = ranks(pairs.stream().mapToDouble(p -> p[0]).toArray());
    double[] y = ranks(pairs.stream().mapToDouble(p -> p[1]).toArray());
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /** Ranks from 1, ties sharing their mean rank. */
  private static double[] ranks(double[] v) {
    Integer[] order =
        IntStream.range(0, v.length)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> v[i]))
            .toArray(Integer[]::new);
    double[] r = new double[v.length];
    for (int i = 0; i < order.length; ) {
      int j = i;
      while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        r[order[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return r;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s / v.length;
  }
}
