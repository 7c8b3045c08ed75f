package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.kafka.Certificates;
import dev.naap.kafka.KafkaBroker;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka ingest against a real single-node broker on 127.0.0.1. */
class KafkaIngestTest {

  private static final int MAX_EVENT_BYTES = 64 << 10;

  @TempDir static Path dir;
  static KafkaBroker broker;
  static Certificates certificates;

  @BeforeAll
  static void startBroker() {
    certificates = Certificates.selfSigned(dir.resolve("tls"), "changeit");
    broker =
        KafkaBroker.start(
            KafkaBroker.Config.at(dir.resolve("kafka"))
                .withSaslSsl(
                    new KafkaBroker.SaslSsl(
                        "gateway", "s3cret", certificates.keystore(), certificates.password())));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void ingest_hostileInputInterleaved_quarantinesEveryBadMessageAndAcceptsEveryGoodOne()
      throws Exception {
    Store store = TestEngine.uniqueStore("kafka_hostile");
    String topic = "hostile";
    broker.createTopic(topic, 3);
    int badCount = 10_000;
    int goodCount = 5_000;
    List<byte[]> good = EventFixtures.freshEvents(goodCount, 7);
    List<byte[]> messages = new ArrayList<>();
    for (int i = 0, g = 0; i < badCount; i++) {
      messages.add(EventFixtures.bad(i, MAX_EVENT_BYTES + 1000));
      if (i % 2 == 0) {
        messages.add(good.get(g++));
      }
    }
    byte[] fiveMegabytes = EventFixtures.bad(EventFixtures.Bad.OVERSIZED.ordinal(), 5 << 20);
    messages.add(fiveMegabytes);
    produce(topic, messages);

    BatchResult total = ingestUntil(store, topic, goodCount + badCount + 1);

    assertThat(total).isEqualTo(new BatchResult(goodCount, badCount + 1, 0));
    // Each of the 10 kinds of bad message was made 1 000 times; the 5 MB one is oversized too.
    assertThat(
            store.queryText(
                "SELECT reason, count() FROM rejected_events FINAL GROUP BY reason ORDER BY reason",
                Map.of()))
        .isEqualTo(
            """
            data_shape\t1000
            empty\t1000
            invalid_utf8\t1000
            invalid_value\t1000
            missing_field\t1000
            not_an_object\t1000
            not_json\t1000
            oversized\t1001
            truncated\t1000
            wrong_type\t1000
            """);
    assertThat(
            store.queryText(
                "SELECT max(payload_size), max(length(payload)) FROM rejected_events FINAL",
                Map.of()))
        .isEqualTo(fiveMegabytes.length + "\t" + fiveMegabytes.length + "\n");
    assertThat(
            store.queryText("SELECT count(), uniqExact(event_id) FROM raw_events FINAL", Map.of()))
        .isEqualTo(goodCount + "\t" + goodCount + "\n");
    assertThat(store.queryText("SELECT countIf(detail = '') FROM rejected_events FINAL", Map.of()))
        .isEqualTo("0\n");
  }

  @Test
  void ingest_restartedOnTheSameGroup_resumesWithoutLosingOrRepeating() throws Exception {
    Store store = TestEngine.uniqueStore("kafka_resume");
    String topic = "resume";
    broker.createTopic(topic, 4);
    produce(topic, EventFixtures.freshEvents(3_000, 11));
    assertThat(ingestUntil(store, topic, 3_000).accepted()).isEqualTo(3_000);

    produce(topic, EventFixtures.freshEvents(2_000, 12));
    BatchResult second = ingestUntil(store, topic, 2_000);

    assertThat(second.accepted()).isEqualTo(2_000);
    assertThat(store.queryText("SELECT count(), uniqExact(event_id) FROM raw_events", Map.of()))
        .isEqualTo("5000\t5000\n");
  }

  @Test
  void ingest_saslPlainOverTls_consumesLikeGoLivepeersProductionSetup() throws Exception {
    Store store = TestEngine.uniqueStore("kafka_sasl");
    String topic = "secure";
    broker.createTopic(topic, 2);
    produce(topic, EventFixtures.freshEvents(500, 13));
    var config =
        new KafkaIngestConfig(
            broker.saslSslBootstrapServers(),
            List.of(topic),
            "sasl-group",
            "gateway",
            "s3cret",
            null,
            certificates.truststore(),
            certificates.password(),
            100,
            Duration.ofMillis(100),
            null,
            KafkaIngestConfig.DEFAULT_SESSION_TIMEOUT);
    assertThat(config.protocol()).isEqualTo("SASL_SSL");

    BatchResult total = ingestUntil(store, config, 500);

    assertThat(total).isEqualTo(new BatchResult(500, 0, 0));
    assertThat(store.queryText("SELECT count() FROM raw_events FINAL", Map.of()))
        .isEqualTo("500\n");
  }

  @Test
  void ingest_largeMessages_closesEachBatchAtItsByteLimitBeforeItsCountOrWait() throws Exception {
    Store real = TestEngine.uniqueStore("kafka_bytes");
    List<Integer> rowsPerInsert = Collections.synchronizedList(new ArrayList<>());
    Store store = new DelegatingStore(real) {
      @Override
      public void insert(String insertStatement, byte[] data) {
        if (insertStatement.startsWith("INSERT INTO rejected_events")) {
          int rows = 0;
          for (byte b : data) {
            rows += b == '\n' ? 1 : 0; // TabSeparated escapes the newlines within values
          }
          rowsPerInsert.add(rows);
        }
        delegate.insert(insertStatement, data);
      }
    };
    String topic = "large";
    broker.createTopic(topic, 2);
    // 128 KiB each, over the parser's limit: all quarantined as oversized, the bytes kept
    List<byte[]> messages = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] m = new byte[128 << 10];
      Arrays.fill(m, (byte) ('a' + i % 26));
      messages.add(m);
    }
    produce(topic, messages);
    // Neither 20 000 messages nor a minute would close a batch: only the 1 MiB can.
    var config = KafkaIngestConfig.plaintext(broker.bootstrapServers(), List.of(topic),
        "test-" + topic).withBatching(20_000, Duration.ofSeconds(60));

    long start = System.nanoTime();
    BatchResult total = ingestUntil(store, config, 40, 1 << 20);

    assertThat(total).isEqualTo(new BatchResult(0, 40, 0));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    assertThat(rowsPerInsert).containsExactly(8, 8, 8, 8, 8);
    assertThat(real.queryText(
            "SELECT count(), sum(payload_size) FROM rejected_events FINAL", Map.of()))
        .isEqualTo("40\t" + (40L << 17) + "\n");
  }

  /**
   * Runs the ingest in the group {@code "test-" + topic} until it has handled {@code expected}
   * messages.
   */
  private static BatchResult ingestUntil(Store store, String topic, int expected)
      throws InterruptedException {
    return ingestUntil(store, KafkaIngestConfig.plaintext(broker.bootstrapServers(), List.of(topic),
        "test-" + topic).withBatching(2_000, Duration.ofMillis(200)), expected);
  }

  private static BatchResult ingestUntil(Store store, KafkaIngestConfig config, int expected)
      throws InterruptedException {
    return ingestUntil(store, config, expected, KafkaIngestConfig.MAX_BATCH_BYTES);
  }

  private static BatchResult ingestUntil(Store store, KafkaIngestConfig config, int expected,
      long maxBatchBytes) throws InterruptedException {
    IngestMetrics metrics = IngestMetrics.unregistered();
    var writer =
        new EventWriter(
            store,
            new EventParser(MAX_EVENT_BYTES),
            EventWriter.DuplicateCheck.BATCH,
            metrics,
            Clock.systemUTC());
    KafkaIngest ingest = new KafkaIngest(config, writer, metrics, maxBatchBytes);
    Thread thread = Thread.ofPlatform().name("ingest-" + config.groupId()).start(ingest);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (handled(ingest) < expected && System.nanoTime() < deadline && thread.isAlive()) {
      Thread.sleep(50);
    }
    ingest.stop();
    thread.join();
    return ingest.total();
  }

  private static long handled(KafkaIngest ingest) {
    BatchResult t = ingest.total();
    return t.accepted() + t.rejected() + t.duplicates();
  }

  private static void produce(String topic, List<byte[]> values) throws Exception {
    try (var producer =
        new KafkaProducer<byte[], byte[]>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                8 << 20,
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString().getBytes(), value));
      }
      producer.flush();
    }
  }
}
