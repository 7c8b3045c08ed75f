package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.KafkaIngest;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.kafka.KafkaBroker;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.TestLoadRules;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.KafkaSink;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's path, accelerated: simulated network → real Kafka broker (random keys over four
 * partitions) → Kafka ingest → store → rollups, compared with the simulator's ground truth.
 */
class KafkaPipelineTest {

  private static final String TOPIC = "gateway-events";

  @TempDir Path dir;

  @Test
  void throughKafka_theRollupsMatchTheSimulatorsGroundTruth() throws Exception {
    // Two hours replayed as fast as possible; some events repeated and some late.
    SimConfig config =
        SimConfig.builder()
            .seed(Long.getLong("naap.sim.seed", 11))
            .startMs(Instant.parse("2026-03-02T18:00:00Z").toEpochMilli())
            .duration(Duration.ofHours(2))
            .perfectDelivery()
            .duplicateRate(0.01)
            .lateRate(0.01)
            .build();
    Store store = TestEngine.uniqueStore("kafka_pipeline");
    // The operator's default rules: the scheduled tester's streams are test load.
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic(TOPIC, 4);
      KafkaSink sink = new KafkaSink(broker.bootstrapServers(), TOPIC, Map.of());
      GroundTruth truth;
      try {
        truth = new Simulator(config).run(sink, Pacer.none());
      } finally {
        sink.close(); // flushes: every message is acknowledged or has failed the run
      }
      long sent = sink.acked();
      IngestMetrics metrics = IngestMetrics.unregistered();
      KafkaIngest ingest =
          new KafkaIngest(
              KafkaIngestConfig.plaintext(
                  broker.bootstrapServers(), List.of(TOPIC), "pipeline-test"),
              new EventWriter(
                  store,
                  new EventParser(),
                  EventWriter.DuplicateCheck.BATCH,
                  metrics,
                  Clock.systemUTC()),
              metrics);
      Thread consumer = Thread.ofPlatform().name("pipeline-test-ingest").start(ingest);
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (consumed(ingest.total()) < sent && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
      } finally {
        ingest.stop();
        consumer.join();
      }
      assertThat(consumed(ingest.total())).as("messages consumed of %d sent", sent).isEqualTo(sent);
      assertThat(ingest.total().rejected())
          .as("the simulator emits only valid events here")
          .isZero();
      new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

      GroundTruthCheck.assertRollupsMatch(store, truth);
    }
  }

  private static long consumed(BatchResult total) {
    return total.accepted() + total.rejected() + total.duplicates();
  }
}
