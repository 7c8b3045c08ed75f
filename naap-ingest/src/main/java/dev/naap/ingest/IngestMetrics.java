package dev.naap.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The ingest's Prometheus metrics. Events per second by family is {@code
 * rate(naap_ingest_events_total[1m])}. Thread-safe.
 */
public final class IngestMetrics {

  private final Counter events;
  private final Counter rejected;
  private final Counter writeFailures;
  private final Histogram batchSeconds;
  private final Gauge consumerLag;

  public IngestMetrics(PrometheusRegistry registry) {
    events = Counter.builder().name("naap_ingest_events_total")
        .help("Valid events written to raw_events, by event family").labelNames("family")
        .register(registry);
    rejected = Counter.builder().name("naap_ingest_rejected_total")
        .help("Messages quarantined in rejected_events, by reason").labelNames("reason")
        .register(registry);
    writeFailures = Counter.builder().name("naap_ingest_write_failures_total")
        .help("Batches that failed to reach the store and were read again").register(registry);
    batchSeconds = Histogram.builder().name("naap_ingest_batch_duration_seconds")
        .help("Time to validate and durably write one batch").unit(Unit.SECONDS)
        .classicOnly().classicExponentialUpperBounds(0.005, 2, 14).register(registry);
    consumerLag = Gauge.builder().name("naap_ingest_consumer_lag")
        .help("Records between the consumer position and the end of each partition")
        .labelNames("topic", "partition").register(registry);
  }

  /** Metrics that go nowhere, for file imports and tests that do not export them. */
  public static IngestMetrics unregistered() {
    return new IngestMetrics(new PrometheusRegistry());
  }

  void accepted(String family, long count) {
    events.labelValues(family).inc(count);
  }

  void rejected(String reason, long count) {
    rejected.labelValues(reason).inc(count);
  }

  void writeFailed() {
    writeFailures.inc();
  }

  void batchWritten(long nanos) {
    batchSeconds.observe(nanos / 1e9);
  }

  void lag(String topic, int partition, long records) {
    consumerLag.labelValues(topic, Integer.toString(partition)).set(records);
  }
}
