package dev.naap.app;

import dev.naap.scraper.ScrapeMetrics;
import dev.naap.scraper.Scraper;
import dev.naap.scraper.ScraperConfig;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;

/**
 * The scraper role, run by {@code naap scrape} and inside {@code naap demo}: orchestrator metadata
 * from the gateways every interval (docs/SCRAPER.md). {@link #run} until {@link #stop}; closing
 * releases its HTTP clients.
 */
final class ScrapeRole implements Runnable, AutoCloseable {

  private final Scraper scraper;

  ScrapeRole(ScraperConfig config, Store store, PrometheusRegistry registry) {
    scraper = new Scraper(config, store, new ScrapeMetrics(registry), Clock.systemUTC());
  }

  @Override
  public void run() {
    try {
      scraper.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One run of every source, now. */
  Scraper.RunSummary runOnce() throws InterruptedException {
    return scraper.runOnce();
  }

  void stop() {
    scraper.stop();
  }

  @Override
  public void close() {
    scraper.close();
  }
}
