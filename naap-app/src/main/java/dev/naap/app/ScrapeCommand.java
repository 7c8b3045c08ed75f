package dev.naap.app;

import dev.naap.scraper.Scraper;
import dev.naap.scraper.ScraperConfig;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code naap scrape}: orchestrator metadata from gateways, every interval (docs/SCRAPER.md). */
@Command(name = "scrape",
    header = "scrape orchestrator metadata (GPUs, capacity, prices, stake, region) from gateways",
    description = {"Reads each gateway's /getNetworkCapabilities and /registeredOrchestrators, "
        + "probes every orchestrator's service URI, and writes time-versioned snapshots "
        + "(docs/SCRAPER.md). Runs every interval until SIGINT/SIGTERM, or once with --once."})
final class ScrapeCommand implements Main.Runner {

  /** The scraper's own defaults, shown in the help. */
  private static final ScraperConfig DEFAULTS =
      ScraperConfig.builder(List.of(URI.create("http://127.0.0.1"))).build();

  @Spec CommandSpec spec;

  @Option(names = "--gateway", paramLabel = "URL",
      description = "gateway CLI address, e.g. http://127.0.0.1:7935; repeatable")
  List<String> gateways = List.of();

  @Option(names = "--interval", paramLabel = "DURATION", description = "time between runs")
  Duration interval = DEFAULTS.interval();

  @Option(names = "--jitter", paramLabel = "DURATION",
      description = "each run starts up to this late")
  Duration jitter = DEFAULTS.jitter();

  @Option(names = "--connect-timeout", paramLabel = "DURATION", description = "one connection")
  Duration connectTimeout = DEFAULTS.connectTimeout();

  @Option(names = "--attempt-timeout", paramLabel = "DURATION",
      description = "deadline for one whole answer")
  Duration attemptTimeout = DEFAULTS.attemptTimeout();

  @Option(names = "--attempts", paramLabel = "N", description = "tries per source and run")
  @Range(min = 1, max = 10)
  int attempts = DEFAULTS.attempts();

  @Option(names = "--max-body-bytes", paramLabel = "N", description = "larger answers fail")
  @Range(min = 1024, max = 1 << 30)
  int maxBodyBytes = DEFAULTS.maxBodyBytes();

  @Option(names = "--no-registered", description = "do not read /registeredOrchestrators")
  boolean noRegistered;

  @Option(names = "--no-reachability", description = "do not probe orchestrators' service URIs")
  boolean noReachability;

  @Option(names = "--observed-from", paramLabel = "NAME",
      description = "where this scraper runs, for reachability rows")
  String observedFrom = DEFAULTS.observedFrom();

  @Option(names = "--region-map", paramLabel = "FILE", description = {"KEY REGION lines (address "
      + "or host -> region); wins over the database"})
  Path regionMap;

  @Option(names = "--geo-database", paramLabel = "FILE", description = {"offline MaxMind DB file, "
      + "country or city (default: the DB-IP Lite country database the launcher fetched)"})
  Path geoDatabase;

  @Option(names = "--no-geo-database",
      description = "no geolocation: regions only from --region-map")
  boolean noGeoDatabase;

  @Option(names = "--geo-regions", paramLabel = "FILE",
      description = "KEY REGION lines over the built-in country -> region table")
  Path geoRegions;

  @Option(names = "--dns-timeout", paramLabel = "DURATION",
      description = "one host lookup, and all of a run's region lookups, made at once")
  Duration dnsTimeout = DEFAULTS.dnsTimeout();

  @Option(names = "--once", description = "one run, then exit (1 if every source failed)")
  boolean once;

  @Option(names = "--metrics-host", paramLabel = "HOST",
      description = "Prometheus /metrics address")
  String metricsHost = "127.0.0.1";

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "its port; 0 picks a free one, -1 turns it off")
  @Range(min = -1, max = 65_535)
  int metricsPort = 9402;

  @Mixin StoreOptions storeOptions;

  @Override
  public int run(PrintStream out, PrintStream err) throws InterruptedException {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    List<URI> urls = new ArrayList<>();
    for (String g : gateways) {
      try {
        urls.add(URI.create(g));
      } catch (IllegalArgumentException e) {
        problems.add("--gateway: not a URL: '" + g + "'");
      }
    }
    if (gateways.isEmpty()) {
      problems.add("--gateway is required");
    }
    if (geoDatabase != null && noGeoDatabase) {
      problems.add("--geo-database and --no-geo-database exclude each other");
    }
    var builder = ScraperConfig.builder(urls).interval(interval).jitter(jitter)
        .connectTimeout(connectTimeout).attemptTimeout(attemptTimeout).attempts(attempts)
        .maxBodyBytes(maxBodyBytes).registeredOrchestrators(!noRegistered)
        .reachability(!noReachability).observedFrom(observedFrom).regionMapping(regionMap)
        .regionTable(geoRegions).dnsTimeout(dnsTimeout);
    if (geoDatabase != null || noGeoDatabase) {
      builder.geoDatabase(geoDatabase);
    }
    ScraperConfig config = urls.isEmpty() ? null : problems.attempt(builder::build);
    problems.check(spec);

    try (Lifecycle life = Lifecycle.start(spec.qualifiedName(),
        config.attemptTimeout().multipliedBy(2), err)) {
      Store store = life.open(storeConfig);
      MetricsServer metricsServer = once ? null : life.metrics(metricsHost, metricsPort);
      if (!once) {
        life.add(new Probes("scrape", store, life.registry(), false));
      }
      ScrapeRole role = life.add(new ScrapeRole(config, store, life.registry()));
      life.onStop(role::stop);
      err.printf("naap scrape: %d gateway(s) every %s -> %s%s%nnaap scrape: regions: %s%s%n",
          urls.size(), config.interval(), store.description(),
          metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort(),
          config.regionMapping() == null ? "" : "mapping " + config.regionMapping() + ", then ",
          config.geoDatabase() == null ? "no IP-location database (docs/SCRAPER.md, \"Region\")"
              : "IP-location database " + config.geoDatabase());
      if (once) {
        Scraper.RunSummary run;
        try {
          run = role.runOnce();
        } catch (InterruptedException e) {
          throw new Lifecycle.Stopped("stopped during the run"); // a stop ends the run at once
        }
        for (Scraper.SourceOutcome o : run.sources()) {
          out.printf("%s %s: %s%s orchestrators=%d gpus=%d new_versions=%d closed=%d%n",
              o.source(), o.endpoint(), o.status(),
              o.errorKind().isEmpty() ? "" : " (" + o.errorKind() + ": " + o.error() + ")",
              o.orchestrators(), o.gpus(), o.versionsWritten(), o.versionsClosed());
        }
        out.println("run " + run.runId() + ": " + run.status());
        return "failed".equals(run.status()) ? 1 : 0;
      }
      role.run();
      err.println("naap scrape: stopped");
      return 0;
    }
  }
}
