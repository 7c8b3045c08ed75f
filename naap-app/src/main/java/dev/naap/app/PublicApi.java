package dev.naap.app;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.api.StoreReadiness;
import dev.naap.dashboard.DashboardAssets;
import dev.naap.http.Limits;
import dev.naap.metrics.query.TestLoadQueries;
import dev.naap.metrics.ops.OperationsReport;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * The public API as {@code naap serve} and {@code naap demo} run it: the query layer over the
 * store, the shipped prompt datasets, the load tester's results, readiness, and the dashboard's
 * files at {@code /}.
 */
final class PublicApi {

  private PublicApi() {}

  /**
   * Starts the API on {@code config}'s address.
   *
   * @param limits its connection caps and read deadlines
   * @param readyMaxLag {@code /ready} fails when the rollups trail the clock by more; null = never
   * @param discoveryFallback the service URLs discovery answers when the store fails and it has
   *     nothing to repeat
   * @param redisUrl the Redis that quotas are counted in; null: this instance counts alone
   */
  static ApiServer start(Store store, ApiConfig config, Limits limits, PrometheusRegistry registry,
      Duration readyMaxLag, List<String> discoveryFallback, java.net.URI redisUrl) {
    var queries = new ClickHouseMetricsQueries(store);
    var readiness = new StoreReadiness(queries, readyMaxLag, InstantSource.system());
    var operations = new OperationsReport(store, InstantSource.system());
    var server = new ApiServer(config, queries, new PromptDatasets(), new TestLoadQueries(store),
        operations::figures, readiness, registry, InstantSource.system())
        .mount(DashboardAssets.SITE_PATH, DashboardAssets.SITE)
        .mount(DashboardAssets.UPLOT_PATH, DashboardAssets.UPLOT)
        .discoveryFallback(discoveryFallback)
        .connectionLimits(limits);
    if (redisUrl != null) {
      server.sharedQuotas(redisUrl);
    }
    return server.start();
  }
}
