package dev.naap.app;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.KafkaIngest;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;

/**
 * The ingest role, run by {@code naap ingest} and inside {@code naap demo}: Kafka messages parsed,
 * checked for duplicates within each batch and written to the store; offsets committed once a
 * batch is durable. {@link #run} until {@link #stop}.
 */
final class IngestRole implements Runnable {

  private final KafkaIngest ingest;

  IngestRole(Store store, KafkaIngestConfig config, int maxEventBytes,
      PrometheusRegistry registry) {
    IngestMetrics metrics = new IngestMetrics(registry);
    EventWriter writer = new EventWriter(store, new EventParser(maxEventBytes),
        EventWriter.DuplicateCheck.BATCH, metrics, Clock.systemUTC());
    ingest = new KafkaIngest(config, writer, metrics);
  }

  /** Consumes until stopped; a no-op when {@link #stop} came first. */
  @Override
  public void run() {
    ingest.run();
  }

  /**
   * Commits the batches being written once they are, then ends {@link #run}; what it read and had
   * not begun to write is read again at the next start.
   */
  void stop() {
    ingest.stop();
  }

  BatchResult total() {
    return ingest.total();
  }
}
