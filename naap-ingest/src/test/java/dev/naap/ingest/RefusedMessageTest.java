package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.events.EventParser;
import dev.naap.kafka.KafkaBroker;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka ingest against a real broker and the real engine, whose inserts a materialized view
 * made for the test refuses: for one message (as a view that runs out of memory on one large
 * message does), or for every one (a store that cannot take writes).
 */
class RefusedMessageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void ingest_messagesTheStoreRefuses_quarantinesEachAndCommitsNeverPastOneNotYetDone()
      throws Exception {
    Store store = TestEngine.uniqueStore("kafka_refused");
    String topic = "refused";
    broker.createTopic(topic, 2);
    List<byte[]> first = EventFixtures.freshEvents(1_000, 41);
    byte[] last = EventFixtures.freshEvents(1, 42).getFirst();
    List<byte[]> later = EventFixtures.freshEvents(300, 43);
    refuse(store, "event_id IN ('" + id(first.get(500)) + "', '" + id(last) + "')");
    PrometheusRegistry registry = new PrometheusRegistry();
    Ingest ingest = new Ingest(store, topic, new IngestMetrics(registry));
    List<RecordMetadata> sent = new ArrayList<>();
    try {
      sent.addAll(produce(topic, first));
      // The refused message is quarantined and the rest stored: every offset is committed.
      await(() -> committed(topic).equals(ends(sent)), ingest);
      assertThat(quarantined(store)).containsExactly(at(sent.get(500)));

      // The last message of a topic that then goes quiet: no later write proves the store healthy,
      // a probe does (an event stored before, written again), and it is quarantined and committed
      // with no further traffic, within the probe's delay and a few writes.
      sent.addAll(produce(topic, List.of(last)));
      long start = System.nanoTime();
      await(() -> committed(topic).equals(ends(sent)), ingest);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      assertThat(quarantined(store)).containsExactly(at(sent.get(500)), at(sent.getLast()));
      assertThat(counter(registry, "naap_ingest_write_failures", null)).isZero();

      // The ingest carries on past it.
      sent.addAll(produce(topic, later));
      await(() -> committed(topic).equals(ends(sent)), ingest);
    } finally {
      ingest.stop();
    }
    assertThat(quarantined(store))
        .containsExactlyInAnyOrder(at(sent.get(500)), at(sent.get(1_000)));
    assertThat(store.queryText("SELECT payload_size, startsWith(detail, 'Code: 395.')"
            + " FROM rejected_events FINAL ORDER BY payload = {p:String}",
            Map.of("p", new String(last, StandardCharsets.UTF_8))))
        .isEqualTo(first.get(500).length + "\t1\n" + last.length + "\t1\n");
    Set<String> expected = ids(first);
    expected.addAll(ids(later));
    expected.remove(id(first.get(500)));
    assertThat(storedIds(store, id(first.get(500)), id(last))).isEqualTo(expected);
    assertThat(counter(registry, "naap_ingest_rejected", "store_error")).isEqualTo(2.0);
  }

  @Test
  void ingest_aStoreThatRefusesEveryWrite_quarantinesAndCommitsNothingThenStoresAllOnce()
      throws Exception {
    Store store = TestEngine.uniqueStore("kafka_refuses_all");
    String topic = "refuses-all";
    broker.createTopic(topic, 2);
    refuse(store, "1");
    PrometheusRegistry registry = new PrometheusRegistry();
    Ingest ingest = new Ingest(store, topic, new IngestMetrics(registry));
    List<byte[]> events = EventFixtures.freshEvents(300, 44);
    try {
      List<RecordMetadata> sent = produce(topic, events);
      await(() -> counter(registry, "naap_ingest_write_failures", null) >= 4, ingest);
      assertThat(committed(topic)).isEmpty();
      assertThat(store.queryText("SELECT count() FROM rejected_events", Map.of()))
          .isEqualTo("0\n");

      store.execute("DROP VIEW refuse");
      await(() -> committed(topic).equals(ends(sent)), ingest);
    } finally {
      ingest.stop();
    }
    assertThat(store.queryText(
            "SELECT count(), uniqExact(event_id) FROM raw_events FINAL", Map.of()))
        .isEqualTo("300\t300\n");
    assertThat(storedIds(store)).isEqualTo(ids(events));
    assertThat(store.queryText("SELECT count() FROM rejected_events", Map.of())).isEqualTo("0\n");
    assertThat(counter(registry, "naap_ingest_rejected", "store_error")).isZero();
  }

  @Test
  void ingest_theLastMessageWhileTheStoreRefusesEveryWrite_quarantinesAndCommitsNothing()
      throws Exception {
    Store store = TestEngine.uniqueStore("kafka_refuses_last");
    String topic = "refuses-last";
    broker.createTopic(topic, 1);
    PrometheusRegistry registry = new PrometheusRegistry();
    Ingest ingest = new Ingest(store, topic, new IngestMetrics(registry));
    List<RecordMetadata> sent = new ArrayList<>();
    try {
      sent.addAll(produce(topic, EventFixtures.freshEvents(50, 45)));
      await(() -> committed(topic).equals(ends(sent)), ingest);
      // The store now refuses every event: the probe (an event stored before, written again) is
      // refused too, so the message alone on its quiet topic is no proof of its own fault.
      refuse(store, "1");
      sent.addAll(produce(topic, EventFixtures.freshEvents(1, 46)));
      double failures = counter(registry, "naap_ingest_write_failures", null);
      await(() -> counter(registry, "naap_ingest_write_failures", null) >= failures + 3, ingest);
      assertThat(committed(topic).get(new TopicPartition(topic, 0))).isEqualTo(50L);
      assertThat(store.queryText("SELECT count() FROM rejected_events", Map.of()))
          .isEqualTo("0\n");

      store.execute("DROP VIEW refuse");
      await(() -> committed(topic).equals(ends(sent)), ingest);
    } finally {
      ingest.stop();
    }
    assertThat(store.queryText(
            "SELECT count(), uniqExact(event_id) FROM raw_events FINAL", Map.of()))
        .isEqualTo("51\t51\n");
    assertThat(store.queryText("SELECT count() FROM rejected_events", Map.of())).isEqualTo("0\n");
    assertThat(counter(registry, "naap_ingest_rejected", "store_error")).isZero();
  }

  /** The ingest on its own thread, in the group {@code "test-" + topic}. */
  private static final class Ingest {
    final KafkaIngest ingest;
    final Thread thread;

    Ingest(Store store, String topic, IngestMetrics metrics) {
      var writer = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
          metrics, Clock.systemUTC());
      ingest = new KafkaIngest(KafkaIngestConfig.plaintext(broker.bootstrapServers(),
          List.of(topic), "test-" + topic).withBatching(200, Duration.ofMillis(100)),
          writer, metrics);
      thread = Thread.ofPlatform().name("ingest-" + topic).start(ingest);
    }

    void stop() throws InterruptedException {
      long start = System.nanoTime();
      ingest.stop();
      thread.join();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  /** Creates a view that throws for the {@code raw_events} rows that match {@code condition}. */
  private static void refuse(Store store, String condition) {
    store.execute("CREATE TABLE refused_sink (x UInt8) ENGINE = Null");
    store.execute("CREATE MATERIALIZED VIEW refuse TO refused_sink AS SELECT throwIf("
        + condition + ", 'test: refused') AS x FROM raw_events");
  }

  private static void await(BooleanSupplier condition, Ingest ingest) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(ingest.thread.isAlive()).as("ingest running").isTrue();
      assertThat(System.nanoTime()).as("within 120 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The sent records' end offsets: one past the last in each partition. */
  private static Map<TopicPartition, Long> ends(List<RecordMetadata> sent) {
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (RecordMetadata m : sent) {
      ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
    }
    return ends;
  }

  private static Map<TopicPartition, Long> committed(String topic) {
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      admin.listConsumerGroupOffsets("test-" + topic).partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS)
          .forEach((tp, o) -> {
            if (o != null) {
              offsets.put(tp, o.offset());
            }
          });
      return offsets;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code partition TAB offset} of each quarantined message, whatever its reason. */
  private static List<String> quarantined(Store store) {
    String rows = store.queryText("SELECT concat(toString(partition), ' ', toString(offset),"
        + " ' ', reason) FROM rejected_events FINAL ORDER BY partition, offset", Map.of());
    return rows.isEmpty() ? List.of() : List.of(rows.split("\n"));
  }

  /** How {@link #quarantined} shows the message sent as {@code m}, refused by the store. */
  private static String at(RecordMetadata m) {
    return m.partition() + " " + m.offset() + " store_error";
  }

  private static List<RecordMetadata> produce(String topic, List<byte[]> values)
      throws Exception {
    List<RecordMetadata> sent = new ArrayList<>();
    try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      for (byte[] value : values) {
        futures.add(producer.send(new ProducerRecord<>(topic, id(value).getBytes(), value)));
      }
      for (var f : futures) {
        sent.add(f.get());
      }
    }
    return sent;
  }

  private static String id(byte[] event) {
    try {
      return JSON.readTree(event).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> ids(List<byte[]> events) {
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(id(e)));
    return ids;
  }

  /**
   * The ids in {@code raw_events} but {@code refused}: a refused insert may have left their rows
   * there (inserts are not atomic across views).
   */
  private static Set<String> storedIds(Store store, String... refused) {
    Set<String> ids = new HashSet<>(List.of(
        store.queryText("SELECT event_id FROM raw_events FINAL", Map.of()).split("\n")));
    ids.removeAll(List.of(refused));
    return ids;
  }

  private static double counter(PrometheusRegistry registry, String name, String reason) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(p -> reason == null || reason.equals(p.getLabels().get("reason")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
