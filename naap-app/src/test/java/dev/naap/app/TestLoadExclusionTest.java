package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.loadtest.GatewayClient;
import dev.naap.loadtest.HookIngest;
import dev.naap.loadtest.LoadtestMetrics;
import dev.naap.loadtest.PlanRunner;
import dev.naap.loadtest.RunSummary;
import dev.naap.loadtest.TestPlan;
import dev.naap.loadtest.TestPlanLoader;
import dev.naap.loadtest.TestResult;
import dev.naap.loadtest.TimeSource;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.metrics.query.Granularity;
import dev.naap.metrics.query.MetricsQueries.Headline;
import dev.naap.metrics.query.MetricsQuery;
import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.Report;
import dev.naap.sim.FileSink;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test load end to end: the load tester runs against the simulator's gateway HTTP surface while
 * the simulated network carries its usual demand; the events go through import and rollups, and
 * the public metrics leave the test sessions out unless asked to include them.
 *
 * <p>The tester uses gateway 0, which (like gateway 1) does not forward the optional
 * {@code is_test_load} field ({@code StreamSession}: only a gateway with optional fields flags
 * streams), so its sessions are test load only because it registered their stream ids in
 * {@code test_load_streams}. Gateway 2 still flags 10 % of its own streams in the events, so both
 * ways of being test load occur, and the test tells them apart.
 */
class TestLoadExclusionTest {
  static final double SPEED = 20;
  static final int TESTER_GATEWAY = 0;
  static final Instant START = Instant.parse("2026-03-02T16:00:00Z");
  static final Instant LIVE_FROM = Instant.parse("2026-03-02T18:00:00Z");

  @TempDir Path dir;

  @Test
  void testSessions_areExcludedFromPublicMetrics_andIncludedOnRequest() throws Exception {
    Path events = dir.resolve("events.ndjson");
    Simulator sim = new Simulator(SimConfig.builder()
        .seed(Long.getLong("naap.sim.seed", 5)).startMs(START.toEpochMilli()) // -Dnaap.sim.seed=N
        .duration(Duration.ofHours(4)).perfectDelivery().build());
    // Two hours of demand simulated at once, then live: the tester starts once the run is live.
    CountDownLatch live = new CountDownLatch(1);
    Pacer pacer = Pacer.realTime(SPEED, LIVE_FROM.toEpochMilli(), live);
    Thread simulation = Thread.ofPlatform().name("sim").start(() -> {
      try (FileSink sink = new FileSink(events)) {
        sim.run(sink, pacer);
      }
    });
    Store store = TestEngine.uniqueStore("test_load_exclusion");
    RunSummary run;
    try (GatewayServer server = GatewayServer.start(sim, TESTER_GATEWAY, 0)) {
      assertThat(live.await(30, TimeUnit.SECONDS)).as("the backfill ends").isTrue();
      GatewayClient client = new GatewayClient(URI.create("http://127.0.0.1:" + server.port()),
          Duration.ofSeconds(2), Duration.ofSeconds(15));
      TestPlan plan =
          TestPlanLoader.parse(
              """
              {"name": "exclusion", "test_duration": "20s", "poll_interval": "1s", "concurrency": 4,
               "tests_per_run": 4, "prompt_changes": 0, "startup_timeout": "30s"}
              """
                  .getBytes(StandardCharsets.UTF_8));
      run =
          PlanRunner.of(
                  plan,
                  client,
                  new HookIngest(client),
                  store,
                  LoadtestMetrics.unregistered(),
                  TimeSource.scaled(SPEED))
              .runOnce();
    } finally {
      sim.stop();
      simulation.join(30_000);
    }
    BatchResult imported =
        new FileImport(
                new EventWriter(
                    store,
                    new EventParser(),
                    EventWriter.DuplicateCheck.STORE,
                    IngestMetrics.unregistered(),
                    Clock.systemUTC()),
                5_000)
            .importFile(events);
    assertThat(imported.rejected()).isZero();
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

    Set<String> tested = run.results().stream().map(TestResult::testId).collect(Collectors.toSet());
    assertThat(tested).hasSize(4);
    assertThat(lines(store, "SELECT stream_id FROM test_load_streams FINAL", Map.of()))
        .as("registered streams").containsExactlyInAnyOrderElementsOf(tested);
    Map<String, Object> ids = Map.of("ids", List.copyOf(tested));

    // Counted by hand from the sessions view, as the rollups count them: sessions, segments.
    String counts =
        "SELECT countIf(segment_index <= 1 AND request_time IS NOT NULL), countIf(segment_index >="
            + " 1) FROM sessions ";
    long[] publicOnly = longs(store, counts + "WHERE NOT is_test_load", Map.of());
    long[] all = longs(store, counts, Map.of());
    long[] registered = longs(store, counts + "WHERE has({ids:Array(String)}, stream_id)", ids);
    long[] flaggedOnly =
        longs(
            store, counts + "WHERE is_test_load AND NOT has({ids:Array(String)}, stream_id)", ids);

    System.out.printf(
        "sessions/segments: all %d/%d, public %d/%d, registered %d/%d, flagged only %d/%d; outcomes"
            + " %s%n",
        all[0],
        all[1],
        publicOnly[0],
        publicOnly[1],
        registered[0],
        registered[1],
        flaggedOnly[0],
        flaggedOnly[1],
        run.results().stream().map(r -> r.outcome() + " " + r.errorClass()).toList());
    // The tester's sessions: test load by registration alone, since gateway 0 sends no flag.
    assertThat(registered[0]).isEqualTo(tested.size());
    assertThat(
            lines(
                store,
                "SELECT DISTINCT is_test_load FROM sessions WHERE has({ids:Array(String)},"
                    + " stream_id)",
                ids))
        .containsExactly("true");
    assertThat(
            lines(
                store,
                "SELECT count() FROM raw_events FINAL WHERE has({ids:Array(String)}, stream_id) AND"
                    + " is_test_load",
                ids))
        .containsExactly("0");
    // Gateway 2's flagged streams: test load by the event flag, not registered.
    assertThat(flaggedOnly[0]).as("sessions flagged by their events").isPositive();
    assertThat(
            lines(
                store,
                "SELECT countIf(NOT flagged) FROM (SELECT stream_id, max(is_test_load) AS flagged"
                    + " FROM raw_events FINAL WHERE stream_id IN (SELECT stream_id FROM sessions"
                    + " WHERE is_test_load AND NOT has({ids:Array(String)}, stream_id)) GROUP BY"
                    + " stream_id)",
                ids))
        .containsExactly("0");
    assertThat(publicOnly[0]).isEqualTo(all[0] - registered[0] - flaggedOnly[0]).isPositive();
    assertThat(publicOnly[1]).isEqualTo(all[1] - registered[1] - flaggedOnly[1]).isPositive();

    ClickHouseMetricsQueries queries = new ClickHouseMetricsQueries(store);
    for (boolean include : List.of(false, true)) {
      long[] expected = include ? all : publicOnly;
      MetricsQuery query =
          new MetricsQuery(
              START,
              LIVE_FROM.plus(Duration.ofHours(2)),
              Granularity.HOUR,
              Map.of(),
              List.of(),
              null,
              1000,
              0,
              include);
      Headline sessions =
          queries.overview(query).stream()
              .filter(h -> h.name().equals("sessions"))
              .findFirst()
              .orElseThrow();
      assertThat(sessions.count())
          .as("overview sessions, include_test_load=%s", include)
          .isEqualTo(expected[0]);
      Page gpus = queries.run(Report.GPU_METRICS, query);
      assertThat(gpus.hasMore()).isFalse();
      int segments = gpus.columns().stream().map(c -> c.name()).toList().indexOf("segments");
      long measured =
          gpus.rows().stream().mapToLong(r -> ((Number) r.get(segments)).longValue()).sum();
      assertThat(measured)
          .as("GPU metrics segments, include_test_load=%s", include)
          .isEqualTo(expected[1]);
    }
    store.close();
  }

  private static List<String> lines(Store store, String sql, Map<String, Object> params) {
    return store.queryText(sql, params).lines().toList();
  }

  private static long[] longs(Store store, String sql, Map<String, Object> params) {
    String[] f = store.queryText(sql, params).strip().split("\t");
    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
  }
}
