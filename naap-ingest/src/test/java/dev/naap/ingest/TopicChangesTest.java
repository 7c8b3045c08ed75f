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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topic changes under a running ingest: deleted and created again (its new messages start at
 * offset 0 again, below the offsets committed before), then partitions added. Every event of
 * each is stored, once, within a bounded time: the new partitions' within 60 s, not at Kafka's
 * default metadata refresh of 5 minutes.
 */
class TopicChangesTest {

  @TempDir Path dir;

  @Test
  void topicRecreatedThenPartitionsAdded_everyEventStoredOnce() throws Exception {
    Store store = TestEngine.uniqueStore("topic_changes");
    IngestMetrics metrics = IngestMetrics.unregistered();
    var writer = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        metrics, Clock.systemUTC());
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")));
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()))) {
      broker.createTopic("t", 2);
      produce(broker, 400, 1, -1);
      var ingest = new KafkaIngest(
          KafkaIngestConfig.plaintext(broker.bootstrapServers(), List.of("t"), "g")
              .withBatching(100, Duration.ofMillis(200)),
          writer, metrics);
      Thread thread = Thread.ofPlatform().start(ingest);
      try {
        await(store, 400);
        long t0 = System.nanoTime();
        admin.deleteTopics(Set.of("t")).all().get(30, TimeUnit.SECONDS);
        Thread.sleep(3_000);
        broker.createTopic("t", 2); // or the clients' auto-creation, which is the broker's
        produce(broker, 1000, 2, -1);
        assertThat(awaitOrTimeout(store, 1400, 90)).as("events stored after the topic was"
            + " created again").isEqualTo(1400);
        System.out.println("TopicChangesTest: the recreated topic's events stored in "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
        t0 = System.nanoTime();
        int before = admin.describeTopics(Set.of("t")).allTopicNames().get(30, TimeUnit.SECONDS)
            .get("t").partitions().size();
        admin.createPartitions(Map.of("t", NewPartitions.increaseTo(before + 2))).all()
            .get(30, TimeUnit.SECONDS);
        produce(broker, 100, 3, before);
        produce(broker, 100, 4, before + 1);
        assertThat(awaitOrTimeout(store, 1600, 60)).as("events stored within 60 s of the"
            + " partitions' creation").isEqualTo(1600);
        System.out.println("TopicChangesTest: the new partitions' events stored in "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(store.queryText("SELECT count() FROM raw_events", Map.of()).strip())
            .as("rows stored once, no batch written twice").isEqualTo("1600");
      } finally {
        ingest.stop();
        thread.join(Duration.ofSeconds(30));
      }
    }
  }

  /** {@code n} new events, to {@code partition} or, when it is -1, to any. */
  private static void produce(KafkaBroker broker, int n, long seed, int partition) {
    try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] e : EventFixtures.freshEvents(n, seed)) {
        byte[] key = UUID.randomUUID().toString().getBytes();
        producer.send(partition < 0 ? new ProducerRecord<>("t", key, e)
            : new ProducerRecord<>("t", partition, key, e));
      }
    }
  }

  private static long count(Store store) {
    return Long.parseLong(store.queryText(
        "SELECT count() FROM raw_events FINAL", Map.of()).strip());
  }

  private static void await(Store store, long n) throws InterruptedException {
    assertThat(awaitOrTimeout(store, n, 90)).isEqualTo(n);
  }

  private static long awaitOrTimeout(Store store, long n, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long c;
    while ((c = count(store)) < n && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return c;
  }
}
