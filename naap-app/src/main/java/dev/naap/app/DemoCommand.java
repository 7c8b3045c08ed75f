package dev.naap.app;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.events.EventParser;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.kafka.KafkaBroker;
import dev.naap.loadtest.GatewayClient;
import dev.naap.loadtest.HookIngest;
import dev.naap.loadtest.TestPlan;
import dev.naap.loadtest.TestPlanLoader;
import dev.naap.metrics.Retention;
import dev.naap.metrics.TestLoadRules;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.scraper.ScraperConfig;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.KafkaSink;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.PrivateDirectories;
import dev.naap.store.ReadOnlyAccess;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.http.ClickHouseHttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code naap demo}: the whole pipeline on one machine. A real single-node Kafka broker, the
 * embedded store, the simulated network (a backfilled day, then live), the ingest with its rollup
 * refresh, the metadata scraper against the simulated gateway, and the store served over the
 * ClickHouse HTTP protocol. Everything lives in one directory, so a second run resumes; Ctrl-C
 * stops the pieces in reverse order and exits 0.
 */
@Command(name = "demo", header = {"run everything on a simulated network: Kafka, store, ingest, "
    + "rollups, scraper, load tester, API and dashboard"},
    description = {"Starts a Kafka broker, the embedded store, a simulated Livepeer network that "
        + "first backfills history and then runs live, the ingest with its rollup refresh, the "
        + "metadata scraper, the load tester against the simulated gateway, the public API with "
        + "the dashboard, and on request a ClickHouse HTTP endpoint on the store: the roles of "
        + "naap ingest, scrape, loadtest, serve and clickhouse-http, wired the same way. Prints "
        + "what runs where. Ctrl-C stops it; running it again resumes on the same data."})
final class DemoCommand implements Main.Runner {

  private static final String TOPIC = "naap-gateway-events";

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "where the demo keeps its data")
  Path dir = Path.of("naap-demo");

  @Option(names = "--seed", paramLabel = "N", description = "the simulated network")
  @Range(min = 0, max = Integer.MAX_VALUE)
  int seed = 1;

  @Option(names = "--scale", paramLabel = "X", description = {"its size, times the simulator's "
      + "default (naap simulate --help): orchestrators, GPUs and demand"})
  @Range(min = 0.1, max = 100)
  double scale = 1;

  @Option(names = "--backfill-hours", paramLabel = "H",
      description = "history simulated at the first start")
  @Range(min = 0, max = 24 * 30)
  int backfillHours = 24;

  @Option(names = "--speed", paramLabel = "X", description = "live pace, times real time")
  @Range(min = 0.01, max = 10_000)
  double speed = 1;

  @Option(names = "--http-port", paramLabel = "PORT", description = {"start the read-only "
      + "ClickHouse HTTP endpoint on 127.0.0.1:PORT (0 = any); password as for naap "
      + "clickhouse-http (default off)"})
  @Range(min = 0, max = 65_535)
  Integer httpPort;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Prometheus metrics on 127.0.0.1; 0 picks a free port")
  @Range(min = 0, max = 65_535)
  int metricsPort = 9401;

  @Option(names = "--malformed-rate", paramLabel = "P",
      description = "malformed messages the simulator injects")
  @Range(min = 0, max = 0.5)
  double malformedRate = 0.001;

  @Mixin ApiOptions api;
  @Mixin RefreshOptions refresh;
  @Mixin TestLoadOptions testLoad;

  @Override
  public int run(PrintStream out, PrintStream err) throws IOException, InterruptedException {
    Problems problems = new Problems();
    ApiConfig apiConfig = api.config(problems);
    Retention.Policy retention = refresh.policy(problems);
    // The simulated network runs the real network's scheduled tester, unflagged as it is there.
    TestLoadRules testLoadRules = testLoad.rules(TestLoadRules.KNOWN_TESTER, problems);
    problems.check(spec);
    PrivateDirectories.create(dir); // it will hold every event and the endpoint's password

    // The grace lets the store outlive the batches the ingest is writing when it stops.
    try (Lifecycle life = Lifecycle.start(spec.qualifiedName(), Duration.ofSeconds(60), err)) {
      PrometheusRegistry registry = life.registry();
      KafkaBroker broker = life.add(KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka"))));
      broker.createTopic(TOPIC, 4);
      StoreConfig storeConfig = new StoreConfig.Embedded(dir.resolve("store"),
          StoreConfig.Embedded.DEFAULT_CONNECTIONS,
          httpPort == null ? null : ReadOnlyAccess.defaults());
      Store store = life.open(storeConfig);
      testLoadRules.save(store, Clock.systemUTC());
      MetricsServer metricsServer = life.metrics("127.0.0.1", metricsPort);
      life.add(new Probes("demo", store, registry, true));

      // Stopped after the ingest, the last Kafka client: the broker then shuts down while the
      // metrics server and the store close (a stop must end within 10 s); its close() waits last.
      life.add("the Kafka broker", broker::beginStop);
      IngestRole ingest = new IngestRole(store, KafkaIngestConfig.plaintext(
          broker.bootstrapServers(), List.of(TOPIC), "naap-demo").withInstanceId("naap-demo"),
          EventParser.DEFAULT_MAX_BYTES, registry);
      life.background("naap-demo-ingest", ingest, ingest::stop);
      RefreshRole refresher = life.add(refresh.start(store, storeConfig, retention, registry));

      // The simulated network resumes where the stored events end, within the backfill window:
      // the same network (its seed), new streams (a seed of the start, so no event repeats).
      long nowMs = System.currentTimeMillis() / 1000 * 1000;
      long startMs = Math.max(nowMs - backfillHours * 3_600_000L, lastEventMs(store));
      SimConfig defaults = SimConfig.builder().build();
      Simulator sim = new Simulator(SimConfig.builder().seed(seed ^ startMs).networkSeed(seed)
          .startMs(startMs)
          .duration(Duration.ofMillis(nowMs - startMs).plus(Duration.ofDays(365)))
          .orchestrators((int) Math.round(defaults.orchestrators() * scale))
          .gpus((int) Math.round(defaults.gpus() * scale))
          .peakStreamsPerHour(defaults.peakStreamsPerHour() * scale)
          .malformedRate(malformedRate).build());
      KafkaSink sink = life.add(new KafkaSink(broker.bootstrapServers(), TOPIC, Map.of()));
      CountDownLatch simulationLive = new CountDownLatch(1);
      life.background("naap-demo-simulator",
          () -> sim.run(sink, Pacer.realTime(speed, nowMs, simulationLive)), sim::stop);
      GatewayServer gateway = life.add(GatewayServer.start(sim, 0, 0));
      URI gatewayUrl = URI.create("http://127.0.0.1:" + gateway.port());

      // The simulated hosts resolve nowhere: the simulator's own mapping gives their regions
      // (source operator); the launcher's IP-location database, if any, serves the rest.
      Path regionMapping = Files.writeString(dir.resolve("simulated-regions.txt"),
          sim.regionMapping());
      ScraperConfig scrape = ScraperConfig.builder(List.of(gatewayUrl)).observedFrom("demo")
          .regionMapping(regionMapping).build();
      ScrapeRole scraper = life.add(new ScrapeRole(scrape, store, registry));
      life.background("naap-demo-scraper", scraper, scraper::stop);

      // The load tester drives the simulated gateway on the simulation's clock, once the backfill
      // is over (a stream started during the backfill would end at once): the default plan,
      // whose streams are registered as test load.
      TestPlan plan = TestPlanLoader.defaults();
      GatewayClient client = LoadtestRole.client(gatewayUrl);
      LoadtestRole tester = new LoadtestRole(plan, client, new HookIngest(client), store, speed,
          registry);
      life.background("naap-demo-loadtest", () -> {
        try {
          simulationLive.await();
          tester.run(); // returns at once when stopped first
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, () -> {
        tester.stop();
        simulationLive.countDown();
      });

      ApiServer server = life.add(api.start(store, apiConfig, registry));
      CountDownLatch historyStop = new CountDownLatch(1);
      life.background("naap-demo-history",
          () -> announceHistory(store, new ClickHouseMetricsQueries(store), nowMs, startMs,
              historyStop, out), historyStop::countDown);

      String clickhouseLine = "off (--http-port starts it)";
      if (httpPort != null) {
        String password = FacadePassword.resolve(System.getenv(FacadePassword.ENV), dir, out);
        ClickHouseHttpServer clickhouse = life.add(new ClickHouseHttpServer(store,
            ClickHouseHttpServer.Config.loopback(httpPort, password)).start());
        clickhouseLine = clickhouse.url() + " (read-only)   e.g. curl -u default:PASSWORD '"
            + clickhouse.url() + "?query=SELECT+gateway,sum(sessions_requested)+FROM+"
            + "rollup_hour_current+GROUP+BY+gateway'";
      }

      out.printf("""
          NaaP demo running (Ctrl-C stops it)
            data                 %s
            Kafka broker         %s, topic %s
            simulated network    seed %d, from %s, live at %sx, gateway HTTP on 127.0.0.1:%d
            ingest + rollups     consumer group naap-demo, refresh every %d ms as %s
            scraper              every %s against the simulated gateway; regions from %s
            load tester          plan %s every %s of simulated time, streams flagged as test load
            ClickHouse HTTP      %s
            Prometheus metrics   http://127.0.0.1:%d/metrics
            API                  %sv1/network/overview   (docs at %sdocs)

          Dashboard: %s
          %s""", dir.toAbsolutePath(), broker.bootstrapServers(), TOPIC, seed,
          Instant.ofEpochMilli(startMs), speed, gateway.port(), refresh.intervalMs,
          refresher.holder(), Cli.format(scrape.interval()), regionMapping.getFileName(),
          plan.name(), Cli.format(plan.interval()), clickhouseLine, metricsServer.getPort(),
          server.url(), server.url(), server.url(),
          nowMs - startMs > 60_000
              ? "The simulated history is being ingested: its recent hours fill in until a line"
                  + " below says it is all in.\n"
              : "");
      out.flush();
      // On SIGINT/SIGTERM this is the normal path (Main.onShutdown): the pieces stop in reverse
      // order, the command returns 0 and the process exits 0 after its shutdown hooks.
      life.awaitStop();
      return 0;
    }
  }

  /**
   * Prints, once, when the rollups hold the whole history simulated before {@code liveMs}: until
   * then the dashboard's recent hours are still empty. Polls the store every second (on the
   * caller's platform thread) until then or {@code stop}.
   */
  private static void announceHistory(Store store, MetricsQueries rollups, long liveMs,
      long startMs, CountDownLatch stop, PrintStream out) {
    try {
      long caughtUpMs = 0; // when the store first held an event simulated after liveMs
      while (!stop.await(1, TimeUnit.SECONDS)) {
        if (caughtUpMs == 0 && lastEventMs(store) > liveMs) {
          caughtUpMs = System.currentTimeMillis();
        }
        Instant asOf = caughtUpMs > 0 ? rollups.dataAsOf() : null;
        if (asOf != null && asOf.toEpochMilli() >= caughtUpMs) {
          out.printf("History in: the rollups hold the simulated network since %s; the dashboard"
              + " shows it whole.%n", Instant.ofEpochMilli(startMs));
          out.flush();
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The store is closing: nothing to announce.
    }
  }

  /** The time of the newest stored event, or 0: where a second run resumes. */
  private static long lastEventMs(Store store) {
    String v = store.queryText(
        "SELECT toUnixTimestamp64Milli(max(envelope_time)) FROM raw_events", Map.of()).strip();
    return v.isEmpty() ? 0 : Long.parseLong(v) + 1;
  }
}
