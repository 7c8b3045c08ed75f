package dev.naap.app;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.KafkaIngest;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.kafka.KafkaBroker;
import dev.naap.loadtest.GatewayClient;
import dev.naap.loadtest.HookIngest;
import dev.naap.loadtest.LoadtestMetrics;
import dev.naap.loadtest.LoadtestScheduler;
import dev.naap.loadtest.PlanRunner;
import dev.naap.loadtest.TestPlan;
import dev.naap.loadtest.TestPlanLoader;
import dev.naap.loadtest.TimeSource;
import dev.naap.metrics.RefreshLoop;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.TestLoadRules;
import dev.naap.scraper.ScrapeMetrics;
import dev.naap.scraper.Scraper;
import dev.naap.scraper.ScraperConfig;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.KafkaSink;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import dev.naap.store.ReadOnlyAccess;
import dev.naap.store.http.ClickHouseHttpServer;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code naap demo}: the whole pipeline on one machine. A real single-node Kafka broker, the
 * embedded store, the simulated network (a backfilled day, then live), the ingest with its rollup
 * refresh, the metadata scraper against the simulated gateway, and the store served over the
 * ClickHouse HTTP protocol. Everything lives in one directory, so a second run resumes; Ctrl-C
 * stops the pieces in reverse order and exits 0.
 */
final class DemoCommand implements Main.Command {

  private static final Set<String> OPTIONS = union(Set.of("dir", "seed", "scale", "backfill-hours", "speed",
      "port", "http-port", "metrics-port", "malformed-rate"), TestLoadOptions.NAMES);
  private static final String TOPIC = "naap-gateway-events";

  @Override
  public String summary() {
    return "run everything on a simulated network: Kafka, store, ingest, rollups, scraper, load tester, API and dashboard";
  }

  @Override
  public String usage() {
    return """
        usage: naap demo [OPTIONS]

        Starts a Kafka broker, the embedded store, a simulated Livepeer network that first
        backfills history and then runs live, the ingest with its rollup refresh, the metadata
        scraper, the load tester against the simulated gateway, the public API with the dashboard,
        and a ClickHouse HTTP endpoint on the store. Prints what runs where. Ctrl-C stops it;
        running it again resumes on the same data.

        options:
          --dir DIR                  where the demo keeps its data (default ./naap-demo)
          --seed N                   the simulated network (default 1)
          --scale X                  its size, times the default: orchestrators, GPUs and demand
                                     (default 1: 40 orchestrators, 80 GPUs)
          --backfill-hours H         history simulated at the first start (default 24)
          --speed X                  live pace, times real time (default 1)
          --port PORT                the API and dashboard on 127.0.0.1 (default 8080; 0 = any)
          --http-port PORT           start the read-only ClickHouse HTTP endpoint on 127.0.0.1:PORT
                                     (0 = any); password as for naap clickhouse-http (default off)
          --metrics-port PORT        Prometheus metrics on 127.0.0.1 (default 9401; 0 = any)
          --malformed-rate P         malformed messages the simulator injects (default 0.001)
        Test load: the demo declares its simulated scheduled tester (aiJobTesterStream-*,
        cloud-spe-ai-live-video-tester-*) unless the options below say otherwise.
        """ + TestLoadOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Args args = Args.parse(argv, OPTIONS, Set.of());
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    Path dir = Path.of(args.get("dir", "naap-demo"));
    int seed = args.integer("seed", 1, 0, Integer.MAX_VALUE);
    double scale = args.decimal("scale", 1, 0.1, 100);
    int backfillHours = args.integer("backfill-hours", 24, 0, 24 * 30);
    int apiPort = args.integer("port", ApiConfig.DEFAULT_PORT, 0, 65535);
    // The ClickHouse HTTP endpoint runs only when asked for (docs/SECURITY.md).
    Integer httpPort = args.get("http-port", null) == null ? null : args.integer("http-port", 8123, 0, 65535);
    int metricsPort = args.integer("metrics-port", 9401, 0, 65535);
    double speed = args.decimal("speed", 1, 0.01, 10_000);
    double malformedRate = args.decimal("malformed-rate", 0.001, 0, 0.5);
    // The simulated network runs the real network's scheduled tester, unflagged as it is there.
    TestLoadRules testLoadRules = TestLoadOptions.from(args, TestLoadRules.KNOWN_TESTER);
    args.check();

    // On SIGINT/SIGTERM the store must outlive the last batch the ingest writes.
    System.setProperty(Stores.SHUTDOWN_GRACE_PROPERTY, "60000");
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch finished = Main.onShutdown(stopRequested::countDown, Duration.ofSeconds(60));
    // Pieces are stopped in the reverse order of their start.
    Deque<AutoCloseable> running = new ArrayDeque<>();
    try {
      KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")));
      running.push(broker);
      broker.createTopic(TOPIC, 4);
      Store store = Stores.open(new StoreConfig.Embedded(dir.resolve("store"), StoreConfig.Embedded.DEFAULT_CONNECTIONS,
          httpPort == null ? null : ReadOnlyAccess.defaults()));
      running.push(store);
      testLoadRules.save(store, Clock.systemUTC());

      PrometheusRegistry registry = new PrometheusRegistry();
      HTTPServer metricsServer = HTTPServer.builder().hostname("127.0.0.1").port(metricsPort)
          .registry(registry).buildAndStart();
      running.push(metricsServer);
      running.push(new Probes("demo", store, registry, true));

      IngestMetrics ingestMetrics = new IngestMetrics(registry);
      KafkaIngest ingest = new KafkaIngest(KafkaIngestConfig.plaintext(broker.bootstrapServers(),
          List.of(TOPIC), "naap-demo").withInstanceId("naap-demo"),
          new EventWriter(store, new EventParser(),
          EventWriter.DuplicateCheck.BATCH, ingestMetrics, Clock.systemUTC()), ingestMetrics);
      Thread ingestThread = Thread.ofPlatform().name("naap-demo-ingest").start(ingest);
      // Stopped after the ingest, the last Kafka client: the broker then shuts down while the
      // metrics server and the store close (a stop must end within 10 s); its close() waits last.
      running.push(broker::beginStop);
      running.push(() -> {
        ingest.stop();
        ingestThread.join();
      });
      Refresher refresher = new Refresher(store, Clock.systemUTC());
      Thread refreshThread = Thread.ofPlatform().name("naap-demo-refresh")
          .start(new RefreshLoop(refresher, Duration.ofSeconds(5), Clock.systemUTC(), registry));
      running.push(() -> {
        refreshThread.interrupt();
        refreshThread.join();
      });

      // The simulated network resumes where the stored events end, within the backfill window.
      long nowMs = System.currentTimeMillis() / 1000 * 1000;
      long startMs = Math.max(nowMs - backfillHours * 3_600_000L, lastEventMs(store));
      SimConfig.Builder network = SimConfig.builder();
      SimConfig defaults = network.build();
      Simulator sim = new Simulator(network.seed(seed ^ startMs).startMs(startMs)
          .duration(Duration.ofMillis(nowMs - startMs).plus(Duration.ofDays(365)))
          .orchestrators((int) Math.round(defaults.orchestrators() * scale))
          .gpus((int) Math.round(defaults.gpus() * scale))
          .peakStreamsPerHour(defaults.peakStreamsPerHour() * scale)
          .malformedRate(malformedRate).build());
      KafkaSink sink = new KafkaSink(broker.bootstrapServers(), TOPIC, Map.of());
      CountDownLatch simulationLive = new CountDownLatch(1);
      Thread simThread = Thread.ofPlatform().name("naap-demo-simulator")
          .start(() -> sim.run(sink, Pacer.realTime(speed, nowMs, simulationLive)));
      running.push(() -> {
        sim.stop();
        simThread.join();
        sink.close();
      });
      GatewayServer gateway = GatewayServer.start(sim, 0, 0);
      running.push(gateway);

      // The simulated hosts resolve nowhere: the simulator's own mapping gives their regions (source
      // operator); the IP-location database, when the launcher fetched one, serves the rest.
      Path regionMapping = Files.writeString(dir.resolve("simulated-regions.txt"), sim.regionMapping());
      Scraper scraper = new Scraper(ScraperConfig.builder(List.of(URI.create("http://127.0.0.1:" + gateway.port())))
          .interval(Duration.ofMinutes(5)).observedFrom("demo").regionMapping(regionMapping).build(), store,
          new ScrapeMetrics(registry), Clock.systemUTC());
      Thread scrapeThread = Thread.ofPlatform().name("naap-demo-scraper").start(() -> {
        try {
          scraper.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      running.push(() -> {
        scraper.stop();
        scrapeThread.join();
        scraper.close();
      });

      // The load tester drives the simulated gateway on the simulation's clock, once the backfill
      // is over: a default plan (every 10 minutes of simulated time) whose streams are registered
      // as test load.
      TestPlan plan = TestPlanLoader.defaults();
      TimeSource testerTime = speed == 1 ? TimeSource.system() : TimeSource.scaled(speed);
      LoadtestMetrics testerMetrics = new LoadtestMetrics(registry);
      GatewayClient testerClient = new GatewayClient(URI.create("http://127.0.0.1:" + gateway.port()),
          Duration.ofSeconds(5), Duration.ofSeconds(20));
      PlanRunner tester = PlanRunner.of(plan, testerClient, new HookIngest(testerClient), store, testerMetrics,
          testerTime);
      LoadtestScheduler testerSchedule = new LoadtestScheduler(tester::runOnce, plan.interval(), testerTime, testerMetrics);
      Thread testerThread = Thread.ofPlatform().name("naap-demo-loadtest").start(() -> {
        try {
          simulationLive.await(); // a stream started during the backfill would end at once
        } catch (InterruptedException e) {
          return;
        }
        testerSchedule.run();
      });
      running.push(() -> {
        testerSchedule.stop();
        testerThread.interrupt();
        testerThread.join();
      });

      ApiServer api = PublicApi.start(store, ApiConfig.defaults().withAddress("127.0.0.1", apiPort), registry, null);
      running.push(api);

      String clickhouseLine = "off (--http-port starts it)";
      if (httpPort != null) {
        String password = FacadePassword.resolve(System.getenv(FacadePassword.ENV), dir, out);
        ClickHouseHttpServer clickhouse = new ClickHouseHttpServer(store,
            ClickHouseHttpServer.Config.loopback(httpPort, password)).start();
        running.push(clickhouse);
        clickhouseLine = clickhouse.url() + " (read-only)   e.g. curl -u default:PASSWORD '" + clickhouse.url()
            + "?query=SELECT+gateway,sum(sessions_requested)+FROM+rollup_hour_current+GROUP+BY+gateway'";
      }

      out.printf("""
          NaaP demo running (Ctrl-C stops it)
            data                 %s
            Kafka broker         %s, topic %s
            simulated network    seed %d, from %s, live at %sx, gateway HTTP on 127.0.0.1:%d
            ingest + rollups     consumer group naap-demo, refresh every 5 s
            scraper              every 5 min against the simulated gateway; regions from %s
            load tester          plan %s every %s of simulated time, streams flagged as test load
            ClickHouse HTTP      %s
            Prometheus metrics   http://127.0.0.1:%d/metrics
            API                  %sv1/network/overview   (docs at %sdocs)

          Dashboard: %s
          """, dir.toAbsolutePath(), broker.bootstrapServers(), TOPIC, seed, Instant.ofEpochMilli(startMs),
          speed, gateway.port(), regionMapping.getFileName(), plan.name(), plan.interval(), clickhouseLine,
          metricsServer.getPort(), api.url(), api.url(), api.url());
      out.flush();
      stopRequested.await();
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      // On SIGINT/SIGTERM this is the normal path (Main.onShutdown): the command returns 0 and the
      // process exits 0 after its shutdown hooks.
      stopAll(running, err);
      finished.countDown();
    }
  }

  /** The time of the newest stored event, or 0: where a second run resumes. */
  private static long lastEventMs(Store store) {
    String v = store.queryText("SELECT toUnixTimestamp64Milli(max(envelope_time)) FROM raw_events", Map.of()).strip();
    return v.isEmpty() ? 0 : Long.parseLong(v) + 1;
  }

  private static void stopAll(Deque<AutoCloseable> running, PrintStream err) {
    while (!running.isEmpty()) {
      AutoCloseable piece = running.pop();
      long t0 = System.nanoTime();
      try {
        piece.close();
      } catch (Exception e) {
        err.println("naap demo: while stopping: " + e);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (ms >= 1_000) { // a stop must end within 10 s: say what takes the time
        err.println("naap demo: stopping " + piece.getClass().getSimpleName() + " took " + ms
            + " ms");
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
