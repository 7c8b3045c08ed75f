package dev.naap.app;

import dev.naap.scraper.ScrapeMetrics;
import dev.naap.scraper.Scraper;
import dev.naap.scraper.ScraperConfig;
import dev.naap.store.Store;
import dev.naap.store.Stores;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code naap scrape}: orchestrator metadata from gateways, every interval (docs/SCRAPER.md). */
final class ScrapeCommand implements Main.Command {

  private static final Set<String> OPTIONS = Set.of("gateway", "interval", "jitter",
      "connect-timeout", "attempt-timeout", "attempts", "max-body-bytes", "observed-from",
      "region-map", "geo-database", "geo-regions", "dns-timeout", "metrics-host", "metrics-port");
  private static final Set<String> FLAGS = Set.of("once", "no-registered", "no-reachability",
      "no-geo-database");

  @Override
  public String summary() {
    return "scrape orchestrator metadata (GPUs, capacity, prices, stake, region) from gateways";
  }

  @Override
  public String usage() {
    return """
        usage: naap scrape --gateway URL [--gateway URL…] [--interval 5m] [--once] [OPTIONS]

        Reads each gateway's /getNetworkCapabilities and /registeredOrchestrators, probes every
        orchestrator's service URI, and writes time-versioned snapshots (docs/SCRAPER.md).
        Runs every interval until SIGINT/SIGTERM, or once with --once.

        options:
          --gateway URL              gateway CLI address, e.g. http://127.0.0.1:7935 (repeatable)
          --interval D               time between runs: 500ms, 30s, 5m, 1h (default 5m)
          --jitter D                 each run starts up to D late (default 15s)
          --connect-timeout D        (default 5s)
          --attempt-timeout D        deadline for one whole answer (default 20s)
          --attempts N               tries per source and run (default 3)
          --max-body-bytes N         larger answers fail (default 16777216)
          --no-registered            do not read /registeredOrchestrators
          --no-reachability          do not probe orchestrators' service URIs
          --observed-from NAME       where this scraper runs, for reachability rows (default local)
          --region-map FILE          KEY REGION lines (address or host -> region); wins over
                                     the database
          --geo-database FILE        offline MaxMind DB file, country or city (default: the
                                     DB-IP Lite country database the launcher fetched)
          --no-geo-database          no geolocation: regions only from --region-map
          --geo-regions FILE         KEY REGION lines over the built-in country -> region table
          --dns-timeout D            one host lookup (default 2s)
          --once                     one run, then exit (1 if every source failed)
          --metrics-host HOST        Prometheus /metrics address (default 127.0.0.1)
          --metrics-port PORT        (default 9402; 0 picks a free port, -1 turns it off)
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(StoreOptions.NAMES);
    Args args = Args.parse(argv, known, FLAGS);
    var storeConfig = StoreOptions.from(args);
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    List<URI> gateways = new ArrayList<>();
    for (String g : args.all("gateway")) {
      try {
        gateways.add(URI.create(g));
      } catch (IllegalArgumentException e) {
        args.error("--gateway: not a URL: '" + g + "'");
      }
    }
    if (gateways.isEmpty()) {
      args.error("--gateway is required");
    }
    var builder = ScraperConfig.builder(gateways);
    Optional.ofNullable(args.duration("interval", null)).ifPresent(builder::interval);
    Optional.ofNullable(args.duration("jitter", null)).ifPresent(builder::jitter);
    Optional.ofNullable(args.duration("connect-timeout", null)).ifPresent(builder::connectTimeout);
    Optional.ofNullable(args.duration("attempt-timeout", null)).ifPresent(builder::attemptTimeout);
    builder.attempts(args.integer("attempts", 3, 1, 10));
    builder.maxBodyBytes(args.integer("max-body-bytes", 16 << 20, 1024, 1 << 30));
    builder.registeredOrchestrators(!args.flag("no-registered"));
    builder.reachability(!args.flag("no-reachability"));
    builder.observedFrom(args.get("observed-from", "local"));
    String regionMap = args.get("region-map", null);
    String geoDb = args.get("geo-database", null);
    String geoRegions = args.get("geo-regions", null);
    builder.regionMapping(regionMap == null ? null : Path.of(regionMap));
    if (geoDb != null && args.flag("no-geo-database")) {
      args.error("--geo-database and --no-geo-database exclude each other");
    }
    if (geoDb != null || args.flag("no-geo-database")) {
      builder.geoDatabase(geoDb == null ? null : Path.of(geoDb));
    }
    builder.regionTable(geoRegions == null ? null : Path.of(geoRegions));
    Optional.ofNullable(args.duration("dns-timeout", null)).ifPresent(builder::dnsTimeout);
    int metricsPort = args.integer("metrics-port", 9402, -1, 65535);
    ScraperConfig config = null;
    if (!gateways.isEmpty()) {
      try {
        config = builder.build();
      } catch (IllegalArgumentException e) {
        args.error(e.getMessage());
      }
    }
    args.check();

    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    ScrapeMetrics metrics = new ScrapeMetrics(registry);
    var current = new java.util.concurrent.atomic.AtomicReference<Scraper>();
    var stopRequested = new java.util.concurrent.atomic.AtomicBoolean();
    var finished = Main.onShutdown(() -> {
      stopRequested.set(true);
      if (current.get() != null) {
        current.get().stop();
      }
    }, config.attemptTimeout().multipliedBy(2));
    boolean once = args.flag("once");
    try (Store store = Stores.open(storeConfig);
        HTTPServer metricsServer = once || metricsPort < 0 ? null : HTTPServer.builder()
            .hostname(args.get("metrics-host", "127.0.0.1")).port(metricsPort).registry(registry)
            .buildAndStart();
        Probes probes = once ? null : new Probes("scrape", store, registry, false);
        Scraper scraper = new Scraper(config, store, metrics, Clock.systemUTC())) {
      current.set(scraper);
      err.printf("naap scrape: %d gateway(s) every %s -> %s%s%nnaap scrape: regions: %s%s%n",
          gateways.size(), config.interval(), store.description(),
          metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort(),
          config.regionMapping() == null ? "" : "mapping " + config.regionMapping() + ", then ",
          config.geoDatabase() == null ? "no IP-location database (docs/SCRAPER.md, \"Region\")"
              : "IP-location database " + config.geoDatabase());
      if (once) {
        Scraper.RunSummary run = scraper.runOnce();
        for (Scraper.SourceOutcome o : run.sources()) {
          out.printf("%s %s: %s%s orchestrators=%d gpus=%d new_versions=%d closed=%d%n",
              o.source(), o.endpoint(), o.status(),
              o.errorKind().isEmpty() ? "" : " (" + o.errorKind() + ": " + o.error() + ")",
              o.orchestrators(), o.gpus(), o.versionsWritten(), o.versionsClosed());
        }
        out.println("run " + run.runId() + ": " + run.status());
        return "failed".equals(run.status()) ? 1 : 0;
      }
      scraper.run();
      err.println("naap scrape: stopped");
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the metrics server", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      finished.countDown();
    }
  }

}
