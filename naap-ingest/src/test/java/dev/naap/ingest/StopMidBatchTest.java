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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop while a batch is being written and more messages wait for the next: the stop commits the
 * batch once written and leaves the rest unwritten and uncommitted (writing it too held a demo's
 * stop for seconds), and the next start stores it: every event once, nothing committed past what
 * was stored.
 */
class StopMidBatchTest {

  @TempDir Path dir;

  @Test
  void stop_commitsTheBatchBeingWritten_leavesTheRestToTheNextStart() throws Exception {
    Store real = TestEngine.uniqueStore("stop_mid_batch");
    HeldInserts store = new HeldInserts(real);
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic("mid", 1);
      try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        for (byte[] e : EventFixtures.freshEvents(1_500, 57)) {
          producer.send(new ProducerRecord<>("mid", UUID.randomUUID().toString().getBytes(), e));
        }
      }
      // Batches of 1 000: the first is written (held), the other 500 wait for 999 more or 60 s.
      KafkaIngestConfig config =
          KafkaIngestConfig.plaintext(broker.bootstrapServers(), List.of("mid"), "mid")
              .withBatching(1_000, Duration.ofSeconds(60));
      KafkaIngest first = ingest(config, store);
      Thread thread = Thread.ofPlatform().start(first);
      assertThat(store.writing.await(90, TimeUnit.SECONDS)).as("a batch is being written")
          .isTrue();
      Thread.sleep(2_000); // the consumer reads the other 500 meanwhile

      Thread stopper = Thread.ofPlatform().start(first::stop);
      Thread.sleep(200);
      store.release.countDown();
      stopper.join(Duration.ofSeconds(30));
      thread.join(Duration.ofSeconds(5));
      assertThat(stopper.isAlive() || thread.isAlive()).as("stopped").isFalse();
      assertThat(count(real)).as("stored at the stop").isEqualTo("1000\t1000");
      assertThat(committed(broker)).as("committed at the stop").isEqualTo(1_000L);

      KafkaIngest second = ingest(config.withBatching(1_000, Duration.ofMillis(200)), store);
      Thread again = Thread.ofPlatform().start(second);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (committed(broker) < 1_500 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      second.stop();
      again.join(Duration.ofSeconds(30));
      assertThat(committed(broker)).isEqualTo(1_500L);
      assertThat(count(real)).as("every event once, none twice").isEqualTo("1500\t1500");
    }
  }

  private static KafkaIngest ingest(KafkaIngestConfig config, Store store) {
    IngestMetrics metrics = IngestMetrics.unregistered();
    return new KafkaIngest(config, new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.BATCH, metrics, Clock.systemUTC()), metrics);
  }

  /** Rows in raw_events, and distinct event ids: equal when no event was written twice. */
  private static String count(Store store) {
    return store.queryText("SELECT count(), uniqExact(event_id) FROM raw_events", Map.of())
        .strip();
  }

  private static long committed(KafkaBroker broker) throws Exception {
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      var o = admin.listConsumerGroupOffsets("mid").partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS).get(new TopicPartition("mid", 0));
      return o == null ? 0 : o.offset();
    }
  }

  /** Delegates to a real store; every insert waits until {@link #release}. */
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
