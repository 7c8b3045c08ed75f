package dev.naap.api;

import static dev.naap.api.ApiNetwork.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.api.client.DatasetsApi;
import dev.naap.api.client.GpuApi;
import dev.naap.api.client.NetworkApi;
import dev.naap.api.client.OperationsApi;
import dev.naap.api.client.OrchestratorsApi;
import dev.naap.api.client.SlaApi;
import dev.naap.api.client.TestLoadApi;
import dev.naap.api.client.invoker.ApiClient;
import dev.naap.api.client.invoker.ApiException;
import dev.naap.api.client.model.GpuMetricsPage;
import dev.naap.api.client.model.GpuMetricsRow;
import dev.naap.api.client.model.TestLoadResult;
import dev.naap.api.client.model.TestLoadResultsPage;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client that openapi-generator ({@code java}, library {@code native}) generates from
 * docs/openapi.json at build time calls every route and parses the answers into its models.
 */
class GeneratedClientTest {

  private static Store store;
  private static ApiServer server;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    store = TestStores.store("api_client");
    ApiNetwork.feed(store);
    MetricsQueries queries = TestStores.queries(store);
    var clock = new MutableClock(ApiNetwork.START.plus(Duration.ofHours(12)));
    server =
        new ApiServer(
                ApiConfig.defaults().withAddress("127.0.0.1", 0),
                queries,
                DatasetCatalog.empty(),
                new FakeTestLoadResults(12),
                new StoreReadiness(queries, null, clock),
                new PrometheusRegistry(),
                clock)
            .start();
    client = new ApiClient().setHost(server.url().getHost()).setPort(server.url().getPort());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void gpuMetrics_parseIntoTypedRows() throws ApiException {
    GpuMetricsPage page =
        new GpuApi(client)
            .getGpuMetrics(
                null,
                null,
                "24h",
                "1h",
                List.of(A),
                null,
                null,
                null,
                null,
                null,
                null,
                "window_start",
                5,
                null,
                false,
                null);
    assertThat(page.getData()).hasSize(5);
    GpuMetricsRow first = page.getData().getFirst();
    assertThat(first.getWindowStart()).isEqualTo(OffsetDateTime.parse("2026-01-08T19:00:00Z"));
    assertThat(first.getOrchestratorAddress()).isEqualTo(A);
    assertThat(first.getOutputFpsMean()).isEqualTo(20.0);
    assertThat(first.getFpsSamples()).isEqualTo(3L);
    assertThat(page.getMeta().getGranularity()).isEqualTo("1h");
    assertThat(page.getPagination().getHasMore()).isTrue();
    GpuMetricsPage next =
        new GpuApi(client)
            .getGpuMetrics(
                null,
                null,
                "24h",
                "1h",
                List.of(A),
                null,
                null,
                null,
                null,
                null,
                null,
                "window_start",
                5,
                page.getPagination().getNextCursor(),
                false,
                null);
    assertThat(next.getData()).hasSize(5);
    assertThat(next.getPagination().getHasMore()).isFalse();
  }

  @Test
  void everyOtherRoute_parses() throws ApiException {
    assertThat(
            new NetworkApi(client)
                .getNetworkDemand(
                    null, null, null, "1h", null, null, null, null, null, null, null, null, null,
                    null, null, null)
                .getData())
        .isNotEmpty();
    assertThat(
            new NetworkApi(client)
                .getNetworkOverview(
                    null, null, null, null, null, null, null, null, null, null, null)
                .getData())
        .anySatisfy(h -> assertThat(h.getName()).isEqualTo("sessions"));
    assertThat(
            new SlaApi(client)
                .getSlaCompliance(
                    null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null)
                .getData())
        .anySatisfy(r -> assertThat(r.getEligibleSegments()).isEqualTo(11L));
    assertThat(
            new OrchestratorsApi(client)
                .listOrchestrators(
                    null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null)
                .getData())
        .hasSize(2);
    assertThat(
            new OrchestratorsApi(client)
                .getOrchestrator(A, null, null, null, "1h", null, null, null, null)
                .getData()
                .getHistory())
        .hasSize(ApiNetwork.HOURS);
    var datasets = new DatasetsApi(client);
    assertThat(datasets.listDatasets(null).getData()).isNotEmpty();
    assertThat(datasets.getDataset("network-demand-2026-01-08").getData().getSha256()).hasSize(64);
    assertThat(new OperationsApi(client).health().getStatus()).isEqualTo("ok");
    assertThat(new OperationsApi(client).ready().getReady()).isTrue();
  }

  @Test
  void testLoadRoutes_parseIntoTypedRows_andPage() throws ApiException {
    var testLoad = new TestLoadApi(client);
    // The tests ran before the network of the other routes: ask for their hours.
    String start = "2026-01-08T01:00:00Z";
    String end = "2026-01-08T02:00:00Z";
    TestLoadResultsPage page = testLoad.listTestLoadResults(start, end, null, null,
        List.of("streamdiffusion"), List.of("failure"), 2, null, null);
    TestLoadResult newest = page.getData().getFirst();
    // Tests 0, 5 and 10 failed; 10 is the newest, ten minutes after the first.
    assertThat(newest.getTestId()).isEqualTo("test-10");
    assertThat(newest.getStartedAt()).isEqualTo(OffsetDateTime.parse("2026-01-08T01:10:00Z"));
    assertThat(newest.getErrorClass()).isEqualTo("timeout");
    assertThat(newest.getStartupMs()).isNull();
    assertThat(page.getMeta().getFilters()).containsEntry("outcome", List.of("failure"));
    assertThat(page.getData())
        .extracting(TestLoadResult::getTestId)
        .containsExactly("test-10", "test-5");
    TestLoadResultsPage rest = testLoad.listTestLoadResults(start, end, null, null,
        List.of("streamdiffusion"), List.of("failure"), 2, page.getPagination().getNextCursor(),
        null);
    assertThat(rest.getData()).extracting(TestLoadResult::getTestId).containsExactly("test-0");
    assertThat(rest.getPagination().getHasMore()).isFalse();
    var coverage = testLoad.getTestLoadCoverage(start, end, null, null, null, null).getData();
    assertThat(coverage).singleElement().satisfies(row -> {
      assertThat(row.getTests()).isEqualTo(12L);
      assertThat(row.getSuccessRate()).isEqualTo(1.0);
      assertThat(row.getLastTestedAt()).isEqualTo(OffsetDateTime.parse("2026-01-08T01:00:00Z"));
    });
  }

  @Test
  void errors_areApiExceptionsWithTheProblem() {
    assertThatThrownBy(
            () ->
                new GpuApi(client)
                    .getGpuMetrics(
                        null, null, null, null, null, null, null, null, null, null, null, null,
                        5000, null, null, null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody()).contains("\"parameter\":\"limit\"");
            });
  }
}
