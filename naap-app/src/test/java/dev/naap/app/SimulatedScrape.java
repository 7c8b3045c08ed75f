package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.scraper.ScrapeMetrics;
import dev.naap.scraper.Scraper;
import dev.naap.scraper.ScraperConfig;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One scraper run against a simulated network's gateway, which answers only while its simulation
 * runs: the network is simulated live from {@code config.startMs()} (now), its events discarded,
 * and its regions come from the simulator's mapping, as an operator's.
 */
final class SimulatedScrape {

  private SimulatedScrape() {}

  /** Scrapes the network of {@code live} once into {@code store}; returns the live run's truth. */
  static GroundTruth once(SimConfig live, Store store, Path dir) throws Exception {
    Simulator sim = new Simulator(live);
    CompletableFuture<GroundTruth> run = new CompletableFuture<>();
    // Its own thread: the common pool has one thread on two cores, and the scraper needs it.
    Thread.ofPlatform().name("simulator").start(() -> run.complete(
        sim.run((key, value) -> {}, Pacer.realTime(1, live.startMs()))));
    Path regions = Files.writeString(dir.resolve("regions.txt"), sim.regionMapping());
    try (GatewayServer gateway = GatewayServer.start(sim, 0, 0);
        Scraper scraper = new Scraper(
            ScraperConfig.builder(List.of(URI.create("http://127.0.0.1:" + gateway.port())))
                .reachability(false).registeredOrchestrators(false).regionMapping(regions).build(),
            store, new ScrapeMetrics(new PrometheusRegistry()), Clock.systemUTC())) {
      Scraper.RunSummary summary = scraper.runOnce();
      assertThat(summary.status()).as("%s", summary.sources()).isEqualTo("ok");
    } finally {
      sim.stop();
    }
    return run.get(60, TimeUnit.SECONDS);
  }
}
