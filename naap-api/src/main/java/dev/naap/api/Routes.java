package dev.naap.api;

import dev.naap.metrics.query.Report;
import java.util.List;

/** The route table: every path the server answers, besides static files. */
final class Routes {

  private Routes() {}

  static List<Route> all(Services s, DatasetEndpoints datasets, TestLoadEndpoints testLoad,
      OperationsEndpoint operations, SystemEndpoints system, DiscoverEndpoint discovery) {
    return List.of(
        new Route(
            "/v1/gpu/metrics",
            "getGpuMetrics",
            "GPU metrics",
            "Per time bucket × orchestrator × GPU (or the grouping asked for): output FPS (mean,"
                + " p5, p50, p95) with its sample count, prompt-to-first-frame latency, jitter,"
                + " failures and bandwidth.",
            Params.report(),
            new Route.ReportRows(Report.GPU_METRICS),
            true,
            new ReportEndpoint(Report.GPU_METRICS, s)),
        new Route(
            "/v1/network/demand",
            "getNetworkDemand",
            "Network demand",
            "Per time bucket × gateway × pipeline × region: sessions requested, started and unmet, "
                + "stream-minutes, peak concurrency, and the supply of capacity.",
            Params.report(),
            new Route.ReportRows(Report.NETWORK_DEMAND),
            true,
            new ReportEndpoint(Report.NETWORK_DEMAND, s)),
        new Route(
            "/v1/sla/compliance",
            "getSlaCompliance",
            "SLA compliance",
            "Per orchestrator × pipeline × region over the whole range: eligible and compliant"
                + " segments, compliance rate, error budget left, violations by kind; targets in"
                + " meta.sla_targets.",
            Params.report(),
            new Route.ReportRows(Report.SLA_COMPLIANCE),
            true,
            new ReportEndpoint(Report.SLA_COMPLIANCE, s)),
        new Route(
            "/v1/orchestrators",
            "listOrchestrators",
            "Orchestrators",
            "Known orchestrators with their metadata (GPUs, region, version, capacity, prices) and"
                + " headline metrics over the range.",
            Params.report(),
            new Route.ReportRows(Report.ORCHESTRATORS),
            true,
            new ReportEndpoint(Report.ORCHESTRATORS, s)),
        new Route(
            "/v1/scores",
            "listScores",
            "Orchestrator scores",
            "Per orchestrator × pipeline over the range: the 0-100 score with its 95 % band, the"
                + " segments it rests on, and its parts (reliability and quality against the"
                + " pipeline's network); docs/METRICS.md.",
            Params.report(),
            new Route.ReportRows(Report.ORCHESTRATOR_SCORES),
            true,
            new ReportEndpoint(Report.ORCHESTRATOR_SCORES, s)),
        new Route(
            "/v1/reliability",
            "getReliability",
            "Reliability breakdown",
            "Per orchestrator × pipeline × GPU model (or the grouping asked for) over the whole"
                + " range: startup success, swaps, sessions lost after a swap, failures charged and"
                + " excused, degraded hours, each with its count; docs/METRICS.md.",
            Params.report(),
            new Route.ReportRows(Report.RELIABILITY),
            true,
            new ReportEndpoint(Report.RELIABILITY, s)),
        new Route(
            DiscoverEndpoint.PATH,
            "discoverOrchestrators",
            "Discover orchestrators",
            "The nodes able to serve every capability of `caps`, best score first, after the hard"
                + " filters; `format=webhook` gives go-livepeer's -orchWebhookUrl list.",
            DiscoverEndpoint.params(),
            new Route.Described("DiscoveryPage", true),
            true,
            discovery),
        new Route(
            "/v1/network/economics",
            "getNetworkEconomics",
            "Network economics",
            "Per time bucket × orchestrator × gateway × pipeline × app: payments and tickets,"
                + " expected fees (face value × win probability, exact, in wei and ETH), signed"
                + " tickets' billable seconds and computed fees, fee per stream-minute. Expected"
                + " value, not revenue (docs/METRICS.md, \"Fees\").",
            Params.report(s.queries().filterable(Report.NETWORK_ECONOMICS)),
            new Route.ReportRows(Report.NETWORK_ECONOMICS),
            true,
            new ReportEndpoint(Report.NETWORK_ECONOMICS, s)),
        new Route(
            "/v1/network/prices",
            "getNetworkPrices",
            "Network prices",
            "Per time bucket × orchestrator × pipeline: the price in force (per unit, per pixel,"
                + " per stream-minute at the pipeline's billing resolution), its spread over the"
                + " row and the model's network median.",
            Params.report(s.queries().filterable(Report.NETWORK_PRICES)),
            new Route.ReportRows(Report.NETWORK_PRICES),
            true,
            new ReportEndpoint(Report.NETWORK_PRICES, s)),
        new Route(
            "/v1/network/capacity",
            "getNetworkCapacity",
            "Network capacity",
            "Per pipeline (or GPU model) over the range: warm orchestrators, nodes, GPUs and"
                + " memory, slots, slots in use and available in the latest snapshot, and the"
                + " available slots' mean, extremes and stability over the range's snapshots.",
            Params.report(s.queries().filterable(Report.NETWORK_CAPACITY)),
            new Route.ReportRows(Report.NETWORK_CAPACITY),
            true,
            new ReportEndpoint(Report.NETWORK_CAPACITY, s)),
        new Route(
            LiveEndpoint.PATH,
            "listLiveStreams",
            "Live streams",
            "The sessions in flight now (an event in the last 45 s, none that ends them), newest"
                + " request first, read from the events without waiting for the rollups; totals by"
                + " pipeline and gateway in meta.totals. Cached 2 s.",
            Params.live(),
            new Route.Described("LiveStreamsPage", true),
            true,
            new LiveEndpoint(s)),
        new Route(
            "/v1/orchestrators/{address}",
            "getOrchestrator",
            "One orchestrator",
            "An orchestrator's metadata, its GPUs and its history over the range; CSV and paging"
                + " apply to the history.",
            Params.orchestrator(),
            new Route.Described("OrchestratorPage", true),
            true,
            new OrchestratorEndpoint(s)),
        new Route(
            "/v1/orchestrators/{address}/scores",
            "getOrchestratorScores",
            "One orchestrator's score history",
            "Per hour × pipeline: the orchestrator's score of that hour alone, with its band,"
                + " segments and parts, against the pipeline's network over the 7 days to the"
                + " range's end; hours without segments have no row.",
            Params.scoreHistory(),
            new Route.Described("ScoreHistoryPage", true),
            true,
            new ScoreHistoryEndpoint(s)),
        new Route(
            "/v1/network/overview",
            "getNetworkOverview",
            "Network overview",
            "The headline numbers of the dashboard's first view over the range, each with its value"
                + " over the period of equal length just before.",
            Params.overview(),
            new Route.Described("OverviewPage", true),
            true,
            new OverviewEndpoint(s)),
        new Route(
            "/v1/datasets",
            "listDatasets",
            "Datasets",
            "Load-test prompt datasets and daily CSV exports of the public metrics (for more than"
                + " the quota).",
            Params.datasets(),
            new Route.Described("DatasetsPage", true),
            true,
            datasets.list()),
        new Route(
            "/v1/datasets/{id}",
            "getDataset",
            "One dataset",
            "A dataset's metadata with its size and SHA-256 checksum.",
            Params.dataset(),
            new Route.Described("DatasetPage", false),
            true,
            datasets.detail()),
        new Route(
            "/v1/datasets/{id}/download",
            "downloadDataset",
            "Download a dataset",
            "The dataset's content, byte for byte as its checksum says.",
            Params.dataset(),
            new Route.Raw("application/octet-stream", null),
            true,
            datasets.download()),
        new Route(
            TestLoadEndpoints.RESULTS,
            "listTestLoadResults",
            "Load test results",
            "One row per test of the load tester started in the range, newest first: run, plan,"
                + " orchestrator, pipeline, model, prompt, outcome, error class and the"
                + " measurements (startup, prompt change, FPS).",
            Params.testLoadResults(),
            new Route.Described("TestLoadResultsPage", true),
            true,
            testLoad.results()),
        new Route(
            TestLoadEndpoints.COVERAGE,
            "getTestLoadCoverage",
            "Load test coverage",
            "Per orchestrator × pipeline tested in the range: tests, successes, success rate, the"
                + " latest test and the medians of its measurements. Every row on one page.",
            Params.testLoadCoverage(),
            new Route.Described("TestLoadCoveragePage", true),
            true,
            testLoad.coverage()),
        new Route(
            OperationsEndpoint.PATH,
            "getOperations",
            "Operations",
            "NaaP's own health for operators, from its processes' heartbeats: processes up, ingest"
                + " rate and consumer lag, rejects by reason, freshness, refresh time, store, API"
                + " latency and errors, scraper and load tester health, GPU attribution and"
                + " unserved demand (docs/OPERATIONS.md).",
            OperationsEndpoint.PARAMS,
            new Route.Raw("application/json", null),
            true,
            operations),
        new Route(
            "/health",
            "health",
            "Liveness",
            "200 while the process serves requests.",
            List.of(),
            new Route.Raw("application/json", "Health"),
            false,
            system.health()),
        new Route(
            "/ready",
            "ready",
            "Readiness",
            "200 when the store is reachable and migrated (and the rollups fresh enough, if"
                + " configured); 503 otherwise.",
            List.of(),
            new Route.Raw("application/json", "Ready"),
            false,
            system.ready()),
        new Route(
            "/openapi.json",
            "openApi",
            "This document",
            "The OpenAPI 3.1 document, generated from the code.",
            List.of(),
            new Route.Raw("application/json", null),
            false,
            system.openApi()),
        new Route(
            "/docs",
            "docs",
            "API documentation page",
            "This document, rendered as HTML.",
            List.of(),
            new Route.Raw("text/html", null),
            false,
            system.docs()));
  }
}
