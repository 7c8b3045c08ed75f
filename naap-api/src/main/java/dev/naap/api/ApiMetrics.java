package dev.naap.api;

import dev.naap.http.SendingBytes;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The API's Prometheus metrics. Routes are labelled by template ({@code
 * /v1/orchestrators/{address}}), never by the raw path, so label values stay few. Thread-safe.
 */
final class ApiMetrics {

  private final Counter requests;
  private final Histogram latency;
  private final Counter cache;
  private final Counter rateLimited;
  private final Counter sendingRefused;

  ApiMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("naap_api_requests_total")
            .help("HTTP requests answered, by route and status")
            .labelNames("route", "status")
            .register(registry);
    latency = Histogram.builder().name("naap_api_request_duration_seconds")
        .help("Time from request to response, by route and status")
        .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .labelNames("route", "status").register(registry);
    cache =
        Counter.builder()
            .name("naap_api_cache_requests_total")
            .help("Response cache lookups, by result (hit or miss)")
            .labelNames("result")
            .register(registry);
    rateLimited = Counter.builder().name("naap_api_rate_limited_total")
        .help("Requests refused with 429, by quota policy").labelNames("policy").register(registry);
    sendingRefused = Counter.builder().name("naap_api_sending_refused_total")
        .help("Answers refused with 503: they did not fit beside the answers being sent, by the"
            + " bound that refused them (all: every client's; client: the client's share)")
        .labelNames("limit").register(registry);
    sendingRefused.initLabelValues("all");
    sendingRefused.initLabelValues("client");
  }

  void answered(String route, int status, long nanos) {
    String s = Integer.toString(status);
    requests.labelValues(route, s).inc();
    latency.labelValues(route, s).observe(nanos / 1e9);
  }

  void cache(boolean hit) {
    cache.labelValues(hit ? "hit" : "miss").inc();
  }

  void rateLimited(String policy) {
    rateLimited.labelValues(policy).inc();
  }

  void sendingRefused(SendingBytes.Refusal by) {
    sendingRefused.labelValues(by == SendingBytes.Refusal.CLIENT ? "client" : "all").inc();
  }
}
