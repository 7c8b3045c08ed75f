package dev.naap.dashboard;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.api.DatasetCatalog;
import dev.naap.api.Readiness;
import dev.naap.metrics.query.TestLoadResults;
import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.metrics.query.TestLoadQueries;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.scraper.ScrapeMetrics;
import dev.naap.scraper.Scraper;
import dev.naap.scraper.ScraperConfig;
import dev.naap.sim.EventSink;
import dev.naap.sim.FileSink;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.StoreException;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The real API server, serving the dashboard, over an embedded store that holds the last day of a
 * simulated network: simulator → events file → import → rollup refresh, as {@code naap demo} does
 * through Kafka, plus the orchestrator metadata the scraper reads from the simulated gateway and
 * the results of the load tester run against that network ({@link LoadTestRuns}). The simulated day
 * ends now, so the dashboard's "last 24 hours" covers it. Four days earlier, one hour holds {@link
 * ReaderCases}.
 */
final class SimulatedApi implements AutoCloseable {

  /** A day, as the demo backfills: every view's default range is full. */
  private static final Duration HISTORY = Duration.ofHours(24);

  private final Store store;
  private final Instant casesHour;
  private final Instant historyEnd;
  private final TestLoadResults testLoad;
  private final ApiServer server;

  private SimulatedApi(Store store, Instant casesHour, Instant historyEnd) {
    this.store = store;
    this.casesHour = casesHour;
    this.historyEnd = historyEnd;
    this.testLoad = new TestLoadQueries(store);
    this.server = serve(ApiConfig.defaults());
  }

  static SimulatedApi start(Path dir) {
    Instant now = Instant.now();
    Store store = TestEngine.uniqueStore("dashboard");
    // The load tester mostly waits for its simulated streams: it runs while the day is simulated
    // and imported.
    CompletableFuture<Void> loadTests =
        CompletableFuture.runAsync(() -> LoadTestRuns.run(network(), store));
    Instant start = now.minus(HISTORY).truncatedTo(ChronoUnit.HOURS);
    SimConfig config =
        network().startMs(start.toEpochMilli()).duration(Duration.between(start, now)).build();
    Path events = dir.resolve("events.ndjson");
    try (FileSink sink = new FileSink(events)) {
      new Simulator(config).run(sink, Pacer.none());
    }
    scrapeMetadata(store, now);
    new FileImport(new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.STORE,
        IngestMetrics.unregistered(), Clock.systemUTC())).importFile(events);
    Instant casesHour = ReaderCases.hourBefore(now);
    ReaderCases.write(store, casesHour);
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());
    loadTests.join();
    try {
      Files.delete(events);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SimulatedApi(store, casesHour, now);
  }

  /**
   * The demo's network (40 orchestrators, 80 GPUs, 360 streams an hour at the daily peak); the same
   * seed and size give the same orchestrators and GPUs.
   */
  private static SimConfig.Builder network() {
    return SimConfig.builder().seed(6);
  }

  /** One scrape of the network's gateway, which answers only while its simulation runs. */
  private static void scrapeMetadata(Store store, Instant now) {
    Simulator live =
        new Simulator(network().startMs(now.toEpochMilli()).duration(Duration.ofHours(1)).build());
    EventSink discard = new EventSink() {
      @Override
      public void send(String key, byte[] value) {}

      @Override
      public void close() {}
    };
    Thread runner = Thread.ofPlatform().name("simulator").start(
        () -> live.run(discard, Pacer.realTime(1, now.toEpochMilli())));
    try (GatewayServer gateway = GatewayServer.start(live, 0, 0);
        Scraper scraper =
            new Scraper(
                ScraperConfig.builder(List.of(URI.create("http://127.0.0.1:" + gateway.port())))
                    .reachability(false)
                    .registeredOrchestrators(false)
                    .build(),
                store,
                new ScrapeMetrics(new PrometheusRegistry()),
                Clock.systemUTC())) {
      scraper.runOnce();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      live.stop();
    }
    try {
      runner.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Streams that started {@code seconds} ago and are running now: a request and a status each on
   * gateway {@code gateway}, written through the ingest writer, so the Live view has sessions to
   * show.
   */
  void liveSessions(String gateway, int streams, int seconds) {
    long now = System.currentTimeMillis();
    List<dev.naap.ingest.Message> messages = new java.util.ArrayList<>();
    for (int i = 0; i < streams; i++) {
      String stream = "live-" + gateway + "-" + i + "-" + now;
      long start = now - seconds * 1000L;
      for (String e :
          List.of(
              "{\"id\":\""
                  + stream
                  + "-r\",\"type\":\"stream_trace\",\"timestamp\":\""
                  + start
                  + "\",\"gateway\":\""
                  + gateway
                  + "\",\"data\":{\"type\":\"gateway_receive_stream_request\",\"timestamp\":"
                  + start
                  + ",\"stream_id\":\""
                  + stream
                  + "\",\"request_id\":\"r\",\"pipeline_id\":\"\","
                  + "\"orchestrator_info\":{\"address\":\"\",\"url\":\"\"}}}",
              "{\"id\":\""
                  + stream
                  + "-s\",\"type\":\"ai_stream_status\",\"timestamp\":\""
                  + now
                  + "\",\"gateway\":\""
                  + gateway
                  + "\",\"data\":{\"type\":\"status\",\"pipeline\":\"streamdiffusion\",\"state\":\"ONLINE\","
                  + "\"timestamp\":"
                  + now
                  + ",\"inference_status\":{\"fps\":21.5},\"stream_id\":\""
                  + stream
                  + "\",\"request_id\":\"r\",\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":"
                  + "\"0xaaaa000000000000000000000000000000000001\",\"url\":\"https://aaaa:8935\"}}}")) {
        messages.add(
            new dev.naap.ingest.Message(
                e.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                dev.naap.ingest.Origin.file("live", messages.size())));
      }
    }
    new EventWriter(
            store,
            new EventParser(),
            EventWriter.DuplicateCheck.BATCH,
            IngestMetrics.unregistered(),
            Clock.systemUTC())
        .write(messages);
  }

  /**
   * Another server over the same data, with {@code config} (on a free loopback port); the caller
   * closes it.
   */
  ApiServer serve(ApiConfig config) {
    return new ApiServer(
            config.withAddress("127.0.0.1", 0),
            new ClickHouseMetricsQueries(store),
            DatasetCatalog.empty(),
            testLoad,
            () -> new Readiness.Status(true, Map.of()),
            new PrometheusRegistry(),
            InstantSource.system())
        .mount(DashboardAssets.SITE_PATH, DashboardAssets.SITE)
        .mount(DashboardAssets.UPLOT_PATH, DashboardAssets.UPLOT)
        .start();
  }

  /**
   * A server whose store refuses every statement, as a stopped ClickHouse does (the API answers
   * 503), with discovery's static fallback list {@code fallback} (empty: none); the caller closes
   * it.
   */
  ApiServer serveDown(List<String> fallback) {
    Store down =
        new Store() {
          @Override
          public byte[] query(String sql, Map<String, ?> params, String format) {
            throw new StoreException(0, "cannot reach ClickHouse server: connection refused", sql);
          }

          @Override
          public void insert(String insertStatement, byte[] data) {
            throw new StoreException(
                0, "cannot reach ClickHouse server: connection refused", insertStatement);
          }

          @Override
          public String database() {
            return store.database();
          }

          @Override
          public String description() {
            return "a stopped store";
          }

          @Override
          public void close() {}
        };
    return new ApiServer(
            ApiConfig.defaults().withAddress("127.0.0.1", 0),
            new ClickHouseMetricsQueries(down),
            DatasetCatalog.empty(),
            testLoad,
            () -> new Readiness.Status(false, Map.of()),
            new PrometheusRegistry(),
            InstantSource.system())
        .discoveryFallback(fallback)
        .mount(DashboardAssets.SITE_PATH, DashboardAssets.SITE)
        .mount(DashboardAssets.UPLOT_PATH, DashboardAssets.UPLOT)
        .start();
  }

  /** The hour that holds {@link ReaderCases}; nothing happened in the hour before it. */
  Instant casesHour() {
    return casesHour;
  }

  /** When the simulated history ends: its events are up to then, ingested after it. */
  Instant historyEnd() {
    return historyEnd;
  }

  /** The server's root, such as {@code http://127.0.0.1:41234/}. */
  URI url() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
  }
}
