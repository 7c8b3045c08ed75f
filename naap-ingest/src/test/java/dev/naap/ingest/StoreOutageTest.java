package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.kafka.KafkaBroker;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import dev.naap.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that fails for a while: the ingest must retry, and neither lose nor skip anything. */
class StoreOutageTest {

  @TempDir Path dir;

  @Test
  void ingest_storeFailsThreeInsertsInARow_retriesAndWritesEveryEventOnce() throws Exception {
    Store real = TestEngine.uniqueStore("store_outage");
    FailingInserts store = new FailingInserts(real, 3);
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic("outage", 2);
      List<byte[]> events = EventFixtures.freshEvents(2_000, 21);
      try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        for (byte[] e : events) {
          producer.send(new ProducerRecord<>("outage", UUID.randomUUID().toString().getBytes(), e));
        }
      }
      IngestMetrics metrics = IngestMetrics.unregistered();
      var writer =
          new EventWriter(
              store,
              new EventParser(),
              EventWriter.DuplicateCheck.BATCH,
              metrics,
              Clock.systemUTC());
      var ingest =
          new KafkaIngest(
              KafkaIngestConfig.plaintext(broker.bootstrapServers(), List.of("outage"), "outage")
                  .withBatching(500, Duration.ofMillis(100)),
              writer,
              metrics);
      Thread thread = Thread.ofPlatform().start(ingest);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (ingest.total().accepted() < 2_000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      ingest.stop();
      thread.join();

      assertThat(store.failures.get()).isEqualTo(3);
      assertThat(ingest.total().accepted()).isEqualTo(2_000);
      assertThat(
              real.queryText("SELECT count(), uniqExact(event_id) FROM raw_events FINAL", Map.of()))
          .isEqualTo("2000\t2000\n");
    }
  }

  /**
   * Delegates to a real store, but its first {@code failing} inserts throw as a dead server would.
   */
  private static final class FailingInserts extends DelegatingStore {
    final int failing;
    final AtomicInteger failures = new AtomicInteger();

    FailingInserts(Store delegate, int failing) {
      super(delegate);
      this.failing = failing;
    }

    @Override
    public void insert(String insertStatement, byte[] data) {
      if (failures.get() < failing) {
        failures.incrementAndGet();
        throw new StoreException(210, "Connection refused (simulated outage)", insertStatement);
      }
      delegate.insert(insertStatement, data);
    }
  }
}
