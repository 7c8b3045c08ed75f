package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.kafka.KafkaBroker;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while a batch is being written, and the ingest is then stopped: the stop
 * still ends within 10 s (Kafka's own commit would wait 60 s for the lost broker), the batch is in
 * the store, and its offsets, not committed, are read again at the next start.
 */
class BrokerGoneTest {

  @TempDir Path dir;

  @Test
  void stop_afterTheBrokerDiedMidBatch_endsWithinTenSecondsWithTheBatchWritten() throws Exception {
    Store real = TestEngine.uniqueStore("broker_gone");
    HeldInserts store = new HeldInserts(real);
    IngestMetrics metrics = IngestMetrics.unregistered();
    var writer = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        metrics, Clock.systemUTC());
    Thread thread;
    KafkaIngest ingest;
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic("gone", 1);
      try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        for (byte[] e : EventFixtures.freshEvents(500, 31)) {
          producer.send(new ProducerRecord<>("gone", UUID.randomUUID().toString().getBytes(), e));
        }
      }
      ingest = new KafkaIngest(
          KafkaIngestConfig.plaintext(broker.bootstrapServers(), List.of("gone"), "gone")
              .withBatching(500, Duration.ofSeconds(60)),
          writer, metrics);
      thread = Thread.ofPlatform().start(ingest);
      assertThat(store.writing.await(90, TimeUnit.SECONDS)).as("the batch is being written")
          .isTrue();
    } // the broker stops here, the batch's insert still held

    Thread stopper = Thread.ofPlatform().start(ingest::stop);
    long t0 = System.nanoTime();
    store.release.countDown();
    stopper.join(Duration.ofSeconds(30));
    thread.join(Duration.ofSeconds(5));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(stopper.isAlive() || thread.isAlive()).as("stopped").isFalse();
    assertThat(ms).as("ms to stop").isLessThan(10_000);
    assertThat(real.queryText("SELECT count() FROM raw_events FINAL", Map.of()))
        .isEqualTo("500\n");
  }

  /** Delegates to a real store; the first insert waits until {@link #release}. */
  private static final class HeldInserts extends DelegatingStore {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    HeldInserts(Store delegate) {
      super(delegate);
    }

    @Override
    public void insert(String insertStatement, byte[] data) {
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      delegate.insert(insertStatement, data);
    }
  }
}
